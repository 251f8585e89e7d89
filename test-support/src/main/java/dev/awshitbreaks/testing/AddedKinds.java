package dev.awshitbreaks.testing;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.UnaryOperator;

/**
 * The kinds of resource added after the first six (issue #16), as the every-path tests seed and observe them:
 * {@code MoreServicesStateMachineTest} (local-runtime: the real state machine and handlers) and
 * {@code MoreServicesLauncherTest} (launcher, {@code --local}) pause and resume all of them at once, in two regions,
 * and compare {@link MixedAccount#observe} before, while paused and after.
 *
 * <p>Adding a kind: its seeding and its observation in {@link MixedAccount} (whose constant for it is its
 * {@code --service} name, the prefix of its observation keys), one entry in {@link #ALL}, and, when moto does not
 * hold its state, its labelled stub started by {@link #endpoint}. Never runs product code.
 */
public final class AddedKinds {
    private AddedKinds() {
    }

    /**
     * One kind: its {@code --service} name, how to seed in a region what a pause must change (tracked by the
     * {@link MixedAccount}, which observes it), and what a correct pause makes of one such resource's observation.
     */
    public record Kind(String service, BiConsumer<MixedAccount, String> seed, UnaryOperator<String> whilePaused) {
    }

    /** Every added kind, one entry each. */
    public static final List<Kind> ALL = List.of(
            // an EKS managed node group of 1/4/2 on t3.medium: paused to min 0, desired 0, max kept
            new Kind(MixedAccount.EKS, (account, region) -> account.eksNodegroup(region, "k8s", "ng-" + region, 1, 4, 2,
                    List.of("t3.medium"), "ON_DEMAND", Map.of()),
                    before -> before.replace("min=1 max=4 desired=2", "min=0 max=4 desired=0")),
            new Kind(MixedAccount.REDSHIFT, (account, region) -> account.redshiftCluster(region, "warehouse-" + region, true,
                    Map.of()), seen -> seen.replace("status=available", "status=paused")),
            new Kind(MixedAccount.SAGEMAKER_NOTEBOOKS, (account, region) -> account.notebookInstance(region, "notebook-" + region,
                    true, Map.of()), seen -> seen.replace("status=InService", "status=Stopped")),
            // a running warm pool with no max prepared capacity set: stopped, min 0, max prepared 0 while paused
            new Kind(MixedAccount.WARM_POOLS, (account, region) -> account.warmPool(region, "warm-" + region, 2, null, "Running",
                    true, Map.of("team", "web")),
                    seen -> "min=0 maxPrepared=0 state=Stopped reuse=true"),
            // a maintained Spot Fleet of 2: target 0 while paused (moto holds no On-Demand target: none)
            new Kind(MixedAccount.SPOT_FLEET, (account, region) -> account.spotFleet(region, 2, Map.of("team", "batch")),
                    seen -> seen.replaceFirst("^target=\\d+", "target=0")),
            // a function with reserved concurrency 7: throttled to 0, then 7 again
            new Kind(MixedAccount.LAMBDA_THROTTLE, (account, region) -> account.lambdaFunction(region, "hb-throttled", 7,
                    Map.of()), seen -> "reserved=0"),
            // an enabled SQS mapping and an enabled Kinesis one (their functions are throttled too: lambda-throttle
            // observations)
            new Kind(MixedAccount.LAMBDA_EVENT_SOURCES, (account, region) -> {
                account.lambdaEventSourceMapping(region, "hb-consumer", 345600, true, Map.of(), Map.of());
                account.lambdaKinesisEventSourceMapping(region, "hb-reader", 48, Map.of());
            }, seen -> seen.replace("state=Enabled", "state=Disabled")),
            // a REST stage without throttling (resumed to none again) and an HTTP stage with its own
            new Kind(MixedAccount.APIGATEWAY, (account, region) -> {
                account.restApiStage(region, "shop", "prod", Map.of());
                account.v2ApiStage(region, "pets", false, "$default", 50.0, 20, Map.of());
            }, MixedAccount::apiGatewayWhilePaused)
    );

    /** Their {@code --service} names, in {@link #ALL}'s order. */
    public static List<String> services() {
        return ALL.stream().map(Kind::service).toList();
    }

    /** Seeds every added kind in each region. */
    public static void seed(MixedAccount account, List<String> regions) {
        for (String region : regions) {
            for (Kind kind : ALL) {
                kind.seed().accept(account, region);
            }
        }
    }

    /** The observation a correct pause of the added kinds leaves, given the one before it. */
    public static Map<String, String> expectedWhilePaused(Map<String, String> before) {
        Map<String, String> expected = new TreeMap<>(before);
        for (Map.Entry<String, String> e : before.entrySet()) {
            for (Kind kind : ALL) {
                if (e.getKey().startsWith(kind.service() + ":")) {
                    expected.put(e.getKey(), kind.whilePaused().apply(e.getValue()));
                }
            }
        }
        return expected;
    }

    /**
     * The endpoint the brake and the {@link MixedAccount} use: moto behind the labelled stubs of the APIs moto does
     * not implement or do not hold ({@link ProvisionedConcurrencyStub}, {@link ApiGatewayStageStub}), each forwarding the rest to the next. Close it after.
     */
    public static Endpoint endpoint(URI moto) {
        ProvisionedConcurrencyStub provisioned = ProvisionedConcurrencyStub.start(moto);
        ApiGatewayStageStub apiGateway = ApiGatewayStageStub.start(provisioned.endpoint());
        return new Endpoint(apiGateway.endpoint(), List.of(apiGateway, provisioned));
    }

    /** The stubs' front endpoint; closing it stops them. */
    public record Endpoint(URI uri, List<AutoCloseable> stubs) implements AutoCloseable {
        @Override
        public void close() {
            for (AutoCloseable stub : stubs) {
                try {
                    stub.close();
                } catch (Exception e) {
                    throw new IllegalStateException("closing a stub", e);
                }
            }
        }
    }
}
