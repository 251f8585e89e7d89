package dev.awshitbreaks.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.awshitbreaks.core.Action;
import dev.awshitbreaks.core.InvalidRequestException;
import dev.awshitbreaks.core.Json;
import dev.awshitbreaks.core.OperationReport;
import dev.awshitbreaks.core.Outcome;
import dev.awshitbreaks.core.Request;
import dev.awshitbreaks.core.ResourceResult;
import dev.awshitbreaks.core.ServiceKind;
import dev.awshitbreaks.services.Discovered;
import dev.awshitbreaks.services.ResourceFilter;
import dev.awshitbreaks.services.ResourcePauser;
import dev.awshitbreaks.snapshot.SnapshotRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The design document's correctness properties, checked over random account layouts created in moto
 * and run through the real engine. Each property runs {@value #DEFAULT_CASES} cases (override with
 * {@code -Dproperties.cases=N}); each case is seeded, its seed is in its name and in any failure, and
 * {@code -Dproperties.seed=S -Dproperties.cases=1} re-runs exactly that case.
 *
 * <p>Cases share one moto server and table (reset every 25 cases): each case tags its resources
 * {@code case=<n>} and its requests select that tag, so a case sees only its own resources, and every
 * case ends resumed.
 */
class DesignPropertiesTest {
    static final int DEFAULT_CASES = 100;
    private static final int CASES = Integer.getInteger("properties.cases", DEFAULT_CASES);
    private static final long BASE_SEED = Long.getLong("properties.seed", System.nanoTime());
    private static final List<String> REGIONS = List.of("us-east-1", "eu-west-1", "ap-southeast-2");
    private static final List<String> TYPES = List.of("t3.micro", "t3.small", "m5.large", "c5.xlarge");

    /** One EC2 instance of a generated layout. */
    private record Instance(String region, String id, String type, boolean running, Map<String, String> tags) {
    }

    private record Layout(int caseNo, List<String> regions, List<Instance> instances) {
        Map<String, String> states(EngineFixture f) {
            Map<String, String> out = new TreeMap<>();
            for (Instance i : instances) {
                out.put(i.id(), f.account.state(i.region(), i.id()));
            }
            return out;
        }
    }

    private static Stream<DynamicTest> cases(String property, Consumer<Random> body) {
        return java.util.stream.IntStream.range(0, CASES).mapToObj(n -> {
            long seed = BASE_SEED + n;
            return DynamicTest.dynamicTest(property + " case " + n + " seed=" + seed, () -> {
                try {
                    body.accept(new Random(seed));
                } catch (AssertionError | RuntimeException e) {
                    throw new AssertionError(property + " failed for seed=" + seed
                            + " (re-run: -Dproperties.seed=" + seed + " -Dproperties.cases=1): " + e.getMessage(), e);
                }
            });
        });
    }

    private static EngineFixture fixture;
    private static int caseCounter;

    /** The shared fixture, renewed (moto reset) every 25 cases so moto does not slow down as cases add up. */
    private static synchronized EngineFixture fixture() {
        if (fixture == null || caseCounter % 25 == 0) {
            fixture = new EngineFixture();
        }
        return fixture;
    }

    /** A random layout: 1-2 regions, 0-4 instances each, running or stopped, some protected or ASG members. */
    private static Layout layout(EngineFixture f, Random rnd, Map<String, List<String>> extraTagVocabulary) {
        int caseNo = ++caseCounter;
        List<String> regions = new ArrayList<>(REGIONS);
        java.util.Collections.shuffle(regions, rnd);
        regions = List.copyOf(regions.subList(0, 1 + rnd.nextInt(2)));
        List<Instance> instances = new ArrayList<>();
        for (String region : regions) {
            int n = rnd.nextInt(5);
            for (int k = 0; k < n; k++) {
                Map<String, String> tags = new LinkedHashMap<>();
                tags.put("case", Integer.toString(caseNo));
                if (rnd.nextInt(10) == 0) {
                    tags.put(ResourceFilter.PROTECT_TAG, "true");
                }
                if (rnd.nextInt(10) == 0) {
                    tags.put("aws:autoscaling:groupName", "asg-" + caseNo);
                }
                extraTagVocabulary.forEach((key, values) -> {
                    if (rnd.nextBoolean()) {
                        tags.put(key, values.get(rnd.nextInt(values.size())));
                    }
                });
                String type = TYPES.get(rnd.nextInt(TYPES.size()));
                boolean running = rnd.nextInt(4) != 0;
                String id = running ? f.account.runInstance(region, type, tags) : f.account.stoppedInstance(region, type, tags);
                instances.add(new Instance(region, id, type, running, tags));
            }
        }
        return new Layout(caseNo, regions, instances);
    }

