package dev.awshitbreaks.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awshitbreaks.services.OriginalState;
import dev.awshitbreaks.services.PausedResource;
import dev.awshitbreaks.aws.AwsClients;
import dev.awshitbreaks.aws.AwsSettings;
import dev.awshitbreaks.core.Action;
import dev.awshitbreaks.core.Json;
import dev.awshitbreaks.core.OperationReport;
import dev.awshitbreaks.core.Outcome;
import dev.awshitbreaks.core.Request;
import dev.awshitbreaks.core.ResourceResult;
import dev.awshitbreaks.core.ServiceKind;
import dev.awshitbreaks.services.Discovered;
import dev.awshitbreaks.services.ApiGatewayStagePauser;
import dev.awshitbreaks.services.LambdaConcurrencyPauser;
import dev.awshitbreaks.services.ResourceFilter;
import dev.awshitbreaks.services.ResourcePauser;
import dev.awshitbreaks.snapshot.SnapshotRecord;
import dev.awshitbreaks.snapshot.SnapshotStore;
import dev.awshitbreaks.testing.ApiGatewayStageStub;
import dev.awshitbreaks.testing.MixedAccount;
import dev.awshitbreaks.testing.MixedAccount.ScalableTargetSpec;
import dev.awshitbreaks.testing.MotoAccount;
import dev.awshitbreaks.testing.MotoServer;
import dev.awshitbreaks.testing.ProvisionedConcurrencyStub;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The design document's correctness properties 1-7, 9 and 10 over random accounts that mix every kind of
 * resource the brake handles (EC2 instances, RDS instances, Aurora clusters, ECS services with and without
 * Application Auto Scaling targets, Auto Scaling groups, Lambda provisioned concurrency, EKS managed node groups,
 * Redshift clusters, SageMaker notebook instances, Auto Scaling warm pools, Spot Fleet requests) across one or two
 * Application Auto Scaling targets, Auto Scaling groups, Lambda provisioned concurrency, Lambda functions' reserved
 * concurrency (lambda-throttle), Lambda SQS event source mappings) across one or two
 * regions, seeded in moto by {@link MixedAccount} and run through the real engine and pausers (Lambda's
 * through {@link ProvisionedConcurrencyStub}, which moto lacks; API Gateway's through {@link ApiGatewayStageStub}, for the
 * stage throttling moto drops or lacks). Each case also draws random filters
 * (required tags, excluded tags, excluded ids) and a random set of injected failures: wrapped pausers add
 * resources the real API refuses. Every assertion names its property.
 *
 * <p>{@value #DEFAULT_CASES} cases (override with {@code -Dproperties.cases=N}); each case is seeded, its seed
 * is in its name and in any failure, and {@code -Dproperties.seed=S -Dproperties.cases=1} re-runs exactly
 * that case. The cases run on {@value #DEFAULT_LANES} lanes at once (override with {@code -Dproperties.lanes=N}),
 * each lane with its own moto server, table and stub, so no case sees another lane's resources, lock or
 * snapshots. On a lane, cases share that server, table and stub (reset every 5 cases, and after a failed case):
 * each case tags its resources {@code case=<n>}, its requests select that tag, and every case ends resumed.
 * A case's seed alone decides its account, filters and failures, whichever lane runs it.
 */
class MultiServicePropertiesTest {
    static final int DEFAULT_CASES = 100;
    private static final int CASES = Integer.getInteger("properties.cases", DEFAULT_CASES);
    /**
     * Cases run at once, each lane on its own moto server: a case spends most of its time waiting for moto
     * (one Python process, one request at a time), so two lanes use both cores (docs/tooling.md).
     */
    static final int DEFAULT_LANES = 2;
    private static final int LANES = Math.max(1, Math.min(CASES, Integer.getInteger("properties.lanes", DEFAULT_LANES)));
    private static final long BASE_SEED = Long.getLong("properties.seed", System.nanoTime());
    private static final List<String> REGIONS = List.of("us-east-1", "eu-west-1", "ap-southeast-2");
    private static final List<String> EC2_TYPES = List.of("t3.micro", "t3.small", "m5.large");
    private static final Map<String, List<String>> VOCABULARY = vocabulary();
    /** What an Auto Scaling pause suspends (as AutoScalingPauser.PAUSE_PROCESSES). */
    private static final List<String> PAUSE_PROCESSES = List.of("Launch", "AlarmNotification", "ScheduledActions",
            "AZRebalance", "ReplaceUnhealthy", "HealthCheck", "InstanceRefresh");
    /**
     * Kinds no phantom is injected for: the resource AWS refuses (PutWarmPool on a group that does not exist,
     * ModifySpotFleetRequest on an unknown request id) makes moto 5.2.5 answer HTTP 500 (an uncaught IndexError or
     * KeyError), which the SDK retries 12 times (about 25 s each) instead of failing at once on AWS's 400. Their failures
     * are shown through a FaultProxy in WarmPoolPauseResumeTest and SpotFleetPauseResumeTest.
     */
    private static final Set<ServiceKind> NO_PHANTOM = Set.of(ServiceKind.WARM_POOLS, ServiceKind.SPOT_FLEET,
            ServiceKind.STILL_BILLING);
    /** Processes a user may have suspended before the pause (Terminate, rarer, makes the group unpausable). */
    private static final List<String> USER_PROCESSES = List.of("AZRebalance", "AddToLoadBalancer", "Launch");

    private static Map<String, List<String>> vocabulary() {
        Map<String, List<String>> v = new LinkedHashMap<>();
        v.put("env", List.of("dev", "prod"));
        v.put("team", List.of("a", "b"));
        v.put("keep", List.of("yes"));
        return Collections.unmodifiableMap(v);
    }

    /**
     * One seeded resource as the test knows it: whether it costs money now, its tags, whether a skip rule of its
     * service (not a filter) leaves it alone, the original state its snapshot record must hold, and what
     * {@link MixedAccount#observe} shows once it is paused.
     */
    private record Res(ServiceKind service, String region, String id, boolean costs, Map<String, String> tags,
            boolean structuralSkip, Map<String, Object> original, String pausedObservation) {
        String key() {
            return key(service, region, id);
        }

        static String key(ServiceKind service, String region, String id) {
            return service.id() + ":" + region + ":" + id;
        }
    }

    /**
     * One generated case: its account layout (in {@code regions}), its filters (the regions and services asked
     * for, required tags, excluded tags and ids), and the failures injected per service and region.
     */
    private record Case(int caseNo, List<String> regions, List<Res> resources, List<String> requestRegions,
            List<ServiceKind> services, Map<String, String> requiredTags, Map<String, String> excludeTags,
            List<String> excludeIds, Map<ServiceKind, Map<String, List<Discovered>>> phantoms) {

        boolean selected(Res r) {
            return r.costs() && requestRegions.contains(r.region()) && services.contains(r.service()) && requiredTags.entrySet().stream().allMatch(e -> e.getValue().equals(r.tags().get(e.getKey())));
        }

        boolean leftAlone(Res r) {
            return r.structuralSkip() || "true".equals(r.tags().get(ResourceFilter.PROTECT_TAG)) || excludeIds.contains(r.id())
                    || excludeTags.entrySet().stream().anyMatch(e -> e.getValue().equals(r.tags().get(e.getKey())));
        }

        Set<String> selectedKeys() {
            return resources.stream().filter(this::selected).map(Res::key).collect(Collectors.toCollection(TreeSet::new));
        }

        Set<String> eligibleKeys() {
            return resources.stream().filter(r -> selected(r) && !leftAlone(r)).map(Res::key)
                    .collect(Collectors.toCollection(TreeSet::new));
        }

        Set<String> injectedKeys() {
            Set<String> out = new TreeSet<>();
            phantoms.values().forEach(byRegion -> byRegion.values().forEach(ds -> ds.forEach(
                    d -> out.add(Res.key(d.service(), d.region(), d.id())))));
            return out;
        }

        Request request(Action action, boolean dryRun) {
            Map<String, String> tags = new LinkedHashMap<>(requiredTags);
            tags.put("case", Integer.toString(caseNo));
            List<String> ids = services.size() == ServiceKind.values().length ? null : services.stream().map(ServiceKind::id).toList();
            return new Request(action, requestRegions, ids, tags, excludeTags, excludeIds, dryRun, null, null);
        }

        Request resume() {
            return new Request(Action.RESUME, regions, null, null, null, null, false, null, null);
        }

        String describe() {
            return "layout regions=" + regions + " requested regions=" + requestRegions + " services=" + services
                    + " requiredTags=" + requiredTags + " excludeTags=" + excludeTags + " excludeIds=" + excludeIds
                    + " injected=" + injectedKeys();
        }
    }

    // ---------------------------------------------------------------- lanes: a moto server, table and stub each

    /**
     * One lane: a moto server (the JVM's for the first lane, a separate one for the others), the table and bucket
     * on it, and a Lambda provisioned-concurrency stub in front of it. Its fixture is renewed (moto and stub reset)
     * every 5 cases so moto does not slow down as cases add up, and after a failed case so a half-done case cannot
     * leak into the next. Only one case at a time runs on a lane.
     */
    private static final class Lane {
        private final MotoServer moto;
        private final boolean ownServer;
        private EngineFixture fixture;
        private MixedAccount account;
        private ProvisionedConcurrencyStub stub;
        private ApiGatewayStageStub apiStub;
        private AwsClients viaStub;
        private int casesRun;
        private boolean renewNext;

        Lane(boolean first) {
            this.ownServer = !first;
            this.moto = first ? MotoServer.get() : MotoServer.start();
        }

        EngineFixture fixture() {
            if (fixture == null || casesRun % 5 == 0 || renewNext) {
                fixture = new EngineFixture(moto, null);
                if (stub == null) {
                    stub = ProvisionedConcurrencyStub.start(moto.endpoint());
                    apiStub = ApiGatewayStageStub.start(stub.endpoint());
                    viaStub = new AwsClients(new AwsSettings(apiStub.endpoint(), "us-east-1", EngineFixture.TABLE, EngineFixture.BUCKET),
                            MotoAccount.CREDENTIALS);
                }
                stub.reset();
                apiStub.reset();
                renewNext = false;
            }
            casesRun++;
            return fixture;
        }

        /** A new account view for the next case: it observes only what that case creates. */
        MixedAccount newAccount() {
            if (account != null) {
                account.close();
            }
            account = new MixedAccount(apiStub.endpoint());
            return account;
        }

        void close() {
            if (account != null) {
                account.close();
            }
            if (viaStub != null) {
                viaStub.close();
            }
            if (apiStub != null) {
                apiStub.close();
            }
            if (stub != null) {
                stub.close();
            }
            if (ownServer) {
                moto.stop();
            }
        }
    }

    private static final List<Lane> lanes = new ArrayList<>();
    private static ExecutorService running;

    @AfterAll
    static void closeAll() throws InterruptedException {
        if (running != null) {
            running.shutdownNow();
            running.awaitTermination(1, TimeUnit.MINUTES);
            running = null;
        }
        lanes.forEach(Lane::close);
        lanes.clear();
    }

    /**
     * The real engine, as {@link EngineFixture#engine(java.util.function.UnaryOperator)} builds it, but with the
     * Lambda pauser's calls going through the stub; every pauser passed through {@code wrap}.
     */
    private static BrakeEngine engine(Lane lane, EngineFixture f, Function<ResourcePauser, ResourcePauser> wrap) {
        List<ResourcePauser> pausers = new ArrayList<>();
        for (ResourcePauser p : BrakeEngine.pausers(f.clients, EngineFixture.FAST)) {
            pausers.add(wrap.apply(p.kind() == ServiceKind.LAMBDA ? new LambdaConcurrencyPauser(lane.viaStub, EngineFixture.FAST.waits())
                    : p.kind() == ServiceKind.APIGATEWAY ? new ApiGatewayStagePauser(lane.viaStub, EngineFixture.FAST.waits()) : p));
        }
        return new BrakeEngine(f.clients, f.store, EngineFixture.FAST, Clock.systemUTC(), SecureRandom::new, pausers);
    }

    // ---------------------------------------------------------------- generation

    private static Map<String, String> tags(Random rnd, int caseNo) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("case", Integer.toString(caseNo));
        if (rnd.nextInt(8) == 0) {
            tags.put(ResourceFilter.PROTECT_TAG, "true");
        }
        VOCABULARY.forEach((key, values) -> {
            if (rnd.nextBoolean()) {
                tags.put(key, values.get(rnd.nextInt(values.size())));
            }
        });
        return tags;
    }

    private static String shortRegion(String region) {
        String[] p = region.split("-");
        return p[0] + p[1].charAt(0) + p[2];
    }

    /** A random layout in 1-2 regions: 0-2 of each kind per region, running or not, tagged; then filters and failures. */
    private static Case generate(Random rnd, int caseNo, MixedAccount account) {
        String c = "c" + caseNo;
        List<String> regions = new ArrayList<>(REGIONS);
        Collections.shuffle(regions, rnd);
        regions = List.copyOf(regions.subList(0, 1 + rnd.nextInt(2)));
        List<Res> resources = new ArrayList<>();
        for (String region : regions) {
            String r = c + "-" + shortRegion(region);
            for (int k = rnd.nextInt(3); k > 0; k--) {
                Map<String, String> tags = tags(rnd, caseNo);
                boolean asgMember = rnd.nextInt(10) == 0;
                if (asgMember) {
                    tags.put("aws:autoscaling:groupName", r + "-group");
                }
                String type = EC2_TYPES.get(rnd.nextInt(EC2_TYPES.size()));
                boolean running = rnd.nextInt(4) != 0;
                String id = account.ec2Instance(region, type, running, tags);
                resources.add(new Res(ServiceKind.EC2, region, id, running, tags, asgMember,
                        Map.of("state", "running", "instanceType", type), "state=stopped type=" + type));
            }
            for (int k = rnd.nextInt(3); k > 0; k--) {
                Map<String, String> tags = tags(rnd, caseNo);
                boolean running = rnd.nextInt(4) != 0;
                String id = account.rdsInstance(region, r + "-db" + k, running, tags);
                resources.add(new Res(ServiceKind.RDS, region, id, running, tags, false,
                        Map.of("status", "available", "dbInstanceClass", "db.t3.micro", "engine", "postgres"),
                        "status=stopped class=db.t3.micro"));
            }
            for (int k = rnd.nextInt(3); k > 0; k--) {
                Map<String, String> tags = tags(rnd, caseNo);
                boolean running = rnd.nextInt(4) != 0;
                String id = account.auroraCluster(region, r + "-au" + k, running, tags);
                resources.add(new Res(ServiceKind.AURORA, region, id, running, tags, false,
                        Map.of("status", "available", "engine", "aurora-postgresql", "engineMode", "provisioned"), "status=stopped"));
            }
            for (int k = rnd.nextInt(3); k > 0; k--) {
                Map<String, String> tags = tags(rnd, caseNo);
                boolean running = rnd.nextInt(4) != 0;
                int desired = running ? 1 + rnd.nextInt(4) : 0;
                Optional<ScalableTargetSpec> target = Optional.empty();
                Map<String, Object> original = new LinkedHashMap<>();
                original.put("desiredCount", desired);
                String paused = "desired=0 target=none";
                if (rnd.nextBoolean()) {
                    ScalableTargetSpec t = new ScalableTargetSpec(rnd.nextInt(desired + 1), Math.max(1, desired) + rnd.nextInt(4),
                            rnd.nextInt(4) == 0, rnd.nextInt(4) == 0, rnd.nextInt(4) == 0);
                    target = Optional.of(t);
                    original.put("scalableTarget", true);
                    original.put("minCapacity", t.min());
                    original.put("maxCapacity", t.max());
                    original.put("dynamicScalingInSuspended", t.scaleInSuspended());
                    original.put("dynamicScalingOutSuspended", t.scaleOutSuspended());
                    original.put("scheduledScalingSuspended", t.scheduledSuspended());
                    paused = "desired=0 target=min 0 max " + t.max() + " in=true out=true scheduled=true";
                } else {
                    original.put("scalableTarget", false);
                }
                String id = account.ecsService(region, r, "svc" + k, desired, target, tags);
                resources.add(new Res(ServiceKind.ECS, region, id, running, tags, false, original, paused));
            }
            for (int k = rnd.nextInt(3); k > 0; k--) {
                Map<String, String> tags = tags(rnd, caseNo);
                boolean running = rnd.nextInt(4) != 0;
                int desired = running ? 1 + rnd.nextInt(2) : 0;
                int min = rnd.nextInt(desired + 1);
                int max = Math.max(1, desired) + rnd.nextInt(3);
                Set<String> suspended = new TreeSet<>();
                USER_PROCESSES.forEach(p -> {
                    if (rnd.nextInt(4) == 0) {
                        suspended.add(p);
                    }
                });
                boolean terminateSuspended = rnd.nextInt(8) == 0;
                if (terminateSuspended) {
                    suspended.add("Terminate");
                }
                String id = account.autoScalingGroup(region, r + "-asg" + k, min, max, desired, suspended, tags);
                Set<String> whilePaused = new TreeSet<>(suspended);
                whilePaused.addAll(PAUSE_PROCESSES);
                Map<String, Object> original = new LinkedHashMap<>();
                original.put("minSize", min);
                original.put("maxSize", max);
                original.put("desiredCapacity", desired);
                original.put("suspendedProcesses", List.copyOf(suspended));
                resources.add(new Res(ServiceKind.AUTOSCALING, region, id, running, tags, terminateSuspended, original,
                        "min=0 max=" + max + " desired=0 suspended=" + List.copyOf(whilePaused)));
            }
            for (int k = rnd.nextInt(3); k > 0; k--) {
                Map<String, String> tags = tags(rnd, caseNo);
                boolean running = rnd.nextInt(4) != 0;
                String fn = r + "-fn" + k;
                String qualifier = rnd.nextBoolean() ? "1" : "live";
                int count = 1 + rnd.nextInt(5);
                String id = account.lambdaFunctionWithProvisionedConcurrency(region, fn, qualifier, count, tags);
                if (!running) {
                    account.lambda(region).deleteProvisionedConcurrencyConfig(b -> b.functionName(fn).qualifier(qualifier));
                }
                resources.add(new Res(ServiceKind.LAMBDA, region, id, running, tags, false,
                        Map.of("functionName", fn, "qualifier", qualifier, "requestedProvisionedConcurrentExecutions", count),
                        "pc=none"));
                // every function is also throttled (lambda-throttle), whether it has provisioned concurrency or not
                resources.add(throttled(region, account.observeReservedConcurrency(region, fn), null, tags));
            }
            for (int k = rnd.nextInt(2); k > 0; k--) {
                Map<String, String> tags = tags(rnd, caseNo);
                int draw = rnd.nextInt(4);
                Integer reserved = draw == 0 ? null : draw == 1 ? Integer.valueOf(0) : Integer.valueOf(1 + rnd.nextInt(5));
                String fn = account.lambdaFunction(region, r + "-th" + k, reserved, tags);
                resources.add(throttled(region, fn, reserved, tags));
            }
            for (int k = rnd.nextInt(2); k > 0; k--) {
                Map<String, String> fnTags = tags(rnd, caseNo);
                Map<String, String> mappingTags = rnd.nextInt(6) == 0 ? Map.of(ResourceFilter.PROTECT_TAG, "true") : Map.of();
                boolean enabled = rnd.nextInt(4) != 0;
                String fn = r + "-es" + k;
                String uuid = account.lambdaEventSourceMapping(region, fn, 345600, enabled, fnTags, mappingTags);
                Map<String, String> tags = new LinkedHashMap<>(fnTags);
                tags.putAll(mappingTags); // the mapping's own tags over its function's
                resources.add(new Res(ServiceKind.LAMBDA_EVENT_SOURCES, region, uuid, enabled, tags, false,
                        Map.of("uuid", uuid, "state", "Enabled", "eventSourceArn", "arn:aws:sqs:" + region + ":123456789012:"
                                + fn + "-q", "functionArn", "arn:aws:lambda:" + region + ":123456789012:function:" + fn),
                        "state=Disabled"));
                resources.add(throttled(region, fn, null, fnTags));
            }
            for (int k = rnd.nextInt(2); k > 0; k--) { // EKS managed node groups: at most one per region
                Map<String, String> tags = tags(rnd, caseNo);
                boolean running = rnd.nextInt(4) != 0;
                int desired = running ? 1 + rnd.nextInt(3) : 0;
                int min = rnd.nextInt(desired + 1);
                int max = Math.max(1, desired) + rnd.nextInt(3);
                String cluster = r + "-k8s";
                String name = "ng" + k;
                String id = account.eksNodegroup(region, cluster, name, min, max, desired, List.of("t3.medium"), "ON_DEMAND", tags);
                resources.add(new Res(ServiceKind.EKS, region, id, running, tags, false,
                        Map.of("clusterName", cluster, "nodegroupName", name, "minSize", min, "maxSize", max, "desiredSize", desired),
                        "min=0 max=" + max + " desired=0 status=ACTIVE"));
            }
            for (int k = rnd.nextInt(2); k > 0; k--) {
                Map<String, String> tags = tags(rnd, caseNo);
                boolean running = rnd.nextInt(4) != 0;
                String id = account.redshiftCluster(region, r + "-rs" + k, running, tags);
                resources.add(new Res(ServiceKind.REDSHIFT, region, id, running, tags, false,
                        Map.of("status", "available", "nodeType", "dc2.large", "numberOfNodes", 1),
                        "status=paused type=dc2.large nodes=1"));
            }
            for (int k = rnd.nextInt(2); k > 0; k--) {
                Map<String, String> tags = tags(rnd, caseNo);
                boolean running = rnd.nextInt(4) != 0;
                String id = account.notebookInstance(region, r + "-nb" + k, running, tags);
                resources.add(new Res(ServiceKind.SAGEMAKER_NOTEBOOKS, region, id, running, tags, false,
                        Map.of("status", "InService", "instanceType", "ml.t3.medium"), "status=Stopped type=ml.t3.medium"));
            }
            for (int k = rnd.nextInt(2); k > 0; k--) { // a warm pool: listed even when stopped (skipped: nothing runs)
                Map<String, String> tags = tags(rnd, caseNo);
                boolean running = rnd.nextInt(4) != 0;
                int min = rnd.nextInt(3);
                Integer maxPrepared = rnd.nextBoolean() ? null : rnd.nextInt(4);
                Boolean reuse = rnd.nextInt(3) == 0 ? null : rnd.nextBoolean();
                String state = running ? "Running" : rnd.nextBoolean() ? "Stopped" : "Hibernated";
                String id = account.warmPool(region, r + "-wp" + k, min, maxPrepared, state, reuse, tags);
                Map<String, Object> original = new LinkedHashMap<>();
                original.put("minSize", min);
                original.put("poolState", state);
                if (maxPrepared != null) {
                    original.put("maxGroupPreparedCapacity", maxPrepared);
                }
                if (reuse != null) {
                    original.put("reuseOnScaleIn", reuse);
                }
                resources.add(new Res(ServiceKind.WARM_POOLS, region, id, true, tags, !running, original,
                        "min=0 maxPrepared=0 state=Stopped reuse=" + (reuse == null ? "none" : reuse)));
            }
            for (int k = rnd.nextInt(2); k > 0; k--) { // a maintained Spot Fleet; at target 0 it is not listed
                Map<String, String> tags = tags(rnd, caseNo);
                boolean running = rnd.nextInt(4) != 0;
                int target = running ? 1 + rnd.nextInt(2) : 0;
                String id = account.spotFleet(region, target, tags);
                resources.add(new Res(ServiceKind.SPOT_FLEET, region, id, running, tags, false, Map.of("targetCapacity", target),
                        "target=0 onDemand=none state=active"));
            }
            // API Gateway: a REST stage without throttling (resumed to none), an HTTP or WebSocket stage with its own
            // limits, or one already at 0/0 (skipped). A v2 stage without limits is left out: AWS cannot unset a limit,
            // so its resume gives it the account's (ApiGatewayPauseResumeTest), not exactly what it had.
            for (int k = rnd.nextInt(2); k > 0; k--) {
                Map<String, String> tags = tags(rnd, caseNo);
                int shape = rnd.nextInt(4);
                if (shape == 0) {
                    String id = account.restApiStage(region, r + "-rest" + k, "prod", tags);
                    resources.add(new Res(ServiceKind.APIGATEWAY, region, id, true, tags, false,
                            Map.of("apiType", "REST", "stageName", "prod", "stageDefault", Map.of(), "overrides", Map.of()),
                            "rest [*/*=0.0/0]"));
                } else if (shape == 3) {
                    String id = account.v2ApiStage(region, r + "-stopped" + k, false, "live", 0.0, 0, tags);
                    resources.add(new Res(ServiceKind.APIGATEWAY, region, id, true, tags, true, Map.of(), "http [default=0.0/0]"));
                } else {
                    boolean websocket = shape == 2;
                    double rate = 1 + rnd.nextInt(100);
                    int burst = 1 + rnd.nextInt(50);
                    String id = account.v2ApiStage(region, r + "-v2" + k, websocket, "$default", rate, burst, tags);
                    resources.add(new Res(ServiceKind.APIGATEWAY, region, id, true, tags, false,
                            Map.of("apiType", websocket ? "WEBSOCKET" : "HTTP", "stageDefault", Map.of("rateLimit", rate, "burstLimit", burst),
                                    "overrides", Map.of()),
                            (websocket ? "websocket" : "http") + " [default=0.0/0]"));
                }
            }
        }

        List<String> requestRegions = regions.size() > 1 && rnd.nextInt(4) == 0 ? List.of(regions.get(rnd.nextInt(2))) : regions;
        List<ServiceKind> services = new ArrayList<>(List.of(ServiceKind.values()));
        if (rnd.nextInt(4) == 0) {
            services.removeIf(k -> rnd.nextBoolean());
            if (services.isEmpty()) {
                services.add(ServiceKind.values()[rnd.nextInt(ServiceKind.values().length)]);
            }
        }
        Map<String, String> required = new LinkedHashMap<>();
        if (rnd.nextInt(5) == 0) {
            required.put("env", rnd.nextBoolean() ? "dev" : "prod");
        }
        if (rnd.nextInt(5) == 0) {
            required.put("team", rnd.nextBoolean() ? "a" : "b");
        }
        Map<String, String> excludeTags = new LinkedHashMap<>();
        if (rnd.nextInt(4) == 0) {
            excludeTags.put("keep", "yes");
        }
        if (!required.containsKey("env") && rnd.nextInt(4) == 0) {
            excludeTags.put("env", rnd.nextBoolean() ? "dev" : "prod");
        }
        List<String> excludeIds = new ArrayList<>();
        resources.forEach(x -> {
            if (rnd.nextInt(8) == 0) {
                excludeIds.add(x.id());
            }
        });

        Map<ServiceKind, Map<String, List<Discovered>>> phantoms = new EnumMap<>(ServiceKind.class);
        for (ServiceKind kind : services) { // a failure can only be injected where the engine looks
            if (rnd.nextInt(6) != 0 || NO_PHANTOM.contains(kind)) {
                continue;
            }
            Map<String, List<Discovered>> byRegion = new HashMap<>();
            for (String region : requestRegions) {
                List<Discovered> ds = new ArrayList<>();
                for (int k = rnd.nextInt(3); k > 0; k--) {
                    ds.add(phantom(kind, region, c + "-" + shortRegion(region) + "-ghost" + k, rnd, caseNo));
                }
                byRegion.put(region, ds);
            }
            phantoms.put(kind, byRegion);
        }
        return new Case(caseNo, regions, resources, requestRegions, List.copyOf(services), required, excludeTags, excludeIds, phantoms);
    }

    /**
     * A function as lambda-throttle sees it: throttled to 0 unless it already is
     * (skipped, "already throttled"), its reserved concurrency or none recorded.
     */
    private static Res throttled(String region, String fn, Integer reserved, Map<String, String> tags) {
        Map<String, Object> original = new LinkedHashMap<>();
        original.put("functionName", fn);
        original.put("reserved", reserved != null);
        if (reserved != null) {
            original.put("reservedConcurrentExecutions", reserved);
        }
        return new Res(ServiceKind.LAMBDA_THROTTLE, region, fn, true, tags, reserved != null && reserved == 0, original,
                "reserved=0");
    }

    /** A resource the real API refuses to pause, as the wrapped pauser of {@code kind} reports it from discovery. */
    private static Discovered phantom(ServiceKind kind, String region, String name, Random rnd, int caseNo) {
        Map<String, String> tags = Map.of("case", Integer.toString(caseNo));
        return switch (kind) {
            case EC2 -> new Discovered(kind, region, String.format("i-%017x", rnd.nextLong() & 0x0fffffffffffffffL), "t3.micro",
                    null, tags, new OriginalState.Ec2Instance("running", "t3.micro"), null); // EC2 does not know it
            case RDS -> new Discovered(kind, region, name + "-db", "db.t3.micro", null, tags,
                    new OriginalState.RdsInstance("available", "db.t3.micro", "postgres", null), null); // DBInstanceNotFound
            case AURORA -> new Discovered(kind, region, name + "-au", "aurora-postgresql", null, tags,
                    new OriginalState.AuroraCluster("available", "aurora-postgresql", "provisioned", null), null); // DBClusterNotFoundFault
            case ECS -> new Discovered(kind, region, name + "/svc", "FARGATE", "svc", tags,
                    OriginalState.EcsService.withoutTarget(2), null); // ClusterNotFoundException
            // every pause process recorded as suspended already, so the pause calls only UpdateAutoScalingGroup:
            // ValidationError (moto answers SuspendProcesses on an unknown group with HTTP 500, which the SDK retries)
            case AUTOSCALING -> new Discovered(kind, region, name + "-asg", "auto-scaling-group", name + "-asg", tags,
                    new OriginalState.AutoScalingGroup(1, 2, 1, PAUSE_PROCESSES.stream().sorted().toList()), null);
            // provisioned concurrency on $LATEST: InvalidParameterValueException
            case LAMBDA -> new Discovered(kind, region, name + "-fn:$LATEST", "provisioned-concurrency", name + "-fn", tags,
                    new OriginalState.ProvisionedConcurrency(name + "-fn", "$LATEST", 1), null);
            // a node group of a cluster that does not exist: UpdateNodegroupConfig answers ResourceNotFoundException
            case EKS -> new Discovered(kind, region, name + "-k8s/ng", "managed node group t3.medium ON_DEMAND", "ng", tags,
                    new OriginalState.EksNodegroup(name + "-k8s", "ng", 1, 2, 1), null);
            case REDSHIFT -> new Discovered(kind, region, name + "-rs", "dc2.large", null, tags,
                    new OriginalState.RedshiftCluster("available", "dc2.large", 1), null); // ClusterNotFound
            case SAGEMAKER_NOTEBOOKS -> new Discovered(kind, region, name + "-nb", "ml.t3.medium", null, tags,
                    new OriginalState.NotebookInstance("InService", "ml.t3.medium"), null); // ValidationException RecordNotFound
            // none injected (see NO_PHANTOM): their failures are shown in WarmPoolPauseResumeTest and SpotFleetPauseResumeTest
            case WARM_POOLS, SPOT_FLEET, STILL_BILLING -> throw new IllegalArgumentException(kind.id() + ": no phantom is injected");
            // a function that does not exist: PutFunctionConcurrency answers ResourceNotFoundException
            case LAMBDA_THROTTLE -> new Discovered(kind, region, name + "-nofn", "function", name + "-nofn", tags,
                    new OriginalState.LambdaFunctionConcurrency(name + "-nofn", false, null), null);
            // a mapping that does not exist: moto acknowledges UpdateEventSourceMapping (AWS: ResourceNotFoundException), and
            // the listing read back does not show it disabled: failed
            case LAMBDA_EVENT_SOURCES -> new Discovered(kind, region, java.util.UUID.nameUUIDFromBytes(name.getBytes(
                    java.nio.charset.StandardCharsets.UTF_8)).toString(), "sqs", name + "-fn from " + name + "-q", tags,
                    new OriginalState.LambdaEventSourceMapping(java.util.UUID.nameUUIDFromBytes(name.getBytes(
                            java.nio.charset.StandardCharsets.UTF_8)).toString(), "arn:aws:lambda:" + region
                            + ":123456789012:function:" + name + "-fn", "arn:aws:sqs:" + region + ":123456789012:" + name + "-q",
                            "Enabled"), null);
            // a stage of a REST API that does not exist: GetStage answers NotFoundException, nothing is changed
            case APIGATEWAY -> new Discovered(kind, region, name + "-api/prod", "rest-api-stage", name + "-api/prod", tags,
                    new OriginalState.ApiGatewayStage("REST", name + "-api", "prod", OriginalState.ApiGatewayStage.Throttle.NONE,
                            Map.of(), null), null);
        };
    }

    /**
     * Property 5's "before any change": called by every wrapped pauser as the engine hands it resources to pause,
     * it notes each one that has no snapshot record yet.
     */
    private static final class RecordedFirst {
        private final EngineFixture f;
        private final AtomicReference<String> snapshot = new AtomicReference<>();
        private final List<String> unrecorded = new CopyOnWriteArrayList<>();

        RecordedFirst(EngineFixture f) {
            this.f = f;
        }

        void check(ServiceKind kind, String region, List<Discovered> eligible) {
            if (eligible.isEmpty()) {
                return;
            }
            String id = snapshot.updateAndGet(s -> s != null ? s : f.store.activeSnapshotId().orElse(null));
            Set<String> recorded = id == null ? Set.of()
                    : f.store.records(id, region, kind).stream().map(SnapshotRecord::id).collect(Collectors.toSet());
            eligible.stream().filter(d -> !recorded.contains(d.id())).forEach(d -> unrecorded.add(Res.key(kind, region, d.id())));
        }
    }

    /**
     * The real pauser, plus (when there are any for its kind) the case's phantoms in discovery: resources the
     * real API refuses to pause. With a {@link RecordedFirst}, it checks property 5 before each pause call.
     */
    private static final class Wrapped implements ResourcePauser {
        private final ResourcePauser delegate;
        private final Map<String, List<Discovered>> phantoms;
        private final RecordedFirst recordedFirst;

        Wrapped(ResourcePauser delegate, Map<String, List<Discovered>> phantoms, RecordedFirst recordedFirst) {
            this.delegate = delegate;
            this.phantoms = phantoms;
            this.recordedFirst = recordedFirst;
        }

        @Override
        public ServiceKind kind() {
            return delegate.kind();
        }

        @Override
        public List<Discovered> discover(String region, ResourceFilter filter) {
            List<Discovered> found = new ArrayList<>(delegate.discover(region, filter));
            found.addAll(phantoms.getOrDefault(region, List.of()));
            return found;
        }

        @Override
        public List<ResourceResult> pause(String region, List<Discovered> eligible) {
            if (recordedFirst != null) {
                recordedFirst.check(kind(), region, eligible);
            }
            return delegate.pause(region, eligible);
        }

        @Override
        public List<ResourceResult> resume(String region, List<PausedResource> records, boolean dryRun) {
            return delegate.resume(region, records, dryRun);
        }
    }

    private static Map<String, Outcome> outcomes(OperationReport r) {
        Map<String, Outcome> out = new TreeMap<>();
        r.resources().forEach(x -> out.put(Res.key(x.service(), x.region(), x.id()), x.outcome()));
        return out;
    }

    private static Set<String> withOutcome(OperationReport r, Outcome... wanted) {
        Set<Outcome> w = Set.of(wanted);
        return r.resources().stream().filter(x -> w.contains(x.outcome())).map(x -> Res.key(x.service(), x.region(), x.id()))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static <T> Set<T> union(Set<T> a, Set<T> b) {
        Set<T> out = new TreeSet<>(a);
        out.addAll(b);
        return out;
    }

    // ---------------------------------------------------------------- the properties

    /**
     * Properties 1 (complete discovery), 2 (summary accuracy), 9 (dry-run safety), 4 and 7 (exactly the eligible
     * resources matching the filters are paused, nothing else changes), 10 (partial failure resilience), 5 (the
     * original state recorded before the change), 3 (snapshot round trip) and 6 (pause-resume round trip), each
     * asserted with its number, over one random multi-service, multi-region account per case.
     */
    @TestFactory
    Stream<DynamicTest> properties1to7and9and10_everyServiceInRandomRegionsWithRandomFiltersAndFailures() {
        // every case starts now, in order, on the first free lane; each dynamic test waits for its own case
        BlockingQueue<Lane> free = new ArrayBlockingQueue<>(LANES);
        for (int i = 0; i < LANES; i++) {
            Lane lane = new Lane(i == 0);
            lanes.add(lane);
            free.add(lane);
        }
        running = Executors.newFixedThreadPool(LANES);
        List<Future<?>> cases = IntStream.range(0, CASES).<Future<?>>mapToObj(n -> running.submit(() -> {
            long seed = BASE_SEED + n;
            Lane lane = free.take();
            Case[] generated = new Case[1];
            try {
                runCase(lane, n + 1, new Random(seed), generated);
            } catch (AssertionError | RuntimeException e) {
                lane.renewNext = true;
                throw new AssertionError("Properties 1-7, 9, 10 failed for seed=" + seed + " (re-run: -Dproperties.seed=" + seed
                        + " -Dproperties.cases=1)" + (generated[0] == null ? "" : " [" + generated[0].describe() + "]") + ": "
                        + e.getMessage(), e);
            } finally {
                free.add(lane);
            }
            return null;
        })).toList();
        return IntStream.range(0, CASES).mapToObj(n -> DynamicTest.dynamicTest(
                "Properties 1-7, 9, 10 (every service) case " + n + " seed=" + (BASE_SEED + n), () -> {
                    try {
                        cases.get(n).get();
                    } catch (ExecutionException e) {
                        if (e.getCause() instanceof AssertionError failed) {
                            throw failed;
                        }
                        throw new AssertionError("case " + n + " did not run: " + e.getCause(), e.getCause());
                    }
                }));
    }

    private static void runCase(Lane lane, int caseNo, Random rnd, Case[] generated) {
        EngineFixture f = lane.fixture();
        MixedAccount account = lane.newAccount(); // observes only what this case creates
        Case c = generate(rnd, caseNo, account);
        generated[0] = c;
        RecordedFirst recordedFirst = new RecordedFirst(f);
        BrakeEngine plain = engine(lane, f, p -> new Wrapped(p, Map.of(), null));
        BrakeEngine injecting = engine(lane, f, p -> new Wrapped(p, c.phantoms().getOrDefault(p.kind(), Map.of()), recordedFirst));
        Map<String, Res> byKey = new HashMap<>();
        c.resources().forEach(r -> byKey.put(r.key(), r));
        Set<String> selected = c.selectedKeys();
        Set<String> eligible = c.eligibleKeys();
        Set<String> injected = c.injectedKeys();
        Map<String, String> before = account.observe(c.regions());

        // Property 1 and 2: discovery
        OperationReport discovered = plain.run(c.request(Action.DISCOVER, false), ProgressListener.NONE);
        Map<String, Outcome> listed = outcomes(discovered);
        assertThat(listed.keySet()).as("Property 1: discovery lists every cost-generating selected resource (service:region:id)")
                .isEqualTo(selected);
        for (ResourceResult r : discovered.resources()) {
            Res res = byKey.get(Res.key(r.service(), r.region(), r.id()));
            assertThat(res).as("Property 1: %s %s %s is a resource of this case", r.service(), r.region(), r.id()).isNotNull();
            assertThat(c.requestRegions()).as("Property 1: region of " + r.id()).contains(r.region());
            assertThat(r.outcome()).as("Property 1: state of " + res.key() + " (" + r.reason() + ")")
                    .isEqualTo(eligible.contains(res.key()) ? Outcome.DISCOVERED : Outcome.SKIPPED);
            if (r.outcome() == Outcome.SKIPPED) {
                assertThat(r.reason()).as("Property 1: a skipped resource says why: " + res.key()).isNotBlank();
            }
        }
        Map<String, Integer> counted = new TreeMap<>();
        discovered.resources().forEach(r -> counted.merge(r.outcome().id(), 1, Integer::sum));
        assertThat(discovered.counts()).as("Property 2: summary counts match the resources listed").isEqualTo(counted);
        assertThat(discovered.counts().values().stream().mapToInt(Integer::intValue).sum())
                .as("Property 2: counts add up to the resources listed").isEqualTo(discovered.resources().size());
        Map<ServiceKind, Long> byServiceListed = discovered.resources().stream()
                .collect(Collectors.groupingBy(ResourceResult::service, () -> new EnumMap<>(ServiceKind.class), Collectors.counting()));
        Map<ServiceKind, Long> byServiceSeeded = c.resources().stream().filter(c::selected)
                .collect(Collectors.groupingBy(Res::service, () -> new EnumMap<>(ServiceKind.class), Collectors.counting()));
        assertThat(byServiceListed).as("Property 2: per service, as many listed as there are").isEqualTo(byServiceSeeded);

        // Property 9: a dry run changes nothing and lists exactly what the real run pauses
        OperationReport dry = injecting.run(c.request(Action.PAUSE, true), ProgressListener.NONE);
        assertThat(account.observe(c.regions())).as("Property 9: a dry-run pause changes nothing").isEqualTo(before);
        assertThat(f.store.activeSnapshotId()).as("Property 9: a dry run records no snapshot").isEmpty();
        Set<String> wouldPause = withOutcome(dry, Outcome.WOULD_PAUSE);
        assertThat(wouldPause).as("Property 9: the dry run lists every eligible resource (and the injected ones) as would-pause")
                .isEqualTo(union(eligible, injected));
        assertThat(dry.hasFailures()).as("Property 9: a dry run fails nothing").isFalse();

        // Properties 4, 7 and 10: the real pause
        OperationReport pause = injecting.run(c.request(Action.PAUSE, false), ProgressListener.NONE);
        Map<String, Outcome> got = outcomes(pause);
        assertThat(withOutcome(pause, Outcome.PAUSED, Outcome.FAILED)).as("Property 9: the real run changes exactly what the dry run listed")
                .isEqualTo(wouldPause);
        assertThat(withOutcome(pause, Outcome.PAUSED)).as("Property 4: exactly the eligible resources are paused").isEqualTo(eligible);
        assertThat(withOutcome(pause, Outcome.SKIPPED)).as("Property 7: the selected resources left alone by filters and skip rules are skipped")
                .isEqualTo(new TreeSet<>(selected.stream().filter(k -> !eligible.contains(k)).toList()));
        assertThat(got.keySet()).as("Property 7: nothing outside the selection appears in the report")
                .isEqualTo(union(selected, injected));
        Map<String, String> expectedPaused = new TreeMap<>(before);
        eligible.forEach(k -> expectedPaused.put(k, byKey.get(k).pausedObservation()));
        assertThat(account.observe(c.regions())).as("Property 4 and 7: the eligible resources are paused, everything else as it was")
                .isEqualTo(expectedPaused);
        injected.forEach(k -> assertThat(got.get(k)).as("Property 10: injected " + k + " is reported failed").isEqualTo(Outcome.FAILED));
        eligible.forEach(k -> assertThat(got.get(k)).as("Property 10: " + k + " paused despite the failures").isEqualTo(Outcome.PAUSED));
        pause.resources().stream().filter(r -> r.outcome() == Outcome.FAILED).forEach(r -> assertThat(r.reason())
                .as("Property 10: the failure of " + r.id() + " says why").isNotBlank());
        assertThat(pause.hasFailures()).as("Property 10: the report says something failed").isEqualTo(!injected.isEmpty());
        assertThat(pause.status()).as("Property 10: the pause's status").isEqualTo(injected.isEmpty() ? "paused" : "partial");

        // Property 5: a record with the original state, written before the change
        assertThat(recordedFirst.unrecorded).as("Property 5: every resource had its record before its pauser was called").isEmpty();
        List<SnapshotRecord> records = f.store.records(pause.snapshotId(), null, null);
        Map<String, SnapshotRecord> recordByKey = new TreeMap<>();
        records.forEach(r -> recordByKey.put(Res.key(r.service(), r.region(), r.id()), r));
        assertThat(recordByKey.keySet()).as("Property 5: a record for every resource paused or attempted")
                .isEqualTo(union(eligible, injected));
        for (String k : eligible) {
            SnapshotRecord r = recordByKey.get(k);
            assertThat(r.original()).as("Property 5: the original state of " + k).containsAllEntriesOf(byKey.get(k).original());
            assertThat(r.tags()).as("Property 5: the tags of " + k).isEqualTo(byKey.get(k).tags());
            assertThat(r.phase()).as("Property 5: the phase of " + k).isEqualTo(Outcome.PAUSED);
        }
        injected.forEach(k -> assertThat(recordByKey.get(k).phase()).as("Property 10: the record of " + k + " is failed")
                .isEqualTo(Outcome.FAILED));

        // Property 3: the S3 snapshot document is the DynamoDB records
        try {
            SnapshotDocument doc = Json.mapper().readValue(
                    f.store.getDocument(SnapshotStore.snapshotKey(pause.snapshotId())).orElseThrow(), SnapshotDocument.class);
            assertThat(doc.records()).as("Property 3: the S3 snapshot document reads back as the DynamoDB records")
                    .containsExactlyInAnyOrderElementsOf(records);
            OperationReport stored = Json.mapper().readValue(
                    f.store.getDocument(SnapshotStore.reportKey(pause.operationId(), "json")).orElseThrow(), OperationReport.class);
            assertThat(stored).as("Property 3: the stored report reads back as the same report").isEqualTo(pause);
        } catch (java.io.IOException e) {
            throw new AssertionError("Property 3: stored documents unreadable: " + e.getMessage(), e);
        }

        // Property 6: resume puts everything back exactly
        OperationReport resume = injecting.run(c.resume(), ProgressListener.NONE);
        assertThat(account.observe(c.regions())).as("Property 6: after resume the account is exactly as before the pause")
                .isEqualTo(before);
        assertThat(withOutcome(resume, Outcome.RESUMED)).as("Property 6: every paused resource is resumed").isEqualTo(eligible);
        assertThat(resume.hasFailures()).as("Property 6: the resume fails nothing (" + resume.resources() + ")").isFalse();
        assertThat(resume.status()).as("Property 6: the snapshot is resumed").isEqualTo("resumed");
        assertThat(f.store.activeSnapshotId()).as("Property 6: no snapshot is left active").isEmpty();
    }
}
