package dev.awshitbreaks.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.awshitbreaks.core.Json;
import dev.awshitbreaks.testing.MixedAccount;
import dev.awshitbreaks.testing.MixedAccount.ScalableTargetSpec;
import dev.awshitbreaks.testing.MotoServer;
import dev.awshitbreaks.testing.ProjectTools;
import dev.awshitbreaks.testing.ProvisionedConcurrencyStub;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * The shrunk Lambda artifact that {@code sam build} produces works: every handler, loaded from the artifact's
 * own classpath in a separate JVM ({@code .aws-sam/build/<Function>/lib/*} plus this module's local Lambda
 * endpoint, nothing else), pauses and resumes an account holding EC2, RDS, Aurora, ECS, Auto Scaling and Lambda
 * provisioned concurrency in two regions through the real state machine, re-stops a database RDS restarted,
 * and starts an execution from a budget alert.
 *
 * <p>Not part of {@code mvn verify} (its name does not match Surefire's default includes): it needs the output
 * of {@code sam build}, so {@code scripts/lint} runs it right after {@code sam build}, as
 * {@code mvn -pl local-runtime -am test -Dtest=LambdaArtifactCheck -Dsurefire.failIfNoSpecifiedTests=false}.
 * Without a built artifact it fails and says how to build one.
 */
class LambdaArtifactCheck {
    private static final List<String> FUNCTIONS = List.of("PlanFunction", "TargetFunction", "SummarizeFunction",
            "ReadinessFunction", "TriggerFunction", "RestopFunction");
    private static final String US = "us-east-1";
    private static final String EU = "eu-west-1";
    private static final List<String> REGIONS = List.of(US, EU);
    private static final long MAX_ARTIFACT_BYTES = 15L * 1024 * 1024;

    @Test
    void theBuiltArtifactPausesAndResumesEveryServiceAndRunsEveryHandler() throws Exception {
        Path build = Path.of(System.getProperty("hitbreaks.lambdaArtifacts",
                ProjectTools.root().resolve(".aws-sam/build").toString()));
        Path jar = artifactJar(build);
        assertNoUnusedHttpClients(jar);

        try (ProvisionedConcurrencyStub stub = ProvisionedConcurrencyStub.start(MotoServer.get().endpoint());
                StateMachineFixture fx = new StateMachineFixture(stub.endpoint());
                MixedAccount account = new MixedAccount(stub.endpoint());
                SfnClient sfn = SfnClient.builder().region(Region.of(US)).endpointOverride(MotoServer.get().endpoint())
                        .credentialsProvider(StateMachineFixture.credentials()).build()) {
            Map<String, String> seeded = new TreeMap<>();
            for (String region : REGIONS) {
                String suffix = region.replace("-", "");
                seeded.put("ec2:" + region, account.ec2Instance(region, "t3.micro", true, Map.of()));
                seeded.put("rds:" + region, account.rdsInstance(region, "orders-" + suffix, true, Map.of()));
                account.auroraCluster(region, "catalog-" + suffix, true, Map.of());
                account.ecsService(region, "alpha", "api", 3, Optional.of(new ScalableTargetSpec(2, 10, false, false, false)),
                        Map.of());
                account.autoScalingGroup(region, "workers-" + suffix, 1, 4, 2, List.of(), Map.of());
                seeded.put("lambda:" + region, account.lambdaFunctionWithProvisionedConcurrency(region, "fn-" + suffix, "live", 5,
                        Map.of()));
            }
            Map<String, String> before = account.observe(REGIONS);
            String machineArn = sfn.createStateMachine(b -> b.name("aws-hit-breaks-check")
                    .roleArn("arn:aws:iam::123456789012:role/check")
                    .definition("{\"StartAt\":\"Done\",\"States\":{\"Done\":{\"Type\":\"Succeed\"}}}")).stateMachineArn();

            Process server = startServer(jar, stub.endpoint(), machineArn);
            try {
                String line = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))
                        .readLine();
                assertThat(line).as("the artifact's JVM did not start its endpoint (its stderr is above)").isNotNull();
                URI endpoint = URI.create(line);
                LocalStateMachine machine = new LocalStateMachine(fx.definition, fx.runtime, LocalStateMachine.DEFAULT_TIMEOUT,
                        System.err);

                ExecutionResult pause = machine.execute(request("pause"), endpoint);
                assertThat(pause.succeeded()).as("%s", pause).isTrue();
                assertThat(pause.output().path("status").asText()).isEqualTo("paused");
                assertThat(pause.output().path("counts").path("paused").asInt()).as("6 services x 2 regions").isEqualTo(12);
                Map<String, String> whilePaused = account.observe(REGIONS);
                for (String region : REGIONS) {
                    String suffix = region.replace("-", "");
                    assertThat(whilePaused).containsEntry("ec2:" + region + ":" + seeded.get("ec2:" + region),
                            "state=stopped type=t3.micro")
                            .containsEntry("rds:" + region + ":orders-" + suffix, "status=stopped class=db.t3.micro")
                            .containsEntry("aurora:" + region + ":catalog-" + suffix, "status=stopped")
                            .containsEntry("lambda:" + region + ":" + seeded.get("lambda:" + region), "pc=none");
                    assertThat(whilePaused.get("ecs:" + region + ":alpha/api")).startsWith("desired=0 ");
                    assertThat(whilePaused.get("autoscaling:" + region + ":workers-" + suffix)).startsWith("min=0 max=4 desired=0 ");
                }

                // RestopHandler: RDS started a paused database after seven days; the handler stops it again.
                account.rds(US).startDBInstance(b -> b.dbInstanceIdentifier("orders-useast1"));
                String event = Files.readString(ProjectTools.root().resolve("events/rds-event-0154-instance.json"))
                        .replace("orders-db", "orders-useast1");
                JsonNode restop = invoke(endpoint, "hit-breaks-restop", event);
                assertThat(restop.toString()).doesNotContain("errorType");
                assertThat(account.observe(List.of(US))).containsEntry("rds:" + US + ":orders-useast1",
                        "status=stopped class=db.t3.micro");

                // TriggerHandler: a budget alert starts an execution of the state machine.
                JsonNode trigger = invoke(endpoint, "hit-breaks-trigger",
                        Files.readString(ProjectTools.root().resolve("events/sns-budget-actual.json")));
                assertThat(trigger.toString()).doesNotContain("errorType");
                assertThat(sfn.listExecutions(b -> b.stateMachineArn(machineArn)).executions()).hasSize(1);

                ExecutionResult resume = machine.execute(request("resume"), endpoint);
                assertThat(resume.succeeded()).as("%s", resume).isTrue();
                assertThat(resume.output().path("status").asText()).isEqualTo("resumed");
                assertThat(account.observe(REGIONS)).as("exactly as before the pause").isEqualTo(before);
            } finally {
                server.getOutputStream().close();
                if (!server.waitFor(20, TimeUnit.SECONDS)) {
                    server.destroyForcibly();
                }
            }
        }
    }

    /** Every function's artifact is one jar of at most 15 MB, the same jar for all six. */
    private static Path artifactJar(Path build) throws Exception {
        List<String> digests = new ArrayList<>();
        Path first = null;
        for (String function : FUNCTIONS) {
            Path lib = build.resolve(function).resolve("lib");
            assertThat(lib).as("no built artifact at %s: run `sam build` first (scripts/lint does), with AWS_REGION set"
                    + " and .tools/bin on PATH", lib).isDirectory();
            List<Path> jars;
            try (var files = Files.list(lib)) {
                jars = files.toList();
            }
            assertThat(jars).as("%s holds one jar", lib).hasSize(1);
            Path jar = jars.get(0);
            assertThat(Files.size(jar)).as("%s size", jar).isLessThanOrEqualTo(MAX_ARTIFACT_BYTES);
            digests.add(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(jar))));
            first = first == null ? jar : first;
        }
        assertThat(digests).as("the six functions deploy the same jar").containsOnly(digests.get(0));
        return first;
    }

    private static void assertNoUnusedHttpClients(Path jar) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            List<String> names = zip.stream().map(e -> e.getName()).toList();
            assertThat(names).contains("software/amazon/awssdk/http/urlconnection/UrlConnectionHttpClient.class");
            assertThat(names).noneMatch(n -> n.startsWith("software/amazon/awssdk/http/apache")
                    || n.startsWith("software/amazon/awssdk/http/nio") || n.startsWith("software/amazon/awssdk/http/crt")
                    || n.startsWith("io/netty") || n.startsWith("org/apache/http"));
        }
    }

    /** The handlers, loaded as the Lambda runtime loads them, in a JVM whose classpath is the artifact. */
    private static Process startServer(Path jar, URI awsEndpoint, String machineArn) throws IOException {
        String classpath = jar + java.io.File.pathSeparator + ProjectTools.root().resolve("local-runtime/target/classes");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath, LambdaArtifactServer.class.getName(),
                "hit-breaks-plan=dev.awshitbreaks.functions.PlanHandler",
                "hit-breaks-target=dev.awshitbreaks.functions.TargetHandler",
                "hit-breaks-summarize=dev.awshitbreaks.functions.SummarizeHandler",
                "hit-breaks-readiness=dev.awshitbreaks.functions.ReadinessHandler",
                "hit-breaks-trigger=dev.awshitbreaks.functions.TriggerHandler",
                "hit-breaks-restop=dev.awshitbreaks.functions.RestopHandler");
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("AWS_"));
        env.put("AWS_REGION", US);
        env.put("AWS_ACCESS_KEY_ID", "testing");
        env.put("AWS_SECRET_ACCESS_KEY", "testing");
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put("SNAPSHOT_TABLE", StateMachineFixture.TABLE);
        env.put("SNAPSHOT_BUCKET", StateMachineFixture.BUCKET);
        env.put("HITBREAKS_STATE_REGION", US);
        env.put("HITBREAKS_ENDPOINT_URL", awsEndpoint.toString());
        env.put("STATE_MACHINE_ARN", machineArn);
        env.put("TRIGGER_TOPIC_ARN", "arn:aws:sns:us-east-1:123456789012:aws-hit-breaks-alarms");
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        return pb.start();
    }

    private static JsonNode invoke(URI endpoint, String function, String payload) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                endpoint.resolve("/2015-03-31/functions/" + function + "/invocations"))
                .POST(HttpRequest.BodyPublishers.ofString(payload)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Amz-Function-Error")).as(response.body()).isEmpty();
        return Json.mapper().readTree(response.body().isEmpty() ? "{}" : response.body());
    }

    private static String request(String action) {
        return """
                {"action":"%s","regions":["us-east-1","eu-west-1"],"services":["ec2","rds","aurora","ecs","autoscaling","lambda"],\
                "trigger":"manual"}""".formatted(action);
    }
}
