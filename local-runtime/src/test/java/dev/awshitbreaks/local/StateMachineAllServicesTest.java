package dev.awshitbreaks.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import dev.awshitbreaks.core.Json;
import dev.awshitbreaks.core.OperationReport;
import dev.awshitbreaks.core.Outcome;
import dev.awshitbreaks.core.ResourceResult;
import dev.awshitbreaks.core.ServiceKind;
import dev.awshitbreaks.testing.MixedAccount;
import dev.awshitbreaks.testing.MixedAccount.ScalableTargetSpec;
import dev.awshitbreaks.testing.MotoServer;
import dev.awshitbreaks.testing.ProvisionedConcurrencyStub;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The real definition, run by aws-local-stepfunctions through the real handlers, over a two-region account
 * holding one of every kind of resource the brake handles (moto, with Lambda provisioned concurrency from
 * {@link ProvisionedConcurrencyStub}, whose endpoint the handlers' engine and the seeder both use).
 */
class StateMachineAllServicesTest {
    private static final String US = "us-east-1";
    private static final String EU = "eu-west-1";
    private static final List<String> REGIONS = List.of(US, EU);
    private static final String PROTECT = "aws-hit-breaks:protect";
    /** What a pause suspends on a group (AutoScalingPauser.PAUSE_PROCESSES), sorted. */
    private static final List<String> PAUSE_PROCESSES = List.of("AZRebalance", "AlarmNotification", "HealthCheck",
            "InstanceRefresh", "Launch", "ReplaceUnhealthy", "ScheduledActions");

    private ProvisionedConcurrencyStub stub;
    private StateMachineFixture fx;
    private MixedAccount account;

    @BeforeEach
    void setUp() {
        stub = ProvisionedConcurrencyStub.start(MotoServer.get().endpoint());
        fx = new StateMachineFixture(stub.endpoint()); // resets moto
        account = new MixedAccount(stub.endpoint());
    }

    @AfterEach
    void tearDown() {
        account.close();
        fx.close();
        stub.close();
    }

    /** What one region holds, by role. */
    private record Seeded(String region, String running, String stopped, String guarded, String db, String cluster,
            String service, String group, String function) {
    }

    private Seeded seed(String region) {
        String suffix = region.replace("-", "");
        return new Seeded(region,
                account.ec2Instance(region, "t3.micro", true, Map.of("env", "dev")),
                account.ec2Instance(region, "t3.small", false, Map.of()),
                account.ec2Instance(region, "t3.micro", true, Map.of(PROTECT, "true")),
                account.rdsInstance(region, "orders-" + suffix, true, Map.of()),
                account.auroraCluster(region, "catalog-" + suffix, true, Map.of()),
                account.ecsService(region, "alpha", "api", 3, Optional.of(new ScalableTargetSpec(2, 10, true, false, false)),
                        Map.of()),
                account.autoScalingGroup(region, "workers-" + suffix, 1, 4, 2, List.of("AZRebalance"), Map.of()),
                account.lambdaFunctionWithProvisionedConcurrency(region, "fn-" + suffix, "live", 5, Map.of()));
    }

    @Test
    void stateMachinePausesAndResumesATwoRegionAccountHoldingEveryService() throws IOException {
        List<Seeded> seeded = List.of(seed(US), seed(EU));
        Map<String, String> before = account.observe(REGIONS);
        assertThat(before).hasSize(16);
        for (Seeded s : seeded) {
            String r = s.region();
            assertThat(before).containsEntry("ec2:" + r + ":" + s.running(), "state=running type=t3.micro")
                    .containsEntry("ec2:" + r + ":" + s.stopped(), "state=stopped type=t3.small")
                    .containsEntry("ecs:" + r + ":alpha/api", "desired=3 target=min 2 max 10 in=true out=false scheduled=false")
                    .containsEntry("autoscaling:" + r + ":" + s.group(), "min=1 max=4 desired=2 suspended=[AZRebalance]")
                    .containsEntry("lambda:" + r + ":" + s.function(), "pc=5");
        }

        // ---------------------------------------------------------------- pause
        Calls pauseCalls = new Calls();
        ExecutionResult pause = fx.run(request("pause"), pauseCalls.wrap(fx.handlers()));

        assertThat(pause.succeeded()).as("%s%n%s", pause, fx.log()).isTrue();
        JsonNode out = pause.output();
        OperationReport pauseReport = report(out);
        assertThat(out.path("status").asText()).as("%s", pauseReport.resources()).isEqualTo("paused");
        assertThat(out.path("failures")).isEmpty();
        assertThat(out.path("failedTargets")).isEmpty();
        assertThat(out.path("counts").path("paused").asInt()).as("per region: EC2, RDS, Aurora, ECS, ASG, Lambda")
                .isEqualTo(12);
        assertThat(out.path("counts").path("failed").asInt()).isZero();
        assertThat(paused(pauseReport)).containsExactlyInAnyOrderElementsOf(seeded.stream().flatMap(s -> List.of(
                "ec2:" + s.region() + ":" + s.running(), "rds:" + s.region() + ":" + s.db(),
                "aurora:" + s.region() + ":" + s.cluster(), "ecs:" + s.region() + ":" + s.service(),
                "autoscaling:" + s.region() + ":" + s.group(), "lambda:" + s.region() + ":" + s.function()).stream()).toList());
        // skipped: each region's protected instance, and (when EC2 discovery saw them before their group terminated
        // them) the instances the groups launched, which are left to their group
        List<ResourceResult> skipped = pauseReport.resources().stream().filter(x -> x.outcome() == Outcome.SKIPPED).toList();
        assertThat(skipped).filteredOn(x -> x.reason().contains(PROTECT)).extracting(ResourceResult::id)
                .containsExactlyInAnyOrder(seeded.get(0).guarded(), seeded.get(1).guarded());
        assertThat(skipped).allSatisfy(x -> assertThat(x.reason()).containsAnyOf(PROTECT, "member of Auto Scaling group"));
        assertThat(out.path("counts").path("skipped").asInt()).isEqualTo(skipped.size());
        assertThat(pause.count("StateEntered", "RunFirstPhaseTarget")).as("compute: 4 services x 2 regions").isEqualTo(8);
        assertThat(pause.count("StateEntered", "RunSecondPhaseTarget")).as("databases: 2 services x 2 regions").isEqualTo(4);
        assertPhases(pause, pauseCalls, false);

        Map<String, String> whilePaused = account.observe(REGIONS);
        Map<String, String> expectedPaused = new TreeMap<>(before);
        for (Seeded s : seeded) {
            String r = s.region();
            expectedPaused.put("ec2:" + r + ":" + s.running(), "state=stopped type=t3.micro");
            expectedPaused.put("rds:" + r + ":" + s.db(), "status=stopped class=db.t3.micro");
            expectedPaused.put("aurora:" + r + ":" + s.cluster(), "status=stopped");
            expectedPaused.put("ecs:" + r + ":" + s.service(), "desired=0 target=min 0 max 10 in=true out=true scheduled=true");
            expectedPaused.put("autoscaling:" + r + ":" + s.group(), "min=0 max=4 desired=0 suspended=" + PAUSE_PROCESSES);
            expectedPaused.put("lambda:" + r + ":" + s.function(), "pc=none");
            assertThat(whilePaused).as("untouched").containsEntry("ec2:" + r + ":" + s.stopped(), "state=stopped type=t3.small")
                    .containsEntry("ec2:" + r + ":" + s.guarded(), "state=running type=t3.micro");
        }
        assertThat(whilePaused).isEqualTo(expectedPaused);

        // ---------------------------------------------------------------- resume
        Calls resumeCalls = new Calls();
        ExecutionResult resume = fx.run(request("resume"), resumeCalls.wrap(fx.handlers()));

        assertThat(resume.succeeded()).as("%s%n%s", resume, fx.log()).isTrue();
        JsonNode summary = resume.output();
        OperationReport resumeReport = report(summary);
        assertThat(summary.path("status").asText()).as("%s", resumeReport.resources()).isEqualTo("resumed");
        assertThat(summary.path("snapshotId").asText()).isEqualTo(out.path("snapshotId").asText());
        assertThat(summary.path("counts").path("resumed").asInt()).isEqualTo(12);
        assertThat(summary.path("failures")).isEmpty();
        assertThat(summary.path("failedTargets")).isEmpty();
        assertThat(resumeReport.resources()).as("nothing drifted").allSatisfy(x -> assertThat(x.reason()).isNull());
        assertThat(resume.count("StateEntered", "RunFirstPhaseTarget")).as("databases first on resume").isEqualTo(4);
        assertThat(resume.count("StateEntered", "RunSecondPhaseTarget")).isEqualTo(8);
        assertPhases(resume, resumeCalls, true);

        assertThat(account.observe(REGIONS)).as("exactly as before the pause").isEqualTo(before);
    }

    // ---------------------------------------------------------------- helpers

    private static String request(String action) {
        return """
                {"action":"%s","regions":["us-east-1","eu-west-1"],"services":["ec2","rds","aurora","ecs","autoscaling","lambda"],\
                "trigger":"manual"}""".formatted(action);
    }

    /** The run's full report, from S3. */
    private OperationReport report(JsonNode summary) throws IOException {
        byte[] json = fx.clients.s3().getObjectAsBytes(b -> b.bucket(StateMachineFixture.BUCKET)
                .key(summary.path("reportKey").asText())).asByteArray();
        return Json.mapper().readValue(json, OperationReport.class);
    }

    private static List<String> paused(OperationReport report) {
        return report.resources().stream().filter(x -> x.outcome() == Outcome.PAUSED)
                .map(x -> x.service().id() + ":" + x.region() + ":" + x.id()).toList();
    }

    /**
     * The first phase (compute on pause, databases on resume) ran all its targets, and its Map state ended, before
     * the second phase's Map started: in the execution history, and in the target invocations' own clocks.
     */
    private static void assertPhases(ExecutionResult run, Calls calls, boolean databasesFirst) {
        List<String> events = run.history().stream().map(e -> e.type() + " " + e.state()).toList();
        int firstExited = events.indexOf("StateExited RunFirstTargets");
        int secondEntered = events.indexOf("StateEntered RunSecondTargets");
        assertThat(firstExited).as("%s", events).isNotNegative();
        assertThat(secondEntered).as("%s", events).isGreaterThan(firstExited);
        assertThat(events.subList(0, firstExited)).doesNotContain("StateEntered RunSecondPhaseTarget");
        assertThat(events.subList(secondEntered, events.size())).doesNotContain("StateEntered RunFirstPhaseTarget");

        List<Call> first = calls.all().stream().filter(c -> c.database() == databasesFirst).toList();
        List<Call> second = calls.all().stream().filter(c -> c.database() != databasesFirst).toList();
        assertThat(first).hasSize(databasesFirst ? 4 : 8);
        assertThat(second).hasSize(databasesFirst ? 8 : 4);
        long firstEnded = first.stream().mapToLong(Call::end).max().orElseThrow();
        long secondStarted = second.stream().mapToLong(Call::start).min().orElseThrow();
        assertThat(firstEnded).as("the %s phase ended before the %s phase started", databasesFirst ? "database" : "compute",
                databasesFirst ? "compute" : "database").isLessThan(secondStarted);
    }

    /** One target invocation: its service and when it ran (System.nanoTime). */
    private record Call(String region, String service, long start, long end) {
        boolean database() {
            return ServiceKind.fromId(service).database();
        }
    }

    /** Records every target handler invocation. */
    private static final class Calls {
        private final List<Call> calls = Collections.synchronizedList(new ArrayList<>());

        Map<String, RequestStreamHandler> wrap(Map<String, RequestStreamHandler> handlers) {
            RequestStreamHandler target = handlers.get(LocalStateMachine.TARGET_FUNCTION);
            handlers.put(LocalStateMachine.TARGET_FUNCTION, new RequestStreamHandler() {
                @Override
                public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
                    byte[] payload = input.readAllBytes();
                    JsonNode t = Json.mapper().readTree(payload).path("target");
                    long start = System.nanoTime();
                    try {
                        target.handleRequest(new ByteArrayInputStream(payload), output, context);
                    } finally {
                        calls.add(new Call(t.path("region").asText(), t.path("service").asText(), start, System.nanoTime()));
                    }
                }
            });
            return handlers;
        }

        List<Call> all() {
            synchronized (calls) {
                return List.copyOf(calls);
            }
        }
    }
}
