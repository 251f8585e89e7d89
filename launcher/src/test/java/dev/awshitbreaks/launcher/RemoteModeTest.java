package dev.awshitbreaks.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.awshitbreaks.core.Json;
import dev.awshitbreaks.testing.MotoAccount;
import dev.awshitbreaks.testing.MotoServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/**
 * Remote mode: the launcher starts the deployed stack's state machine with the request document and follows
 * the execution, against moto's Step Functions and CloudFormation over HTTP. The state machine definitions
 * are stand-ins that moto's interpreter runs (see {@link MotoStack}: moto cannot run the Java Lambda tasks);
 * the report a succeeded execution points at is one the real engine wrote, in-process, beforehand.
 */
class RemoteModeTest {
    private static final String STACK = "hit-breaks-remote";
    private MotoServer moto;
    private MotoAccount account;
    private MotoStack stack;
    private InProcess launcher;
    @TempDir
    Path home;

    @BeforeEach
    void setUp() {
        moto = MotoServer.get();
        moto.reset();
        account = new MotoAccount(moto.endpoint());
        stack = new MotoStack(moto.endpoint());
        stack.executeStateMachines(true);
        launcher = new InProcess(home).env("AWS_ENDPOINT_URL", moto.endpoint().toString());
    }

    @AfterEach
    void tearDown() {
        stack.executeStateMachines(false);
    }

    private InProcess.Run remote(String... args) {
        List<String> all = new java.util.ArrayList<>(List.of("--stack", STACK, "--state-region", MotoStack.REGION));
        all.addAll(List.of(args));
        return launcher.run(all.toArray(String[]::new));
    }