    private static boolean leftAlone(Instance i) {
        return "true".equals(i.tags().get(ResourceFilter.PROTECT_TAG)) || i.tags().containsKey("aws:autoscaling:groupName");
    }

    private static Request request(Action action, Layout l, Map<String, String> tags, Map<String, String> excludeTags,
            List<String> excludeIds, boolean dryRun) {
        Map<String, String> all = new LinkedHashMap<>(tags);
        all.put("case", Integer.toString(l.caseNo()));
        return new Request(action, l.regions(), List.of("ec2"), all, excludeTags, excludeIds, dryRun, null, null);
    }

    private static Map<String, Outcome> outcomes(OperationReport r) {
        Map<String, Outcome> out = new TreeMap<>();
        r.resources().forEach(x -> out.put(x.id(), x.outcome()));
        return out;
    }

    /**
     * Properties 1 (complete discovery), 2 (summary accuracy), 3 (snapshot round trip), 4 (comprehensive
     * pause), 5 (state preserved before the change), 6 (pause-resume round trip) and 9 (dry-run safety),
     * each asserted with its number, over one random layout per case.
     */
    @TestFactory
    Stream<DynamicTest> properties1to6and9_pauseThenResumeOfARandomAccount() {
        return cases("Properties 1-6, 9", rnd -> {
            EngineFixture f = fixture();
            Layout l = layout(f, rnd, Map.of());
            BrakeEngine engine = f.engine();
            Map<String, String> before = l.states(f);
            Set<String> running = new HashSet<>();
            Set<String> eligible = new HashSet<>();
            for (Instance i : l.instances()) {
                if (i.running()) {
                    running.add(i.id());
                    if (!leftAlone(i)) {
                        eligible.add(i.id());
                    }
                }
            }

            OperationReport discovered = engine.run(request(Action.DISCOVER, l, Map.of(), Map.of(), List.of(), false), ProgressListener.NONE);
            assertThat(outcomes(discovered).keySet()).as("Property 1: discovery finds every running instance").isEqualTo(running);
            for (ResourceResult r : discovered.resources()) {
                assertThat(r.service()).as("Property 1: service type").isEqualTo(ServiceKind.EC2);
                assertThat(l.regions()).as("Property 1: region").contains(r.region());
                assertThat(r.outcome()).as("Property 1: state").isEqualTo(eligible.contains(r.id()) ? Outcome.DISCOVERED : Outcome.SKIPPED);
            }
            Map<String, Integer> counted = new TreeMap<>();
            discovered.resources().forEach(r -> counted.merge(r.outcome().id(), 1, Integer::sum));
            assertThat(discovered.counts()).as("Property 2: summary counts match the resources listed").isEqualTo(counted);

            OperationReport dry = engine.run(request(Action.PAUSE, l, Map.of(), Map.of(), List.of(), true), ProgressListener.NONE);
            assertThat(l.states(f)).as("Property 9: a dry run changes nothing").isEqualTo(before);
            Set<String> wouldPause = new HashSet<>();
            dry.resources().stream().filter(r -> r.outcome() == Outcome.WOULD_PAUSE).forEach(r -> wouldPause.add(r.id()));
            assertThat(wouldPause).as("Property 9: the dry run lists exactly what a real run changes").isEqualTo(eligible);

            OperationReport pause = engine.run(request(Action.PAUSE, l, Map.of(), Map.of(), List.of(), false), ProgressListener.NONE);
            Set<String> paused = new HashSet<>();
            pause.resources().stream().filter(r -> r.outcome() == Outcome.PAUSED).forEach(r -> paused.add(r.id()));
            assertThat(paused).as("Property 4: every eligible running instance is paused").isEqualTo(eligible);
            Map<String, String> expectedPaused = new TreeMap<>(before);
            eligible.forEach(id -> expectedPaused.put(id, "stopped"));
            assertThat(l.states(f)).as("Property 4: paused ones stopped, everything else as it was").isEqualTo(expectedPaused);

            List<SnapshotRecord> records = f.store.records(pause.snapshotId(), null, null);
            Map<String, Instance> byId = new HashMap<>();
            l.instances().forEach(i -> byId.put(i.id(), i));
            assertThat(records).extracting(SnapshotRecord::id).as("Property 5: a record for every paused resource")
                    .containsExactlyInAnyOrderElementsOf(eligible);
            for (SnapshotRecord r : records) {
                assertThat(r.original()).as("Property 5: original state of " + r.id())
                        .containsEntry("state", "running").containsEntry("instanceType", byId.get(r.id()).type());
            }
            try {
                SnapshotDocument doc = Json.mapper().readValue(
                        f.store.getDocument("snapshots/" + pause.snapshotId() + ".json").orElseThrow(), SnapshotDocument.class);
                assertThat(doc.records()).as("Property 3: the stored snapshot reads back as the same inventory")
                        .containsExactlyInAnyOrderElementsOf(records);
                OperationReport stored = Json.mapper().readValue(
                        f.store.getDocument("reports/" + pause.operationId() + ".json").orElseThrow(), OperationReport.class);
                assertThat(stored).as("Property 3: the stored report reads back as the same report").isEqualTo(pause);
            } catch (java.io.IOException e) {
                throw new AssertionError("Property 3: stored documents unreadable: " + e.getMessage(), e);
            }

            OperationReport resume = engine.run(new Request(Action.RESUME, l.regions(), List.of("ec2"), null, null, null, false, null, null),
                    ProgressListener.NONE);
            assertThat(l.states(f)).as("Property 6: after resume every instance is as it was").isEqualTo(before);
            assertThat(resume.status()).as("Property 6: the snapshot is resumed").isEqualTo("resumed");
        });
    }

