package dev.awshitbreaks.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awshitbreaks.testing.MixedAccount;
import dev.awshitbreaks.testing.MixedAccount.ScalableTargetSpec;
import dev.awshitbreaks.testing.MotoServer;
import dev.awshitbreaks.testing.ProvisionedConcurrencyStub;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The seeder itself: one of each kind in one region, observed as the brake must restore it. */
class MixedAccountTest {
    private static final String EAST = "us-east-1";

    @Test
    void seedsOneOfEachKindAndObservesEverythingRestorable() {
        MotoServer moto = MotoServer.get();
        moto.reset();
        try (ProvisionedConcurrencyStub stub = ProvisionedConcurrencyStub.start(moto.endpoint());
                MixedAccount account = new MixedAccount(stub.endpoint())) {
            String running = account.ec2Instance(EAST, "t3.micro", true, Map.of("env", "dev"));
            String stopped = account.ec2Instance(EAST, "t3.small", false, Map.of());
            String db = account.rdsInstance(EAST, "orders-db", true, Map.of());
            String cluster = account.auroraCluster(EAST, "catalog", true, Map.of());
            String service = account.ecsService(EAST, "alpha", "api", 3,
                    Optional.of(new ScalableTargetSpec(2, 10, true, false, false)), Map.of());
            String plain = account.ecsService(EAST, "alpha", "web", 1, Optional.empty(), Map.of());
            String group = account.autoScalingGroup(EAST, "workers", 1, 4, 2, List.of("AZRebalance"), Map.of("team", "x"));
            String fn = account.lambdaFunctionWithProvisionedConcurrency(EAST, "api", "live", 5, Map.of());
            String version = account.lambdaFunctionWithProvisionedConcurrency(EAST, "worker", "1", 2, Map.of());

            assertThat(service).isEqualTo("alpha/api");
            assertThat(fn).isEqualTo("api:live");
            Map<String, String> seen = account.observe(List.of(EAST, "eu-west-1"));

            assertThat(seen).as("exactly these, whatever order the generated ids sort in").containsOnly(
                    Map.entry("aurora:us-east-1:" + cluster, "status=available"),
                    Map.entry("autoscaling:us-east-1:" + group, "min=1 max=4 desired=2 suspended=[AZRebalance]"),
                    Map.entry("ec2:us-east-1:" + running, "state=running type=t3.micro"),
                    Map.entry("ec2:us-east-1:" + stopped, "state=stopped type=t3.small"),
                    Map.entry("ecs:us-east-1:" + service, "desired=3 target=min 2 max 10 in=true out=false scheduled=false"),
                    Map.entry("ecs:us-east-1:" + plain, "desired=1 target=none"),
                    Map.entry("lambda:us-east-1:" + fn, "pc=5"),
                    Map.entry("lambda:us-east-1:" + version, "pc=2"),
                    Map.entry("rds:us-east-1:" + db, "status=available class=db.t3.micro"));
            assertThat(account.observe(List.of(EAST))).as("observing changes nothing").isEqualTo(seen);

            account.lambda(EAST).deleteProvisionedConcurrencyConfig(b -> b.functionName("api").qualifier("live"));
            account.rds(EAST).stopDBInstance(b -> b.dbInstanceIdentifier(db));
            account.ecs(EAST).deleteService(b -> b.cluster("alpha").service("web").force(true));
            assertThat(account.observe(List.of(EAST)))
                    .containsEntry("lambda:us-east-1:" + fn, "pc=none")
                    .containsEntry("rds:us-east-1:" + db, "status=stopped class=db.t3.micro")
                    .containsEntry("ecs:us-east-1:" + plain, "absent");
            assertThat(account.observe(List.of("eu-west-1"))).isEmpty();
        }
    }
}
