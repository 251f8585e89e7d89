package dev.awshitbreaks.launcher;

import dev.awshitbreaks.core.Shown;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.CloudFormationException;
import software.amazon.awssdk.services.cloudformation.model.Output;
import software.amazon.awssdk.services.cloudformation.model.Stack;

/** Finds a deployed stack by name ({@code cloudformation:DescribeStacks}) and reads the outputs the launcher needs. */
final class StackLookup {
    static final String DEFAULT_STACK = "aws-hit-breaks";
    static final List<String> REQUIRED_OUTPUTS = List.of("StateMachineArn", "SnapshotTableName", "SnapshotBucketName");

    private StackLookup() {
    }

    static StackInfo find(String stackName, String region, URI endpoint, AwsCredentialsProvider credentials) {
        var builder = CloudFormationClient.builder().region(Region.of(region)).credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(3)).build());
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        try (CloudFormationClient cfn = builder.build()) {
            Stack stack;
            try {
                stack = cfn.describeStacks(b -> b.stackName(stackName)).stacks().stream().findFirst()
                        .orElseThrow(() -> notFound(stackName, region));
            } catch (CloudFormationException e) {
                String m = e.awsErrorDetails() == null ? "" : String.valueOf(e.awsErrorDetails().errorMessage());
                if (m.contains("does not exist")) {
                    throw notFound(stackName, region);
                }
                throw e;
            }
            Map<String, String> outputs = new HashMap<>();
            for (Output o : stack.outputs()) {
                outputs.put(o.outputKey(), o.outputValue());
            }
            List<String> missing = REQUIRED_OUTPUTS.stream().filter(k -> outputs.get(k) == null).toList();
            if (!missing.isEmpty()) {
                throw new StackNotFoundException("stack " + Shown.quote(stackName) + " in " + region + " (" + stack.stackStatusAsString()
                        + ") has no output " + String.join(", ", missing) + ": it is not an aws-hit-breaks stack, or its"
                        + " deployment did not finish. Deploy it with 'sam build && sam deploy --guided', or name the right"
                        + " one with --stack NAME --state-region R.");
            }
            return new StackInfo(stackName, region, outputs.get("StateMachineArn"), outputs.get("SnapshotTableName"),
                    outputs.get("SnapshotBucketName"));
        }
    }

    static StackNotFoundException notFound(String stackName, String region) {
        return new StackNotFoundException("no stack named " + Shown.quote(stackName) + " in " + region + ". Deploy aws-hit-breaks"
                + " with 'sam build && sam deploy --guided' (from its repository; stack name " + DEFAULT_STACK
                + "), name your stack with --stack NAME and its region with --state-region R, or run the engine on this"
                + " computer with --local.");
    }

    /** No usable stack: what to do next is in the message. */
    static final class StackNotFoundException extends dev.awshitbreaks.core.BrakeException {
        StackNotFoundException(String message) {
            super(message);
        }
    }
}