    /** Property 7: only resources matching every filter are affected; all others stay as they were. */
    @TestFactory
    Stream<DynamicTest> property7_filtersAffectExactlyTheMatchingResources() {
        Map<String, List<String>> vocabulary = Map.of("env", List.of("dev", "prod"), "team", List.of("a", "b"), "keep", List.of("yes"));
        return cases("Property 7 (filter selectivity)", rnd -> {
            EngineFixture f = fixture();
            Layout l = layout(f, rnd, vocabulary);
            Map<String, String> tags = new LinkedHashMap<>();
            if (rnd.nextBoolean()) {
                tags.put("env", rnd.nextBoolean() ? "dev" : "prod");
            }
            if (rnd.nextInt(3) == 0) {
                tags.put("team", rnd.nextBoolean() ? "a" : "b");
            }
            Map<String, String> excludeTags = rnd.nextBoolean() ? Map.of("keep", "yes") : Map.of();
            List<String> excludeIds = new ArrayList<>();
            l.instances().forEach(i -> {
                if (rnd.nextInt(5) == 0) {
                    excludeIds.add(i.id());
                }
            });
            Map<String, String> before = l.states(f);
            Map<String, String> expected = new TreeMap<>(before);
            for (Instance i : l.instances()) {
                boolean matches = tags.entrySet().stream().allMatch(e -> e.getValue().equals(i.tags().get(e.getKey())));
                boolean excluded = excludeTags.entrySet().stream().anyMatch(e -> e.getValue().equals(i.tags().get(e.getKey())))
                        || excludeIds.contains(i.id()) || leftAlone(i);
                if (i.running() && matches && !excluded) {
                    expected.put(i.id(), "stopped");
                }
            }

            f.engine().run(request(Action.PAUSE, l, tags, excludeTags, excludeIds, false), ProgressListener.NONE);
            assertThat(l.states(f)).as("Property 7: exactly the matching instances are paused, tags=" + tags
                    + " excludeTags=" + excludeTags + " excludeIds=" + excludeIds).isEqualTo(expected);

            f.engine().run(new Request(Action.RESUME, l.regions(), List.of("ec2"), null, null, null, false, null, null), ProgressListener.NONE);
            assertThat(l.states(f)).as("Property 7: resume restores the rest").isEqualTo(before);
        });
    }

