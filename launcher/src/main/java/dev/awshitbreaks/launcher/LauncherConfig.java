package dev.awshitbreaks.launcher;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * What {@code ~/.aws-hit-breaks/config.json} holds: where the brake runs. Names and ARNs only, never
 * credentials (credentials come from the AWS CLI's usual places every time).
 *
 * @param mode {@code remote} (the deployed stack's state machine) or {@code local} (the engine in this process)
 * @param stackName the CloudFormation stack (remote)
 * @param region the stack's region, which holds the snapshot table and bucket
 * @param stateMachineArn the stack's state machine, as its outputs said when it was configured (informational)
 * @param tableName the snapshot table (informational in remote mode; the stack's outputs are read each run)
 * @param bucketName the snapshot bucket (same)
 * @param endpointUrl local mode only: an endpoint such as moto or LocalStack, or null for AWS
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LauncherConfig(
        int version,
        String mode,
        String stackName,
        String region,
        String stateMachineArn,
        String tableName,
        String bucketName,
        String endpointUrl,
        Instant updatedAt) {
    public static final int VERSION = 1;
    public static final String REMOTE = "remote";
    public static final String LOCAL = "local";

    static LauncherConfig remote(StackInfo stack, Instant now) {
        return new LauncherConfig(VERSION, REMOTE, stack.name(), stack.region(), stack.stateMachineArn(), stack.tableName(),
                stack.bucketName(), null, now);
    }

    static LauncherConfig local(String region, String endpointUrl, Instant now) {
        return new LauncherConfig(VERSION, LOCAL, null, region, null, null, null, endpointUrl, now);
    }

    boolean isLocal() {
        return LOCAL.equals(mode);
    }
}