    /** A real pause by the engine in-process into the stack's table and bucket: its report is what the execution points at. */
    private JsonNode pausedByTheEngine(String... instanceIds) throws Exception {
        InProcess.Run r = launcher.run("--local", "--pause", "--region", "us-east-1", "--yes", "--output", "json",
                "--table", MotoStack.TABLE, "--bucket", MotoStack.BUCKET, "--state-region", MotoStack.REGION);
        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCode.OK);
        return r.json();
    }

    private static Map<String, Object> summaryOf(JsonNode report) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("operationId", report.path("operationId").asText());
        s.put("snapshotId", report.path("snapshotId").asText());
        s.put("action", "pause");
        s.put("dryRun", false);
        s.put("status", report.path("status").asText());
        s.put("counts", Json.mapper().convertValue(report.path("counts"), Map.class));
        s.put("failures", List.of());
        s.put("failedTargets", List.of());
        s.put("reportKey", "reports/" + report.path("operationId").asText() + ".json");
        return s;
    }

    private List<ExecutionListItem> executions(String arn) {
        return stack.sfn.listExecutions(b -> b.stateMachineArn(arn)).executions();
    }

    @Test
    void remotePauseSendsTheRequestDocumentFollowsTheExecutionAndPrintsTheReportItPointsAt() throws Exception {
        String a = account.runInstance("us-east-1", "t3.micro", Map.of("team", "a"));
        JsonNode engineReport = pausedByTheEngine(a);
        String arn = stack.deploy(STACK, MotoStack.passThenEnd(summaryOf(engineReport), 2));

        InProcess.Run r = remote("--pause", "--region", "us-east-1", "--tag", "team=a", "--exclude-id", "i-0123456789abcdef0",
                "--yes", "--output", "json");

        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCode.OK);
        List<ExecutionListItem> started = executions(arn);
        assertThat(started).hasSize(1);
        assertThat(started.get(0).name()).startsWith("launcher-pause-");
        JsonNode sent = Json.mapper().readTree(stack.sfn.describeExecution(b -> b.executionArn(started.get(0).executionArn())).input());
        assertThat(sent.path("action").asText()).isEqualTo("pause");
        assertThat(sent.path("regions")).hasSize(1);
        assertThat(sent.path("regions").get(0).asText()).isEqualTo("us-east-1");
        assertThat(sent.path("tags").path("team").asText()).isEqualTo("a");
        assertThat(sent.path("excludeIds").get(0).asText()).isEqualTo("i-0123456789abcdef0");
        assertThat(sent.path("dryRun").asBoolean(true)).isFalse();
        assertThat(sent.path("trigger").asText()).isEqualTo("launcher");
        assertThat(sent.path("services")).as("every service").hasSize(dev.awshitbreaks.core.ServiceKind.values().length);
        // the history's ExecutionStarted event carries the same document
        var first = stack.sfn.getExecutionHistory(b -> b.executionArn(started.get(0).executionArn())).events().get(0);
        assertThat(Json.mapper().readTree(first.executionStartedEventDetails().input())).isEqualTo(sent);
        // the output: the report the execution's summary points at, printed as local mode prints it
        assertThat(r.json().path("operationId").asText()).isEqualTo(engineReport.path("operationId").asText());
        assertThat(r.json().path("resources")).isEqualTo(engineReport.path("resources"));
        assertThat(r.err()).contains("Started pause on stack " + STACK).contains(started.get(0).executionArn())
                .contains("Execution SUCCEEDED");
    }

    @Test
    void aRemoteRunInATableShowsTheSameSummaryAsLocalMode() throws Exception {
        String a = account.runInstance("us-east-1", "t3.micro");
        JsonNode engineReport = pausedByTheEngine(a);
        stack.deploy(STACK, MotoStack.passThenEnd(summaryOf(engineReport), 0));

        InProcess.Run r = remote("--pause", "--region", "us-east-1", "--yes");

        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCode.OK);
        assertThat(r.out()).contains(a).contains("paused").contains("Done pause: 1 paused, 1 still-billing.") // the instance's volume
                .contains("Snapshot: " + engineReport.path("snapshotId").asText());
    }

    @Test
    void aFailedExecutionPrintsItsCauseAndExitsOne() {
        String arn = stack.deploy(STACK, MotoStack.fail("java.io.UncheckedIOException", "Summarize could not write the report"));

        InProcess.Run r = remote("--discover", "--region", "us-east-1");

        assertThat(r.exit()).isEqualTo(ExitCode.FAILURES);
        assertThat(r.err()).contains("the execution failed with java.io.UncheckedIOException: Summarize could not write the report")
                .contains(executions(arn).get(0).executionArn()).doesNotContain("\tat ");
    }

    @Test
    void aRequestTheStacksPlanRejectsExitsTwoLikeLocalMode() {
        stack.deploy(STACK, MotoStack.fail("HitBreaks.InvalidRequest", "unknown snapshot 'pause-20260101-000000-abcdef'"));

        InProcess.Run r = remote("--discover", "--region", "us-east-1");

        assertThat(r.exit()).isEqualTo(ExitCode.INVALID_INPUT);
        assertThat(r.err()).contains("unknown snapshot 'pause-20260101-000000-abcdef'").contains("nothing was touched");
    }

    @Test
    void aCorruptSnapshotTheStacksPlanRefusesExitsFourWithTheRecoveryLikeLocalMode() {
        stack.deploy(STACK, MotoStack.fail("HitBreaks.CorruptSnapshot",
                "snapshot pause-20260101-000000-abcdef is damaged in DynamoDB table t: its 'tags' is not a map"));

        InProcess.Run r = remote("--resume", "--region", "us-east-1", "--yes");

        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCode.AWS_ERROR);
        assertThat(r.err()).contains("its 'tags' is not a map").contains("--rebuild-from").doesNotContain("the execution failed");
    }

    @Test
    void anExecutionThatTimesOutIsReportedAndExitsOne() {
        stack.deploy(STACK, MotoStack.waitFor(10, 1));

        InProcess.Run r = remote("--discover", "--region", "us-east-1");

        assertThat(r.exit()).isEqualTo(ExitCode.FAILURES);
        assertThat(r.err()).contains("Execution TIMED_OUT").contains("the execution timed out");
    }

    @Test
    void anExecutionStoppedWhileFollowedIsReportedAsAbortedAndExitsOne() throws Exception {
        String arn = stack.deploy(STACK, MotoStack.waitFor(60, null));
        CompletableFuture<Void> stopper = CompletableFuture.runAsync(() -> {
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (System.nanoTime() < deadline) {
                var running = executions(arn).stream().filter(e -> e.status() == ExecutionStatus.RUNNING).findFirst();
                if (running.isPresent()) {
                    sleep(1500);
                    stack.sfn.stopExecution(b -> b.executionArn(running.get().executionArn()).error("Operator").cause("stopped by hand"));
                    return;
                }
                sleep(100);
            }
        });

        InProcess.Run r = remote("--discover", "--region", "us-east-1");
        stopper.get();

        assertThat(r.exit()).isEqualTo(ExitCode.FAILURES);
        assertThat(r.err()).contains("Execution ABORTED").contains("was stopped (aborted)");
    }

    @Test
    void followingGivesUpAtTimeoutWithExitSixAndLeavesTheExecutionRunning() {
        String arn = stack.deploy(STACK, MotoStack.waitFor(120, null));

        long t0 = System.nanoTime();
        InProcess.Run r = remote("--discover", "--region", "us-east-1", "--timeout", "2");
        long tookMs = (System.nanoTime() - t0) / 1_000_000;

        assertThat(r.exit()).isEqualTo(ExitCode.STILL_RUNNING);
        assertThat(r.err()).contains("still running after 2s (--timeout)").contains("was not stopped");
        assertThat(tookMs).isLessThan(15_000);
        assertThat(executions(arn).get(0).status()).isEqualTo(ExecutionStatus.RUNNING);
        stack.sfn.stopExecution(b -> b.executionArn(executions(arn).get(0).executionArn()));
    }

    @Test
    void withoutYesAndNoTerminalARemotePauseStartsNothing() {
        String arn = stack.deploy(STACK, MotoStack.waitFor(0, null));

        InProcess.Run r = remote("--pause", "--region", "us-east-1");

        assertThat(r.exit()).isEqualTo(ExitCode.NOT_CONFIRMED);
        assertThat(executions(arn)).isEmpty();
    }

    @Test
    void statusReadsTheSnapshotsInTheStacksTableAndBucket() throws Exception {
        String a = account.runInstance("us-east-1", "t3.micro");
        JsonNode engineReport = pausedByTheEngine(a);
        stack.deploy(STACK, MotoStack.waitFor(0, null));

        InProcess.Run r = remote("--status", "--output", "json");

        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCode.OK);
        JsonNode op = r.json().path("operations").get(0);
        assertThat(op.path("id").asText()).isEqualTo(engineReport.path("snapshotId").asText());
        assertThat(op.path("active").asBoolean()).isTrue();
    }

    @Test
    void theConfiguredStackIsUsedWhenNoneIsNamed() throws Exception {
        String a = account.runInstance("us-east-1", "t3.micro");
        JsonNode engineReport = pausedByTheEngine(a);
        String arn = stack.deploy(STACK, MotoStack.waitFor(0, null));
        new ConfigFile(home).save(LauncherConfig.remote(new StackInfo(STACK, MotoStack.REGION, arn, MotoStack.TABLE,
                MotoStack.BUCKET), Instant.now()));

        InProcess.Run r = launcher.run("--status");

        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCode.OK);
        assertThat(r.out()).contains(engineReport.path("snapshotId").asText());
    }

    @Test
    void noStackFoundSaysHowToDeployOrChooseLocalMode() {
        InProcess.Run r = remote("--status");

        assertThat(r.exit()).isEqualTo(ExitCode.AWS_ERROR);
        assertThat(r.err()).contains("no stack named '" + STACK + "' in us-east-1").contains("sam deploy --guided")
                .contains("--local").doesNotContain("\tat ");
    }

    @Test
    void theReportFileCarriesTheSameRowsAsJsonAndAsCsv() throws Exception {
        String a = account.runInstance("us-east-1", "t3.micro");
        String b = account.runInstance("us-east-1", "t3.small", Map.of("aws-hit-breaks:protect", "true"));
        JsonNode engineReport = pausedByTheEngine(a);
        stack.deploy(STACK, MotoStack.passThenEnd(summaryOf(engineReport), 0));
        Path json = home.resolve("report.json");
        Path csv = home.resolve("report.csv");

        assertThat(remote("--pause", "--region", "us-east-1", "--yes", "--report", json.toString()).exit()).isEqualTo(ExitCode.OK);
        assertThat(remote("--pause", "--region", "us-east-1", "--yes", "--report", csv.toString(), "--format", "csv").exit())
                .isEqualTo(ExitCode.OK);

        JsonNode doc = Json.mapper().readTree(Files.readString(json));
        List<String> rows = Files.readAllLines(csv);
        assertThat(rows.get(0)).isEqualTo(dev.awshitbreaks.engine.ReportCsv.HEADER);
        assertThat(rows).hasSize(doc.path("resources").size() + 1);
        String[] columns = dev.awshitbreaks.engine.ReportCsv.HEADER.split(",");
        for (int i = 0; i < doc.path("resources").size(); i++) {
            JsonNode res = doc.path("resources").get(i);
            List<String> cells = csvCells(rows.get(i + 1));
            assertThat(cells).as(rows.get(i + 1)).hasSize(columns.length);
            for (int c = 0; c < columns.length; c++) {
                JsonNode v = columns[c].equals("operationId") ? doc.path("operationId") : res.path(columns[c]);
                if (columns[c].equals("hourlyCost") && v.isNumber()) {
                    assertThat(Double.parseDouble(cells.get(c))).as(columns[c]).isEqualTo(v.asDouble());
                } else {
                    assertThat(cells.get(c).replaceFirst("^'", "")).as(columns[c]).isEqualTo(v.isMissingNode() || v.isNull() ? "" : v.asText());
                }
            }
        }
        assertThat(Files.readString(csv)).contains(a).contains(b);
    }

    @Test
    void interactiveOnTheStackScansWithADryRunExecutionAndDecliningStartsNothingElse() throws Exception {
        String a = account.runInstance("us-east-1", "t3.micro");
        InProcess.Run dry = launcher.run("--local", "--pause", "--dry-run", "--region", "us-east-1", "--output", "json",
                "--table", MotoStack.TABLE, "--bucket", MotoStack.BUCKET, "--state-region", MotoStack.REGION, "--yes");
        assertThat(dry.exit()).as(dry.err()).isEqualTo(ExitCode.OK);
        Map<String, Object> summary = summaryOf(dry.json());
        summary.put("dryRun", true);
        String arn = stack.deploy(STACK, MotoStack.passThenEnd(summary, 0));
        new ConfigFile(home).save(LauncherConfig.remote(new StackInfo(STACK, MotoStack.REGION, arn, MotoStack.TABLE,
                MotoStack.BUCKET), Instant.now()));

        InProcess.Run r = launcher.run("us-east-1\nn\n", true);

        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCode.NOT_CONFIRMED);
        assertThat(r.err()).contains("on the deployed stack " + STACK).contains("Started a dry run of pause")
                .contains("1 EC2 instance ").contains("Continue? [y/N]");
        List<ExecutionListItem> started = executions(arn);
        assertThat(started).hasSize(1);
        JsonNode sent = Json.mapper().readTree(stack.sfn.describeExecution(b -> b.executionArn(started.get(0).executionArn())).input());
        assertThat(sent.path("dryRun").asBoolean()).isTrue();
        assertThat(account.state("us-east-1", a)).isEqualTo("running");
    }

    /** One RFC 4180 line: quoted fields may hold commas and doubled quotes. */
    private static List<String> csvCells(String line) {
        List<String> cells = new java.util.ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quoted) {
                if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else if (ch == '"') {
                    quoted = false;
                } else {
                    cur.append(ch);
                }
            } else if (ch == '"') {
                quoted = true;
            } else if (ch == ',') {
                cells.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(ch);
            }
        }
        cells.add(cur.toString());
        return cells;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