    /** Property 10: resources that fail never stop the others, and every failure is in the report. */
    @TestFactory
    Stream<DynamicTest> property10_failuresNeverStopTheOthersAndAreAllReported() {
        return cases("Property 10 (partial failure resilience)", rnd -> {
            EngineFixture f = fixture();
            Layout l = layout(f, rnd, Map.of());
            Map<String, List<String>> phantoms = new HashMap<>();
            for (String region : l.regions()) {
                List<String> ids = new ArrayList<>();
                int n = rnd.nextInt(3);
                for (int k = 0; k < n; k++) {
                    ids.add(String.format("i-%017x", rnd.nextLong() & 0x0fffffffffffffffL)); // EC2 does not know it
                }
                phantoms.put(region, ids);
            }
            BrakeEngine engine = f.engine(p -> p.kind() != ServiceKind.EC2 ? p : new Injecting(p, phantoms));
            Map<String, String> before = l.states(f);
            Set<String> eligible = new HashSet<>();
            l.instances().stream().filter(i -> i.running() && !leftAlone(i)).forEach(i -> eligible.add(i.id()));
            Set<String> failing = new HashSet<>();
            phantoms.values().forEach(failing::addAll);

            OperationReport pause = engine.run(request(Action.PAUSE, l, Map.of(), Map.of(), List.of(), false), ProgressListener.NONE);

            Map<String, Outcome> got = outcomes(pause);
            eligible.forEach(id -> assertThat(got.get(id)).as("Property 10: " + id + " paused despite failures").isEqualTo(Outcome.PAUSED));
            failing.forEach(id -> assertThat(got.get(id)).as("Property 10: " + id + " reported as failed").isEqualTo(Outcome.FAILED));
            pause.resources().stream().filter(r -> r.outcome() == Outcome.FAILED)
                    .forEach(r -> assertThat(r.reason()).as("Property 10: a failure says why").isNotBlank());
            assertThat(pause.hasFailures()).as("Property 10: the report says something failed").isEqualTo(!failing.isEmpty());

            engine.run(new Request(Action.RESUME, l.regions(), List.of("ec2"), null, null, null, false, null, null), ProgressListener.NONE);
            assertThat(l.states(f)).as("Property 10: resume restores every real instance").isEqualTo(before);
        });
    }

    /** Property 8: invalid filters are rejected before any AWS call, with a message naming the bad value. */
    @TestFactory
    Stream<DynamicTest> property8_invalidFiltersAreRejectedNamingTheBadValue() {
        return cases("Property 8 (filter validation)", rnd -> {
            String junk = randomJunk(rnd);
            int kind = rnd.nextInt(5);
            Request bad = switch (kind) {
                case 0 -> new Request(Action.PAUSE, List.of("us-east-1", "zz-" + junk + "-9"), null, null, null, null, false, null, null);
                case 1 -> new Request(Action.PAUSE, null, List.of("ec2", "svc" + junk), null, null, null, false, null, null);
                case 2 -> new Request(Action.PAUSE, null, null, Map.of("k" + junk, "x".repeat(257)), null, null, false, null, null);
                case 3 -> new Request(Action.PAUSE, null, null, null, null, List.of("../" + junk), false, null, null);
                default -> new Request(Action.RESUME, null, null, null, null, null, false, "pause-" + junk, null);
            };
            String named = switch (kind) {
                case 0 -> "zz-" + junk + "-9";
                case 1 -> "svc" + junk;
                case 2 -> "k" + junk;
                case 3 -> "../" + junk;
                default -> "pause-" + junk;
            };
            assertThatThrownBy(bad::validated).as("Property 8").isInstanceOf(InvalidRequestException.class)
                    .hasMessageContaining(named.length() > 40 ? named.substring(0, 40) : named);
        });
    }

    private static String randomJunk(Random rnd) {
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789_.";
        StringBuilder sb = new StringBuilder();
        int n = 1 + rnd.nextInt(12);
        for (int i = 0; i < n; i++) {
            sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    /** The real EC2 pauser, plus instances EC2 does not know: their stop fails as a real one would. */
    private static final class Injecting implements ResourcePauser {
        private final ResourcePauser delegate;
        private final Map<String, List<String>> phantoms;

        Injecting(ResourcePauser delegate, Map<String, List<String>> phantoms) {
            this.delegate = delegate;
            this.phantoms = phantoms;
        }

        @Override
        public ServiceKind kind() {
            return delegate.kind();
        }

        @Override
        public List<Discovered> discover(String region, ResourceFilter filter) {
            List<Discovered> found = new ArrayList<>(delegate.discover(region, filter));
            for (String id : phantoms.getOrDefault(region, List.of())) {
                found.add(new Discovered(ServiceKind.EC2, region, id, "t3.micro", null, Map.of(),
                        Map.of("state", "running", "instanceType", "t3.micro"), null));
            }
            return found;
        }

        @Override
        public List<ResourceResult> pause(String region, List<Discovered> eligible) {
            return delegate.pause(region, eligible);
        }

        @Override
        public List<ResourceResult> resume(String region, List<SnapshotRecord> records, boolean dryRun) {
            return delegate.resume(region, records, dryRun);
        }
    }
}
