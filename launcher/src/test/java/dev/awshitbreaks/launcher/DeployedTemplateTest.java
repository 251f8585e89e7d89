package dev.awshitbreaks.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awshitbreaks.testing.MotoAccount;
import dev.awshitbreaks.testing.MotoServer;
import dev.awshitbreaks.testing.ProjectTools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Output;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The template, deployed: {@code template.yaml} translated by aws-sam-translator (the library {@code sam deploy}
 * uses) and created as a stack in moto's CloudFormation by {@code tools/stack-on-moto/deploy_on_moto.py}, with the
 * named shims docs/tooling.md explains; then the launcher's remote mode finds that stack by name and uses its
 * outputs. moto proves the template's structure and the launcher's contract with it, not IAM (docs/deploying.md).
 */
class DeployedTemplateTest {
    private static final String STACK = "hit-breaks-deployed";
    private static final String REGION = "us-east-1";
    @TempDir
    Path home;

    private record Deployed(int exit, String output) {
    }

    private static Deployed deployTemplate(MotoServer moto) throws IOException, InterruptedException {
        Path root = ProjectTools.root();
        Path python = root.resolve(".tools/sam/bin/python");
        assertThat(Files.isExecutable(python)).as(python + " (the sam venv, with aws-sam-translator): run scripts/setup").isTrue();
        Process p = new ProcessBuilder(python.toString(), root.resolve("tools/stack-on-moto/deploy_on_moto.py").toString(),
                "--endpoint-url", moto.endpoint().toString(), "--stack-name", STACK, "--region", REGION,
                "--template", root.resolve("template.yaml").toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).as("deploy_on_moto.py finished; output:\n" + out).isTrue();
        System.out.println(out); // every resource of the stack, for the test report
        return new Deployed(p.exitValue(), out);
    }

    /** The logical ids template.yaml declares (two-space indented keys under Resources:). */
    private static List<String> templateResources() throws IOException {
        String yaml = Files.readString(ProjectTools.root().resolve("template.yaml"));
        String resources = yaml.substring(yaml.indexOf("\nResources:\n"), yaml.indexOf("\nOutputs:\n"));
        Matcher m = Pattern.compile("(?m)^  ([A-Za-z0-9]+):\\s*$").matcher(resources);
        List<String> ids = new java.util.ArrayList<>();
        while (m.find()) {
            ids.add(m.group(1));
        }
        return ids;
    }

    @Test
    void theTemplateCreatesAStackInMotoWithEveryResourceAndRemoteModeFindsItByName() throws Exception {
        MotoServer moto = MotoServer.get();
        moto.reset();

        Deployed deployed = deployTemplate(moto);

        assertThat(deployed.exit()).as(deployed.output()).isZero();
        assertThat(deployed.output()).contains("stack " + STACK + " CREATE_COMPLETE");
        List<String> ids = templateResources();
        assertThat(ids).contains("SnapshotTable", "SnapshotBucket", "BrakeStateMachine", "AlarmTopicKey", "AlarmTopicKeyAlias",
                "TargetFunctionRole", "RestopRule");
        for (String id : ids) {
            assertThat(deployed.output()).as("resource " + id + " is listed").containsPattern("(?m)^resource " + id + " ");
        }

        var http = UrlConnectionHttpClient.create();
        Map<String, String> outputs;
        try (var cfn = CloudFormationClient.builder().region(Region.of(REGION)).endpointOverride(moto.endpoint())
                .credentialsProvider(MotoAccount.CREDENTIALS).httpClient(http).build()) {
            outputs = cfn.describeStacks(b -> b.stackName(STACK)).stacks().get(0).outputs().stream()
                    .collect(Collectors.toMap(Output::outputKey, Output::outputValue));
        }
        assertThat(outputs).containsKeys(StackLookup.REQUIRED_OUTPUTS.toArray(String[]::new));
        // the outputs name what the stack created: the table and the bucket exist under those names
        try (var ddb = DynamoDbClient.builder().region(Region.of(REGION)).endpointOverride(moto.endpoint())
                .credentialsProvider(MotoAccount.CREDENTIALS).httpClient(http).build();
                var s3 = S3Client.builder().region(Region.of(REGION)).endpointOverride(moto.endpoint()).forcePathStyle(true)
                        .credentialsProvider(MotoAccount.CREDENTIALS).httpClient(http).build()) {
            assertThat(ddb.describeTable(b -> b.tableName(outputs.get("SnapshotTableName"))).table().keySchema()).hasSize(2);
            s3.headBucket(b -> b.bucket(outputs.get("SnapshotBucketName")));
        }

        // remote mode: the launcher finds the stack by name, reads its outputs and lists the (empty) snapshots
        InProcess.Run status = new InProcess(home).run("--status", "--stack", STACK, "--state-region", REGION,
                "--endpoint-url", moto.endpoint().toString(), "--output", "json");

        assertThat(status.exit()).as(status.err()).isEqualTo(ExitCode.OK);
        assertThat(status.err()).doesNotContain("no stack named").doesNotContain("has no output");
        assertThat(status.json().path("operations").isArray()).as(status.out()).isTrue();
        assertThat(status.json().path("operations")).isEmpty();
    }
}
