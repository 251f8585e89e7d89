package dev.awshitbreaks.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awshitbreaks.core.Action;
import dev.awshitbreaks.core.OperationReport;
import dev.awshitbreaks.core.Outcome;
import dev.awshitbreaks.core.ResourceResult;
import dev.awshitbreaks.core.ServiceKind;
import dev.awshitbreaks.core.Target;
import dev.awshitbreaks.services.OriginalState;
import dev.awshitbreaks.services.OriginalState.Ec2Instance;
import dev.awshitbreaks.services.OriginalState.EcsService;
import dev.awshitbreaks.services.OriginalState.RdsInstance;
import dev.awshitbreaks.services.memory.InMemoryAccount;
import dev.awshitbreaks.services.memory.InMemoryAccount.Change;
import dev.awshitbreaks.services.memory.InMemoryAccount.OutageAt;
import dev.awshitbreaks.snapshot.OperationHeader;
import dev.awshitbreaks.snapshot.SnapshotRecord;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The engine's own logic, in milliseconds: the real engine and storage logic over the in-memory storage and an
 * {@link InMemoryAccount} (a stand-in for the services' APIs behind {@code ResourcePauser}; {@link InMemoryEngine}).
 * Each test is named after the rule it checks: a correctness property of the design
 * ({@code reference/aws-break-cli-design.md}: 5 state preservation, 9 dry run safety, 10 partial failure
 * resilience) or a rule of docs/architecture.md (the two phases, a pause joining the active snapshot, the first
 * original state kept, drift). What the real pausers do against the real APIs is tested against moto.
 */
class EngineOverInMemoryAccountTest {
    private static final String EAST = "us-east-1";
    private static final String WEST = "us-west-2";
    private static final String EU = "eu-west-1";
    private InMemoryEngine fixture;
    private InMemoryAccount account;

    @BeforeEach
    void setUp() {
        fixture = new InMemoryEngine();
        account = fixture.account;
    }

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    private static boolean isDatabase(Change c) {
        return c.service().database();
    }

    private static Map<String, Outcome> outcomes(OperationReport report) {
        Map<String, Outcome> out = new java.util.TreeMap<>();
        for (ResourceResult r : report.resources()) {
            assertThat(out.put(r.region() + "#" + r.service().id() + "#" + r.id(), r.outcome()))
                    .as("each resource once in the report: " + r.id()).isNull();
        }
        return out;
    }

    /** An account with compute and a database in each of three regions (more targets than run at once). */
    private void threeRegions() {
        for (String region : List.of(EAST, WEST, EU)) {
            account.instance(region, "i-" + region, "t3.micro", Map.of());
            account.service(region, "svc-" + region, 2, Map.of());
            account.database(region, "db-" + region, "db.t3.micro", Map.of());
        }
    }

    @Test
    void property5_everyOriginalStateIsRecordedBeforeItsResourceIsChanged() {
        threeRegions();
        List<String> checked = new CopyOnWriteArrayList<>();
        List<String> violations = new CopyOnWriteArrayList<>();
        account.beforeEachChange(c -> {
            String snapshot = fixture.store.activeSnapshotId().orElseThrow();
            SnapshotRecord r = fixture.records(snapshot).get(c.region() + "#" + c.service().id() + "#" + c.id());
            if (r == null || !InMemoryEngine.original(r).equals(c.from())) {
                violations.add(c.id() + " changed from " + c.from() + " while its record was " + r);
            }
            checked.add(c.id());
        });

        OperationReport report = fixture.pause(EAST, WEST, EU);

        assertThat(violations).as("Property 5: every original state is recorded before its resource is changed").isEmpty();
        assertThat(report.status()).isEqualTo(OperationHeader.PAUSED);
        assertThat(checked).hasSize(9);
    }

    @Test
    void phases_aPauseChangesADatabaseOnlyOnceEveryComputeTargetHasEnded() {
        threeRegions();
        List<String> violations = new CopyOnWriteArrayList<>();
        account.beforeEachChange(c -> {
            if (isDatabase(c)) {
                account.resources().stream().filter(r -> !r.service().database())
                        .filter(r -> !r.state().equals(new Ec2Instance("stopped", "t3.micro"))
                                && !r.state().equals(EcsService.withoutTarget(0)))
                        .forEach(r -> violations.add(c.id() + " stopped while " + r.id() + " was still " + r.state()));
            }
        });

        OperationReport report = fixture.pause(EAST, WEST, EU);

        assertThat(violations).as("compute before databases on pause: every compute resource is paused before a database")
                .isEmpty();
        assertThat(report.status()).isEqualTo(OperationHeader.PAUSED);
        List<Change> changes = account.changes();
        assertThat(changes).hasSize(9);
        assertThat(changes.subList(6, 9)).as("the databases last").allMatch(EngineOverInMemoryAccountTest::isDatabase);
    }

    @Test
    void phases_aResumeStartsDatabasesFirstAndComputeOnlyOnceEveryDatabaseIsAvailable() {
        threeRegions();
        fixture.pause(EAST, WEST, EU);
        int pauseChanges = account.changes().size();
        account.databaseStartReads(3);
        List<String> violations = new CopyOnWriteArrayList<>();
        account.beforeEachChange(c -> {
            if (!isDatabase(c)) {
                account.resources().stream().filter(r -> r.service().database())
                        .filter(r -> !"available".equals(((RdsInstance) r.state()).status()))
                        .forEach(r -> violations.add(c.id() + " started while " + r.id() + " was " + r.state()));
            }
        });

        OperationReport report = fixture.resume(EAST, WEST, EU);

        assertThat(violations).as("databases first on resume, and compute only once every database is available")
                .isEmpty();
        assertThat(report.status()).isEqualTo(OperationHeader.RESUMED);
        List<Change> changes = account.changes().subList(pauseChanges, account.changes().size());
        assertThat(changes).hasSize(9);
        assertThat(changes.subList(0, 3)).as("the databases first").allMatch(EngineOverInMemoryAccountTest::isDatabase);
    }

    @Test
    void joins_aPauseWhileASnapshotIsActiveJoinsItAndOneResumeRestoresWhatBothPaused() {
        account.instance(EAST, "i-first", "t3.micro", Map.of());
        OperationReport first = fixture.pause(EAST);
        account.instance(EAST, "i-second", "t3.large", Map.of());
        account.service(WEST, "svc-second", 3, Map.of());

        OperationReport second = fixture.pause(EAST, WEST);

        assertThat(second.snapshotId()).as("the second pause joins the active snapshot").isEqualTo(first.snapshotId());
        assertThat(outcomes(second)).containsOnlyKeys("us-east-1#ec2#i-second", "us-west-2#ecs#svc-second");
        assertThat(fixture.records(first.snapshotId())).containsOnlyKeys(
                "us-east-1#ec2#i-first", "us-east-1#ec2#i-second", "us-west-2#ecs#svc-second");
        assertThat(fixture.store.header(first.snapshotId()).orElseThrow().status()).isEqualTo(OperationHeader.PAUSED);

        OperationReport resume = fixture.resume(EAST, WEST);

        assertThat(resume.snapshotId()).isEqualTo(first.snapshotId());
        assertThat(account.states()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "us-east-1#ec2#i-first", new Ec2Instance("running", "t3.micro"),
                "us-east-1#ec2#i-second", new Ec2Instance("running", "t3.large"),
                "us-west-2#ecs#svc-second", EcsService.withoutTarget(3)));
        assertThat(fixture.store.activeSnapshotId()).isEmpty();
        assertThat(fixture.store.lock()).isEmpty();
    }

    @Test
    void firstOriginalWins_aSecondPauseNeverOverwritesTheOriginalStateTheFirstRecorded() {
        account.service(EAST, "svc", 3, Map.of());
        OperationReport first = fixture.pause(EAST);
        // between the pauses its owner (or an autoscaler) scales it to 1: the second pause finds 1 task running
        account.put(account.get(EAST, ServiceKind.ECS, "svc").orElseThrow().withState(EcsService.withoutTarget(1)));

        OperationReport second = fixture.pause(EAST);

        assertThat(outcomes(second)).containsExactly(Map.entry("us-east-1#ecs#svc", Outcome.PAUSED));
        SnapshotRecord record = fixture.records(first.snapshotId()).get("us-east-1#ecs#svc");
        assertThat(InMemoryEngine.original(record)).as("the first pause's original state is kept")
                .isEqualTo(EcsService.withoutTarget(3));

        fixture.resume(EAST);

        assertThat(account.get(EAST, ServiceKind.ECS, "svc").orElseThrow().state()).as("restored to the first original")
                .isEqualTo(EcsService.withoutTarget(3));
    }

    @Test
    void firstOriginalWins_aRetriedStateMachineTargetKeepsWhatItsFirstAttemptRecorded() {
        account.service(EAST, "svc", 3, Map.of());
        Plan plan = fixture.engine.plan(InMemoryEngine.request(Action.PAUSE, List.of(EAST)));
        Target ecs = new Target(EAST, ServiceKind.ECS);
        fixture.engine.runTarget(plan, ecs);
        // the first attempt's answer was lost; meanwhile the service was scaled to 2; the Map state retries the target
        account.put(account.get(EAST, ServiceKind.ECS, "svc").orElseThrow().withState(EcsService.withoutTarget(2)));

        var retried = fixture.engine.runTarget(plan, ecs);

        assertThat(retried.resources()).extracting(ResourceResult::outcome).containsExactly(Outcome.PAUSED);
        SnapshotRecord record = fixture.records(plan.snapshotId()).get("us-east-1#ecs#svc");
        assertThat(InMemoryEngine.original(record)).isEqualTo(EcsService.withoutTarget(3));
        OperationReport report = fixture.engine.summarizeStored(plan, List.of(new SummaryStep.TargetRef(EAST, ServiceKind.ECS, null)));
        assertThat(report.status()).isEqualTo(OperationHeader.PAUSED);
    }

    @Test
    void drift_aResourceGoneOrChangedSinceThePauseIsReportedNotFoughtAndTheSnapshotStillEndsResumed() {
        account.instance(EAST, "i-gone", "t3.micro", Map.of());
        account.instance(EAST, "i-resized", "t3.micro", Map.of());
        account.service(EAST, "svc", 2, Map.of());
        OperationReport pause = fixture.pause(EAST);
        account.delete(EAST, ServiceKind.EC2, "i-gone");
        account.put(account.get(EAST, ServiceKind.EC2, "i-resized").orElseThrow()
                .withState(new Ec2Instance("stopped", "m5.large")));

        OperationReport resume = fixture.resume(EAST);

        assertThat(outcomes(resume)).containsExactly(Map.entry("us-east-1#ec2#i-gone", Outcome.SKIPPED),
                Map.entry("us-east-1#ec2#i-resized", Outcome.RESUMED), Map.entry("us-east-1#ecs#svc", Outcome.RESUMED));
        assertThat(resume.resources()).filteredOn(r -> r.id().startsWith("i-")).extracting(ResourceResult::reason)
                .allMatch(reason -> reason.startsWith("drift: "));
        Map<String, SnapshotRecord> records = fixture.records(pause.snapshotId());
        assertThat(records.get("us-east-1#ec2#i-gone").phase()).as("moved out of the way, not resumed again").isEqualTo(Outcome.SKIPPED);
        assertThat(records.get("us-east-1#ec2#i-gone").reason()).startsWith("drift: ");
        assertThat(resume.status()).isEqualTo(OperationHeader.RESUMED);
        assertThat(fixture.store.activeSnapshotId()).as("nothing is left to resume").isEmpty();
        assertThat(account.get(EAST, ServiceKind.EC2, "i-resized").orElseThrow().state())
                .isEqualTo(new Ec2Instance("running", "m5.large"));
    }

    @Test
    void property10_oneResourceRefusedFailsAloneTheRestArePausedTheReportIsCompleteAndThePausePartial() {
        threeRegions();
        account.refuse(WEST, ServiceKind.EC2, "i-" + WEST, "IncorrectInstanceState: the instance is not in a state from which it can be stopped");

        OperationReport report = fixture.pause(EAST, WEST, EU);

        Map<String, Outcome> outcomes = outcomes(report);
        assertThat(outcomes).hasSize(9).containsEntry("us-west-2#ec2#i-us-west-2", Outcome.FAILED);
        assertThat(outcomes.values()).filteredOn(o -> o == Outcome.PAUSED).hasSize(8);
        assertThat(report.resources()).filteredOn(r -> r.outcome() == Outcome.FAILED).extracting(ResourceResult::reason)
                .containsExactly("IncorrectInstanceState: the instance is not in a state from which it can be stopped");
        assertThat(report.status()).isEqualTo(OperationHeader.PARTIAL);
        assertThat(fixture.store.header(report.snapshotId()).orElseThrow().status()).isEqualTo(OperationHeader.PARTIAL);
        assertThat(fixture.records(report.snapshotId()).get("us-west-2#ec2#i-us-west-2").phase())
                .as("its record stays resumable").isEqualTo(Outcome.FAILED);
        assertThat(account.get(WEST, ServiceKind.EC2, "i-" + WEST).orElseThrow().state())
                .isEqualTo(new Ec2Instance("running", "t3.micro"));
        assertThat(fixture.store.lock()).isEmpty();
    }

    @Test
    void property10_oneTargetFailingLeavesTheOthersPausedListsItInTheReportAndMakesThePausePartial() {
        threeRegions();
        account.outage(EU, ServiceKind.ECS, OutageAt.DISCOVERY);
        account.outage(WEST, ServiceKind.RDS, OutageAt.CHANGE); // after its original states were recorded

        OperationReport report = fixture.pause(EAST, WEST, EU);

        assertThat(report.failedTargets()).extracting(f -> f.region() + "/" + f.service())
                .containsExactlyInAnyOrder("eu-west-1/ecs", "us-west-2/rds");
        assertThat(report.failedTargets()).allMatch(f -> f.error().contains("ServiceUnavailable"));
        assertThat(outcomes(report)).hasSize(7).doesNotContainKeys("eu-west-1#ecs#svc-eu-west-1", "us-west-2#rds#db-us-west-2")
                .allSatisfy((k, o) -> assertThat(o).isEqualTo(Outcome.PAUSED));
        assertThat(report.status()).isEqualTo(OperationHeader.PARTIAL);
        assertThat(fixture.store.lock()).isEmpty();
        assertThat(fixture.store.activeSnapshotId()).contains(report.snapshotId());

        // the resume puts back what was paused and leaves alone what the failed targets never changed
        account.clearFaults();
        OperationReport resume = fixture.resume(EAST, WEST, EU);
        account.timePasses();
        assertThat(resume.status()).isEqualTo(OperationHeader.RESUMED);
        assertThat(account.states().values()).allMatch(s -> s.equals(new Ec2Instance("running", "t3.micro"))
                || s.equals(EcsService.withoutTarget(2)) || s instanceof RdsInstance db && "available".equals(db.status()));
    }

    @Test
    void property10_aResumeRefusedForOneResourceRestoresTheRestAndTheNextResumeRestoresIt() {
        threeRegions();
        OperationReport pause = fixture.pause(EAST, WEST, EU);
        account.refuse(EAST, ServiceKind.ECS, "svc-" + EAST, "ThrottlingException: Rate exceeded");

        OperationReport first = fixture.resume(EAST, WEST, EU);

        assertThat(outcomes(first)).hasSize(9).containsEntry("us-east-1#ecs#svc-us-east-1", Outcome.FAILED);
        assertThat(first.status()).isEqualTo(OperationHeader.PARTIAL);
        assertThat(fixture.store.activeSnapshotId()).as("still to resume").contains(pause.snapshotId());
        assertThat(account.get(WEST, ServiceKind.ECS, "svc-" + WEST).orElseThrow().state()).isEqualTo(EcsService.withoutTarget(2));

        account.clearFaults();
        OperationReport second = fixture.resume();

        assertThat(outcomes(second)).containsExactly(Map.entry("us-east-1#ecs#svc-us-east-1", Outcome.RESUMED));
        assertThat(second.status()).isEqualTo(OperationHeader.RESUMED);
        assertThat(account.get(EAST, ServiceKind.ECS, "svc-" + EAST).orElseThrow().state()).isEqualTo(EcsService.withoutTarget(2));
        assertThat(fixture.store.activeSnapshotId()).isEmpty();
    }

    @Test
    void property9_aDryRunChangesNothingStoresNoRecordAndListsExactlyWhatThePauseThenChanges() {
        threeRegions();
        account.instance(EAST, "i-protected", "t3.micro", Map.of("aws-hit-breaks:protect", "true"));
        Map<String, OriginalState> before = account.states();

        OperationReport dry = fixture.run(InMemoryEngine.dryRun(Action.PAUSE, List.of(EAST, WEST, EU)));

        assertThat(account.states()).isEqualTo(before);
        assertThat(account.changes()).isEmpty();
        assertThat(fixture.store.activeSnapshotId()).isEmpty();
        assertThat(fixture.store.lock()).isEmpty();
        Map<String, Outcome> wouldPause = outcomes(dry);
        assertThat(wouldPause).containsEntry("us-east-1#ec2#i-protected", Outcome.SKIPPED);

        OperationReport real = fixture.pause(EAST, WEST, EU);

        assertThat(account.changes()).extracting(c -> c.region() + "#" + c.service().id() + "#" + c.id())
                .containsExactlyInAnyOrderElementsOf(wouldPause.entrySet().stream()
                        .filter(e -> e.getValue() == Outcome.WOULD_PAUSE).map(Map.Entry::getKey).toList());
        assertThat(outcomes(real).keySet()).isEqualTo(wouldPause.keySet());
    }
}
