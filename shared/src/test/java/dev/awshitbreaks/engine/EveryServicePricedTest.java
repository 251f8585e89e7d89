package dev.awshitbreaks.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awshitbreaks.aws.AwsClients;
import dev.awshitbreaks.aws.AwsSettings;
import dev.awshitbreaks.core.Action;
import dev.awshitbreaks.core.OperationReport;
import dev.awshitbreaks.core.Request;
import dev.awshitbreaks.core.ResourceResult;
import dev.awshitbreaks.core.ServiceKind;
import dev.awshitbreaks.testing.MixedAccount;
import dev.awshitbreaks.testing.MotoAccount;
import dev.awshitbreaks.testing.ProvisionedConcurrencyStub;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * One resource of every service, discovered in moto (Lambda provisioned concurrency through
 * {@link ProvisionedConcurrencyStub}, a stub of the API moto lacks), each priced from what discovery
 * recorded: type, class and engine, the cluster's instances, Fargate task size times tasks, the group's
 * instances, memory times concurrency, the node group's desired size times its instance type.
 */
class EveryServicePricedTest {
    private static final String EAST = "us-east-1";

    @Test
    void discoveryPricesEveryServiceFromWhatItFound() {
        EngineFixture f = new EngineFixture();
        try (ProvisionedConcurrencyStub stub = ProvisionedConcurrencyStub.start(f.moto.endpoint());
                MixedAccount account = new MixedAccount(stub.endpoint());
                AwsClients viaStub = new AwsClients(new AwsSettings(stub.endpoint(), EAST, EngineFixture.TABLE,
                        EngineFixture.BUCKET), MotoAccount.CREDENTIALS)) {
            String instance = account.ec2Instance(EAST, "t3.micro", true, Map.of());
            String db = account.rdsInstance(EAST, "orders-db", true, Map.of());
            String cluster = account.auroraCluster(EAST, "catalog", true, Map.of());
            account.rds(EAST).createDBInstance(b -> b.dbInstanceIdentifier("catalog-1").dbClusterIdentifier(cluster)
                    .engine("aurora-postgresql").dbInstanceClass("db.r6g.large"));
            String service = account.ecsService(EAST, "alpha", "api", 3, Optional.empty(), Map.of());
            String group = account.autoScalingGroup(EAST, "workers", 0, 4, 2, List.of(), Map.of());
            String fn = account.lambdaFunctionWithProvisionedConcurrency(EAST, "api", "live", 5, Map.of());
            String nodes = account.eksNodegroup(EAST, "k8s", "workers", 1, 3, 2, List.of("t3.medium"), "ON_DEMAND", Map.of());
            String warehouse = account.redshiftCluster(EAST, "warehouse", true, Map.of());
            String notebook = account.notebookInstance(EAST, "research", true, Map.of());
            BrakeEngine engine = new BrakeEngine(viaStub, f.store, EngineFixture.FAST, Clock.systemUTC(), SecureRandom::new,
                    BrakeEngine.pausers(viaStub, EngineFixture.FAST));

            OperationReport report = engine.run(new Request(Action.DISCOVER, List.of(EAST), null, null, null, null, false,
                    null, null), ProgressListener.NONE);

            assertThat(hourly(report, instance)).isEqualByComparingTo("0.0104");
            assertThat(hourly(report, db)).isEqualByComparingTo("0.018");      // db.t3.micro postgres Single-AZ
            assertThat(hourly(report, cluster)).isEqualByComparingTo("0.26");  // one db.r6g.large aurora-postgresql
            // Fargate 0.25 vCPU x 0.04048 + 0.5 GB x 0.004445 = 0.0123425 per task, x 3 tasks = 0.0370275,
            // to a millionth of a dollar (half up)
            assertThat(hourly(report, service)).isEqualByComparingTo("0.037028");
            assertThat(hourly(report, group)).isEqualByComparingTo("0.0208"); // 2 x t3.micro
            // 128 MB = 0.125 GB x 5 x 3600 s x 0.0000041667 = 0.009375075, to a millionth
            assertThat(hourly(report, fn)).isEqualByComparingTo("0.009375");
            assertThat(hourly(report, nodes)).isEqualByComparingTo("0.0832"); // desired 2 x t3.medium 0.0416
            assertThat(hourly(report, warehouse)).isEqualByComparingTo("0.25"); // 1 node x dc2.large
            assertThat(hourly(report, notebook)).isEqualByComparingTo("0.05"); // ml.t3.medium notebook instance
            // the function is also a lambda-throttle resource: usage-based, so unknown with the reason, never 0
            ResourceResult throttle = report.resources().stream().filter(x -> x.service() == ServiceKind.LAMBDA_THROTTLE)
                    .findFirst().orElseThrow();
            assertThat(throttle.hourlyCost()).isNull();
            assertThat(throttle.priceSource()).startsWith("unknown: usage-based");
            // what still bills is listed too (still-billing is on by default); the Aurora cluster's storage is billed
            // per GB used, which the API does not give: unknown with the reason, never 0
            ResourceResult auroraStorage = report.resources().stream().filter(x -> x.service() == ServiceKind.STILL_BILLING
                    && x.id().equals(cluster)).findFirst().orElseThrow();
            assertThat(auroraStorage.priceSource()).startsWith("unknown: Aurora storage");
            assertThat(report.resources()).filteredOn(r -> r.service() != ServiceKind.LAMBDA_THROTTLE && r != auroraStorage)
                    .allSatisfy(r -> assertThat(r.priceSource()).startsWith("bundled-table:"));
            assertThat(report.costs().unknown()).as("only the usage-based throttle").isEqualTo(1);
        }
    }

    private static java.math.BigDecimal hourly(OperationReport report, String id) {
        ResourceResult r = report.resources().stream().filter(x -> x.id().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError(id + " not discovered: " + report.resources()));
        assertThat(r.hourlyCost()).as("%s (%s)", id, r.priceSource()).isNotNull();
        return java.math.BigDecimal.valueOf(r.hourlyCost());
    }
}
