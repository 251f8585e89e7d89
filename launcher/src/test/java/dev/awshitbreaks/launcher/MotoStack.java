package dev.awshitbreaks.launcher;

import dev.awshitbreaks.core.Json;
import dev.awshitbreaks.snapshot.StateStorage;
import dev.awshitbreaks.testing.MotoAccount;
import java.io.IOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * A deployed aws-hit-breaks stack as moto can hold one, for the launcher's remote mode: a CloudFormation stack
 * (created through moto's CloudFormation API) whose outputs name a state machine, the snapshot table and the
 * snapshot bucket, as template.yaml's outputs do. moto runs the state machine's definition with its own ASL
 * interpreter (the {@code execute_state_machine} setting), but it cannot run Java Lambda tasks, so the tests
 * give it a <b>stand-in definition</b> (Pass, Wait and Fail states) that ends the way the real one would:
 * with a summary document, a named failure, a time-out. The launcher's side (StartExecution, the request
 * document, DescribeExecution polling, reading the report) is all real SDK calls to moto.
 */
final class MotoStack {
    static final String REGION = "us-east-1";
    static final String TABLE = "hit-breaks-remote-snapshots";
    static final String BUCKET = "hit-breaks-remote-bucket";

    final URI endpoint;
    final SfnClient sfn;
    final DynamoDbClient dynamoDb;
    final S3Client s3;
    final CloudFormationClient cfn;

    MotoStack(URI endpoint) {
        this.endpoint = endpoint;
        var http = UrlConnectionHttpClient.create();
        sfn = SfnClient.builder().region(Region.of(REGION)).endpointOverride(endpoint).credentialsProvider(MotoAccount.CREDENTIALS)
                .httpClient(http).build();
        dynamoDb = DynamoDbClient.builder().region(Region.of(REGION)).endpointOverride(endpoint)
                .credentialsProvider(MotoAccount.CREDENTIALS).httpClient(http).build();
        s3 = S3Client.builder().region(Region.of(REGION)).endpointOverride(endpoint).forcePathStyle(true)
                .credentialsProvider(MotoAccount.CREDENTIALS).httpClient(http).build();
        cfn = CloudFormationClient.builder().region(Region.of(REGION)).endpointOverride(endpoint)
                .credentialsProvider(MotoAccount.CREDENTIALS).httpClient(http).build();
    }

    /** moto executes state machine definitions from now on (until {@link #stopExecuting}). */
    void executeStateMachines(boolean on) {
        try {
            HttpURLConnection c = (HttpURLConnection) endpoint.resolve("/moto-api/config").toURL().openConnection();
            c.setRequestMethod("POST");
            c.setDoOutput(true);
            try (OutputStream o = c.getOutputStream()) {
                o.write(("{\"stepfunctions\": {\"execute_state_machine\": " + on + "}}").getBytes(StandardCharsets.UTF_8));
            }
            if (c.getResponseCode() / 100 != 2) {
                throw new IllegalStateException("moto config answered HTTP " + c.getResponseCode());
            }
        } catch (IOException e) {
            throw new IllegalStateException("moto config failed: " + e.getMessage(), e);
        }
    }

    /** The stack: storage, a state machine with this (stand-in) definition, and the CloudFormation outputs. */
    String deploy(String stackName, Map<String, Object> definition) {
        StateStorage storage = new StateStorage(dynamoDb, s3, REGION);
        if (!storage.tableExists(TABLE)) {
            storage.createTable(TABLE);
        }
        if (!storage.bucketExists(BUCKET)) {
            storage.createBucket(BUCKET, false);
        }
        String arn = sfn.createStateMachine(b -> b.name(stackName + "-brake").definition(Json.write(definition))
                .roleArn("arn:aws:iam::123456789012:role/hit-breaks-test")).stateMachineArn();
        Map<String, Object> outputs = new LinkedHashMap<>();
        outputs.put("StateMachineArn", Map.of("Value", arn));
        outputs.put("SnapshotTableName", Map.of("Value", TABLE));
        outputs.put("SnapshotBucketName", Map.of("Value", BUCKET));
        Map<String, Object> template = Map.of("AWSTemplateFormatVersion", "2010-09-09",
                "Resources", Map.of("Placeholder", Map.of("Type", "AWS::SNS::Topic")),
                "Outputs", outputs);
        cfn.createStack(b -> b.stackName(stackName).templateBody(Json.write(template)));
        return arn;
    }

    static Map<String, Object> passThenEnd(Map<String, Object> output, int waitSeconds) {
        return Map.of("StartAt", "Plan", "States", Map.of(
                "Plan", Map.of("Type", "Wait", "Seconds", waitSeconds, "Next", "Summarize"),
                "Summarize", Map.of("Type", "Pass", "Result", output, "End", true)));
    }

    static Map<String, Object> fail(String error, String cause) {
        return Map.of("StartAt", "PlanRejected", "States", Map.of(
                "PlanRejected", Map.of("Type", "Fail", "Error", error, "Cause", cause)));
    }

    static Map<String, Object> waitFor(int seconds, Integer timeoutSeconds) {
        Map<String, Object> d = new LinkedHashMap<>();
        if (timeoutSeconds != null) {
            d.put("TimeoutSeconds", timeoutSeconds);
        }
        d.put("StartAt", "WaitForDatabases");
        d.put("States", Map.of("WaitForDatabases", Map.of("Type", "Wait", "Seconds", seconds, "End", true)));
        return d;
    }
}
