package dev.awshitbreaks.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awshitbreaks.core.Action;
import dev.awshitbreaks.core.OperationReport;
import dev.awshitbreaks.core.Outcome;
import dev.awshitbreaks.core.ResourceResult;
import dev.awshitbreaks.core.ServiceKind;
import dev.awshitbreaks.services.OriginalState;
import dev.awshitbreaks.services.OriginalState.Ec2Instance;
import dev.awshitbreaks.services.OriginalState.EcsService;
import dev.awshitbreaks.services.OriginalState.RdsInstance;
import dev.awshitbreaks.services.memory.InMemoryAccount;
import dev.awshitbreaks.services.memory.InMemoryAccount.OutageAt;
import dev.awshitbreaks.services.memory.InMemoryAccount.Resource;
import dev.awshitbreaks.snapshot.OperationHeader;
import dev.awshitbreaks.snapshot.SnapshotRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The design's correctness property 6 (pause-resume round trip), with property 10 (partial failure resilience),
 * property 5 (every original state recorded before its resource changes) and the first original state kept when a pause joins the active snapshot, over random accounts and random failures, in
 * milliseconds a case: the real engine over the in-memory storage and an {@link InMemoryAccount} ({@link InMemoryEngine}).
 *
 * <p>Each case draws an account (EC2 instances, RDS instances and ECS services in one or two regions, some not
 * running, some protected), resources the API refuses to change and (region, service) targets whose API is down (at
 * discovery, or only at the change, after the original states were recorded); pauses; lets the owner change some
 * paused resources (started or scaled up again, resized, deleted) and launch new ones; pauses again (joining the
 * snapshot, with more refusals); resumes with refusals, then, the faults gone, resumes again until nothing is left.
 * Every report must list each resource once with the outcome its faults call for, and be partial exactly when
 * something failed (property 10); the second pause must keep every original state the first recorded; and at the
 * end every resource must be exactly as it was before the first pause (property 6), drift apart (a deleted resource
 * stays deleted, a resized instance runs at its new size).
 *
 * <p>{@value #DEFAULT_CASES} cases (override with {@code -Dproperties.cases=N}); each case is seeded, its seed is in
 * its name and in any failure, and {@code -Dproperties.seed=S -Dproperties.cases=1} re-runs exactly that case.
 */
class RoundTripInMemoryPropertyTest {
    static final int DEFAULT_CASES = 100;
    private static final int CASES = Integer.getInteger("properties.cases", DEFAULT_CASES);
    private static final long BASE_SEED = Long.getLong("properties.seed", System.nanoTime());
    private static final List<String> REGIONS = List.of("us-east-1", "us-west-2", "eu-west-1");
    private static final List<String> TYPES = List.of("t3.micro", "t3.large", "m5.large");
    private static final String PROTECT = "aws-hit-breaks:protect";

    @TestFactory
    Stream<DynamicTest> property6_pauseJoinAndResumeRestoreExactlyWhatTheFirstPauseRecordedDespiteRandomFailures() {
        String property = "Property 6 (pause-resume round trip) with properties 5 and 10 and the first original kept";
        return IntStream.range(0, CASES).mapToObj(n -> {
            long seed = BASE_SEED + n;
            return DynamicTest.dynamicTest(property + " case " + n + " seed=" + seed, () -> {
                StringBuilder story = new StringBuilder();
                try (InMemoryEngine fixture = new InMemoryEngine()) {
                    new Case(new Random(seed), fixture, story).run();
                } catch (AssertionError | RuntimeException e) {
                    throw new AssertionError(property + " failed for seed=" + seed + " (re-run: -Dproperties.seed=" + seed
                            + " -Dproperties.cases=1): " + e.getMessage() + "\nthe case:\n" + story, e);
                }
            });
        });
    }

    private static String key(Resource r) {
        return r.region() + "#" + r.service().id() + "#" + r.id();
    }

    private static String key(ResourceResult r) {
        return r.region() + "#" + r.service().id() + "#" + r.id();
    }

    private static boolean costsMoney(OriginalState s) {
        return s instanceof Ec2Instance e ? "running".equals(e.state())
                : s instanceof RdsInstance r ? "available".equals(r.status())
                : ((EcsService) s).desiredCount() > 0;
    }

    private static OriginalState pausedState(OriginalState s) {
        return s instanceof Ec2Instance e ? new Ec2Instance("stopped", e.instanceType())
                : s instanceof RdsInstance r ? new RdsInstance("stopped", r.dbInstanceClass(), r.engine(), r.resourceId())
                : EcsService.withoutTarget(0);
    }

    /** One random case: its account, faults and the expectations they imply. */
    private static final class Case {
        private final Random rnd;
        private final InMemoryEngine fixture;
        private final InMemoryAccount account;
        private final StringBuilder story;
        private final List<String> regions;
        /** What every resource must be at the end, by key; absent: deleted. */
        private final Map<String, OriginalState> expectedAtEnd = new TreeMap<>();
        private int counter;

        Case(Random rnd, InMemoryEngine fixture, StringBuilder story) {
            this.rnd = rnd;
            this.fixture = fixture;
            this.account = fixture.account;
            this.story = story;
            List<String> shuffled = new ArrayList<>(REGIONS);
            java.util.Collections.shuffle(shuffled, rnd);
            this.regions = List.copyOf(shuffled.subList(0, 1 + rnd.nextInt(2)));
        }

        private void say(String line) {
            story.append("  ").append(line).append('\n');
        }

        private Map<String, String> tags() {
            return rnd.nextInt(10) == 0 ? Map.of(PROTECT, "true") : Map.of();
        }

        private void launch(String region) {
            int kind = rnd.nextInt(3);
            String id = (kind == 0 ? "i-" : kind == 1 ? "db-" : "svc-") + (++counter);
            Map<String, String> tags = tags();
            if (kind == 0) {
                account.instance(region, id, TYPES.get(rnd.nextInt(TYPES.size())), tags);
                if (rnd.nextInt(5) == 0) {
                    Resource r = account.get(region, ServiceKind.EC2, id).orElseThrow();
                    account.put(r.withState(new Ec2Instance("stopped", r.type())));
                }
            } else if (kind == 1) {
                account.database(region, id, "db.t3.micro", tags);
                if (rnd.nextInt(5) == 0) {
                    Resource r = account.get(region, ServiceKind.RDS, id).orElseThrow();
                    account.put(r.withState(pausedState(r.state())));
                }
            } else {
                account.service(region, id, rnd.nextInt(5), tags);
            }
            ServiceKind service = kind == 0 ? ServiceKind.EC2 : kind == 1 ? ServiceKind.RDS : ServiceKind.ECS;
            Resource r = account.get(region, service, id).orElseThrow();
            expectedAtEnd.put(key(r), r.state());
            say("launched " + key(r) + " " + r.state() + (tags.isEmpty() ? "" : " protected"));
        }

        /** Random refusals among the resources that cost money; returns their keys. */
        private Set<String> refuseSome(int oneIn) {
            Set<String> refused = new HashSet<>();
            for (Resource r : account.resources()) {
                if (rnd.nextInt(oneIn) == 0) {
                    account.refuse(r.region(), r.service(), r.id(), "ThrottlingException: Rate exceeded");
                    refused.add(key(r));
                    say("refuse changes of " + key(r));
                }
            }
            return refused;
        }

        void run() {
            // design property 5, checked at every change a pause makes
            java.util.concurrent.atomic.AtomicBoolean pausing = new java.util.concurrent.atomic.AtomicBoolean();
            List<String> unrecorded = new java.util.concurrent.CopyOnWriteArrayList<>();
            account.beforeEachChange(c -> {
                String k = c.region() + "#" + c.service().id() + "#" + c.id();
                SnapshotRecord r = !pausing.get() ? null
                        : fixture.store.activeSnapshotId().map(fixture::records).map(m -> m.get(k)).orElse(null);
                if (pausing.get() && (r == null || !r.needsResume())) {
                    unrecorded.add(k + " changed by a pause before its original state was recorded");
                }
            });
            say("regions " + regions);
            for (String region : regions) {
                int n = rnd.nextInt(7);
                for (int i = 0; i < n; i++) {
                    launch(region);
                }
            }
            // ------------------------------------------------ the first pause, with refusals and outages
            Map<String, OriginalState> beforePause = account.states();
            Set<String> refused = refuseSome(8);
            Map<String, OutageAt> outages = new HashMap<>();
            for (String region : regions) {
                for (ServiceKind s : List.of(ServiceKind.EC2, ServiceKind.RDS, ServiceKind.ECS)) {
                    if (rnd.nextInt(12) == 0) {
                        OutageAt at = rnd.nextBoolean() ? OutageAt.DISCOVERY : OutageAt.CHANGE;
                        account.outage(region, s, at);
                        outages.put(region + "/" + s.id(), at);
                        say("outage of " + region + "/" + s.id() + " at " + at);
                    }
                }
            }
            say("pause");
            pausing.set(true);
            OperationReport first = fixture.run(InMemoryEngine.request(Action.PAUSE, regions));
            pausing.set(false);
            assertThat(unrecorded).as("Property 5: recorded before any change").isEmpty();
            String snapshot = first.snapshotId();
            assertThat(first.failedTargets()).as("Property 10: every failed target is in the report")
                    .extracting(f -> f.region() + "/" + f.service()).containsExactlyInAnyOrderElementsOf(outages.keySet());
            Map<String, Outcome> expected = new TreeMap<>();
            for (Resource r : account.resources()) {
                if (!costsMoney(beforePause.get(key(r))) || outages.containsKey(r.region() + "/" + r.service().id())) {
                    continue;
                }
                expected.put(key(r), r.tags().containsKey(PROTECT) ? Outcome.SKIPPED
                        : refused.contains(key(r)) ? Outcome.FAILED : Outcome.PAUSED);
            }
            assertReport(first, expected, OperationHeader.PAUSED);
            for (Resource r : account.resources()) {
                OriginalState was = beforePause.get(key(r));
                assertThat(r.state()).as("Property 10: %s is paused, or left as it was", key(r))
                        .isEqualTo(expected.get(key(r)) == Outcome.PAUSED ? pausedState(was) : was);
            }
            Map<String, SnapshotRecord> recordedFirst = fixture.records(snapshot);
            account.clearFaults();

            // ------------------------------------------------ the owner changes paused resources, launches new ones
            for (Resource r : account.resources()) {
                if (expected.get(key(r)) != Outcome.PAUSED) {
                    continue;
                }
                int what = rnd.nextInt(10);
                if (what == 0 && r.state() instanceof EcsService) {
                    int count = 1 + rnd.nextInt(6);
                    account.put(r.withState(EcsService.withoutTarget(count)));
                    say("owner scales " + key(r) + " to " + count);
                } else if (what == 0 && r.state() instanceof Ec2Instance e) {
                    account.put(r.withState(new Ec2Instance("running", e.instanceType())));
                    say("owner starts " + key(r));
                } else if (what == 1) {
                    account.delete(r.region(), r.service(), r.id());
                    expectedAtEnd.remove(key(r));
                    say("owner deletes " + key(r));
                } else if (what == 2 && r.state() instanceof Ec2Instance e) {
                    String type = e.instanceType().equals("m5.large") ? "t3.micro" : "m5.large";
                    account.put(r.withState(new Ec2Instance("stopped", type)));
                    expectedAtEnd.put(key(r), new Ec2Instance("running", type));
                    say("owner resizes " + key(r) + " to " + type);
                }
            }
            if (rnd.nextBoolean()) {
                launch(regions.get(rnd.nextInt(regions.size())));
            }

            // ------------------------------------------------ the second pause joins, keeping the first originals
            refuseSome(20);
            say("pause again");
            pausing.set(true);
            OperationReport second = fixture.run(InMemoryEngine.request(Action.PAUSE, regions));
            pausing.set(false);
            assertThat(unrecorded).as("Property 5: recorded before any change").isEmpty();
            assertThat(second.snapshotId()).as("a pause while a snapshot is active joins it").isEqualTo(snapshot);
            assertThat(second.failedTargets()).isEmpty();
            Map<String, SnapshotRecord> recordedSecond = fixture.records(snapshot);
            recordedFirst.forEach((k, r) -> {
                if (r.needsResume()) {
                    assertThat(recordedSecond.get(k).original()).as("the first original state of %s is kept", k)
                            .isEqualTo(r.original());
                }
            });
            account.clearFaults();

            // ------------------------------------------------ resume with refusals, then again until nothing is left
            Set<String> refusedOnResume = refuseSome(8);
            say("resume");
            Map<String, SnapshotRecord> toResume = new TreeMap<>(recordedSecond);
            toResume.values().removeIf(r -> !r.needsResume());
            Map<String, OriginalState> statesBefore = account.states();
            OperationReport resume = fixture.run(InMemoryEngine.request(Action.RESUME, regions));
            Map<String, Outcome> resumed = outcomes(resume);
            assertThat(resumed.keySet()).as("Property 10: every record to resume is in the report, once")
                    .isEqualTo(toResume.keySet());
            toResume.forEach((k, r) -> {
                // a refusal fails what the resume has to change: a resource that exists and is not as recorded
                OriginalState now = statesBefore.get(k);
                if (refusedOnResume.contains(k) && now != null && !now.equals(InMemoryEngine.original(r))) {
                    assertThat(resumed.get(k)).as("Property 10: %s refused", k).isEqualTo(Outcome.FAILED);
                } else {
                    assertThat(resumed.get(k)).as("%s resumed, or skipped for drift", k).isIn(Outcome.RESUMED, Outcome.SKIPPED);
                }
            });
            boolean anyFailed = resume.resources().stream().anyMatch(r -> r.outcome() == Outcome.FAILED);
            assertThat(resume.status()).as("Property 10: partial exactly when something failed")
                    .isEqualTo(anyFailed ? OperationHeader.PARTIAL : OperationHeader.RESUMED);
            account.clearFaults();
            if (fixture.store.activeSnapshotId().isPresent()) {
                say("resume again");
                OperationReport again = fixture.run(InMemoryEngine.request(Action.RESUME, regions));
                assertThat(again.status()).isEqualTo(OperationHeader.RESUMED);
            }
            account.timePasses();

            // ------------------------------------------------ property 6: everything as it was
            assertThat(fixture.store.activeSnapshotId()).as("nothing is left to resume").isEmpty();
            assertThat(fixture.store.lock()).isEmpty();
            assertThat(fixture.records(snapshot).values()).extracting(SnapshotRecord::phase)
                    .allMatch(p -> p == Outcome.RESUMED || p == Outcome.SKIPPED);
            assertThat(account.states()).as("Property 6: every resource as it was before the first pause")
                    .isEqualTo(expectedAtEnd);
        }

        private static Map<String, Outcome> outcomes(OperationReport report) {
            Map<String, Outcome> out = new TreeMap<>();
            for (ResourceResult r : report.resources()) {
                assertThat(out.put(key(r), r.outcome())).as("Property 10: %s is in the report once", key(r)).isNull();
            }
            return out;
        }

        private void assertReport(OperationReport report, Map<String, Outcome> expected, String statusWithoutFailures) {
            assertThat(outcomes(report)).as("Property 10: each resource once, with the outcome its faults call for")
                    .isEqualTo(expected);
            boolean failures = !report.failedTargets().isEmpty() || expected.containsValue(Outcome.FAILED);
            assertThat(report.status()).as("Property 10: partial exactly when something failed")
                    .isEqualTo(failures ? OperationHeader.PARTIAL : statusWithoutFailures);
        }
    }
}
