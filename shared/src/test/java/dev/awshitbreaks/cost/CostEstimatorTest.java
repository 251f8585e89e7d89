package dev.awshitbreaks.cost;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awshitbreaks.core.ServiceKind;
import dev.awshitbreaks.cost.CostEstimator.Estimate;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How each service's hourly figure is made from unit prices (here the bundled table's). */
class CostEstimatorTest {
    private final CostEstimator estimator = new CostEstimator(PriceBooks.bundled());
    private final String table = BundledPriceBook.load().source();

    @Test
    void anEc2InstanceCostsItsTypesOnDemandPrice() {
        Estimate e = estimator.estimate(ServiceKind.EC2, "us-east-1", "t3.micro", Map.of(CostBasis.INSTANCE_TYPE, "t3.micro"));
        assertThat(e.hourly()).isEqualByComparingTo("0.0104");
        assertThat(e.source()).isEqualTo(table);
    }

    @Test
    void anRdsInstanceIsPricedByClassEngineAndDeployment() {
        Estimate single = estimator.estimate(ServiceKind.RDS, "us-east-1", "db.t3.micro",
                Map.of(CostBasis.DB_INSTANCE_CLASS, "db.t3.micro", CostBasis.ENGINE, "postgres", CostBasis.MULTI_AZ, false));
        Estimate multi = estimator.estimate(ServiceKind.RDS, "us-east-1", "db.t3.micro",
                Map.of(CostBasis.DB_INSTANCE_CLASS, "db.t3.micro", CostBasis.ENGINE, "postgres", CostBasis.MULTI_AZ, true));
        Estimate licensed = estimator.estimate(ServiceKind.RDS, "us-east-1", "db.t3.micro",
                Map.of(CostBasis.DB_INSTANCE_CLASS, "db.t3.micro", CostBasis.ENGINE, "oracle-se2", CostBasis.MULTI_AZ, false));
        assertThat(single.hourly()).isEqualByComparingTo("0.018");
        assertThat(multi.hourly()).isEqualByComparingTo("0.036");
        assertThat(licensed.hourly()).isNull();
        assertThat(licensed.source()).startsWith("unknown: ").contains("oracle-se2");
    }

    @Test
    void anAuroraClusterCostsTheSumOfItsInstances() {
        Estimate e = estimator.estimate(ServiceKind.AURORA, "us-east-1", "aurora-postgresql",
                Map.of(CostBasis.ENGINE, "aurora-postgresql", CostBasis.MEMBER_CLASSES, List.of("db.r6g.large", "db.r6g.large", "db.t4g.medium")));
        assertThat(e.hourly()).isEqualByComparingTo("0.593"); // 0.26 + 0.26 + 0.073
        Estimate serverless = estimator.estimate(ServiceKind.AURORA, "us-east-1", "aurora-postgresql",
                Map.of(CostBasis.ENGINE, "aurora-postgresql", CostBasis.MEMBER_CLASSES, List.of("db.serverless")));
        assertThat(serverless.hourly()).isNull();
        assertThat(serverless.source()).contains("Serverless v2");
    }

    @Test
    void aRedshiftClusterCostsItsNodeTypesRateTimesItsNodesAndANotebookItsInstanceTypesRate() {
        Estimate cluster = estimator.estimate(ServiceKind.REDSHIFT, "us-east-1", "ra3.4xlarge",
                Map.of(CostBasis.NODE_TYPE, "ra3.4xlarge", CostBasis.NUMBER_OF_NODES, 3, CostBasis.MULTI_AZ, false));
        assertThat(cluster.hourly()).isEqualByComparingTo("9.78"); // 3 x 3.26
        assertThat(cluster.source()).isEqualTo(table);
        Estimate multiAz = estimator.estimate(ServiceKind.REDSHIFT, "us-east-1", "ra3.4xlarge",
                Map.of(CostBasis.NODE_TYPE, "ra3.4xlarge", CostBasis.NUMBER_OF_NODES, 3, CostBasis.MULTI_AZ, true));
        assertThat(multiAz.hourly()).isNull();
        assertThat(multiAz.source()).startsWith("unknown: ").contains("Multi-AZ");
        Estimate unlisted = estimator.estimate(ServiceKind.REDSHIFT, "ap-south-1", "dc2.large",
                Map.of(CostBasis.NODE_TYPE, "dc2.large", CostBasis.NUMBER_OF_NODES, 1));
        assertThat(unlisted.hourly()).isNull();
        assertThat(unlisted.source()).contains("dc2.large").contains("ap-south-1");

        Estimate notebook = estimator.estimate(ServiceKind.SAGEMAKER_NOTEBOOKS, "us-east-1", "ml.t3.large",
                Map.of(CostBasis.NOTEBOOK_INSTANCE_TYPE, "ml.t3.large"));
        assertThat(notebook.hourly()).isEqualByComparingTo("0.10");
        Estimate untyped = estimator.estimate(ServiceKind.SAGEMAKER_NOTEBOOKS, "us-east-1", null, Map.of());
        assertThat(untyped.hourly()).isNull();
        assertThat(untyped.source()).contains("notebook instance type not known");
    }

    @Test
    void aFargateServiceCostsVcpuAndMemoryRatesTimesItsDesiredTasks() {
        Estimate e = estimator.estimate(ServiceKind.ECS, "us-east-1", "FARGATE", Map.of(CostBasis.LAUNCH_TYPE, "FARGATE",
                CostBasis.TASK_CPU, "512", CostBasis.TASK_MEMORY, "1024", CostBasis.DESIRED_COUNT, 3));
        // (0.5 vCPU x 0.04048 + 1 GB x 0.004445) x 3 tasks = 0.074055
        assertThat(e.hourly()).isEqualByComparingTo("0.074055");
        assertThat(e.source()).isEqualTo(table);
    }

    @Test
    void anEcsServiceOnEc2InstancesIsUnknownBecauseItsInstancesArePricedThemselves() {
        Estimate e = estimator.estimate(ServiceKind.ECS, "us-east-1", "EC2", Map.of(CostBasis.LAUNCH_TYPE, "EC2", CostBasis.DESIRED_COUNT, 2));
        assertThat(e.hourly()).isNull();
        assertThat(e.source()).startsWith("unknown: EC2 launch type");
    }

    @Test
    void anAutoScalingGroupCostsTheSumOfItsInstances() {
        Estimate e = estimator.estimate(ServiceKind.AUTOSCALING, "eu-west-1", "launch template web",
                Map.of(CostBasis.INSTANCE_TYPES, List.of("t3.micro", "t3.micro", "m5.large")));
        assertThat(e.hourly()).isEqualByComparingTo("0.1298"); // 0.0114 x 2 + 0.107
        Estimate oneUnknown = estimator.estimate(ServiceKind.AUTOSCALING, "eu-west-1", "launch template web",
                Map.of(CostBasis.INSTANCE_TYPES, List.of("t3.micro", "z9.unheard")));
        assertThat(oneUnknown.hourly()).as("never a partial sum passed off as the whole").isNull();
    }

    @Test
    void aWarmPoolCostsItsInstancesWarmAndRunningAndASpotFleetIsUnknownWithTheReason() {
        Estimate e = estimator.estimate(ServiceKind.WARM_POOLS, "eu-west-1", "warm-pool",
                Map.of(CostBasis.INSTANCE_TYPES, List.of("t3.micro", "m5.large")));
        assertThat(e.hourly()).isEqualByComparingTo("0.1184"); // 0.0114 + 0.107
        assertThat(e.source()).isEqualTo(table);
        Estimate none = estimator.estimate(ServiceKind.WARM_POOLS, "eu-west-1", "warm-pool", Map.of(CostBasis.INSTANCE_TYPES, List.of()));
        assertThat(none.hourly()).as("known: nothing warm runs").isEqualByComparingTo("0");
        Estimate spot = estimator.estimate(ServiceKind.SPOT_FLEET, "us-east-1", "spot-fleet-request (maintain)", Map.of());
        assertThat(spot.hourly()).isNull();
        assertThat(spot.source()).startsWith("unknown: ").contains("Spot prices vary");
    }

    @Test
    void provisionedConcurrencyCostsGbSecondsForAnHour() {
        Estimate e = estimator.estimate(ServiceKind.LAMBDA, "us-east-1", "provisioned-concurrency",
                Map.of(CostBasis.MEMORY_MB, 1024, CostBasis.CONCURRENCY, 10));
        // 1 GB x 10 x 3600 s x 0.0000041667 = 0.150001
        assertThat(e.hourly()).isEqualByComparingTo("0.150001");
    }

    @Test
    void anEksNodeGroupCostsItsDesiredSizeTimesItsFirstInstanceTypeOnDemandAndSpotIsUnknown() {
        Estimate one = estimator.estimate(ServiceKind.EKS, "us-east-1", "managed node group t3.medium ON_DEMAND",
                Map.of(CostBasis.NODE_INSTANCE_TYPES, List.of("t3.medium"), CostBasis.CAPACITY_TYPE, "ON_DEMAND", CostBasis.DESIRED_SIZE, 3));
        assertThat(one.hourly()).isEqualByComparingTo("0.1248"); // 3 x 0.0416
        assertThat(one.source()).isEqualTo(table);
        // EKS fills On-Demand capacity in the listed order: the first type is what runs
        Estimate several = estimator.estimate(ServiceKind.EKS, "us-east-1", "managed node group",
                Map.of(CostBasis.NODE_INSTANCE_TYPES, List.of("t3.micro", "m5.large"), CostBasis.CAPACITY_TYPE, "ON_DEMAND",
                        CostBasis.DESIRED_SIZE, 2));
        assertThat(several.hourly()).isEqualByComparingTo("0.0208"); // 2 x t3.micro 0.0104
        Estimate spot = estimator.estimate(ServiceKind.EKS, "us-east-1", "managed node group",
                Map.of(CostBasis.NODE_INSTANCE_TYPES, List.of("t3.medium"), CostBasis.CAPACITY_TYPE, "SPOT", CostBasis.DESIRED_SIZE, 3));
        assertThat(spot.hourly()).isNull();
        assertThat(spot.source()).startsWith("unknown: SPOT capacity");
        Estimate launchTemplate = estimator.estimate(ServiceKind.EKS, "us-east-1", "managed node group",
                Map.of(CostBasis.NODE_INSTANCE_TYPES, List.of(), CostBasis.CAPACITY_TYPE, "ON_DEMAND", CostBasis.DESIRED_SIZE, 3));
        assertThat(launchTemplate.hourly()).isNull();
        assertThat(launchTemplate.source()).contains("launch template");
    }

    @Test
    void nothingKnownIsUnknownNeverZero() {
        for (ServiceKind s : ServiceKind.values()) {
            Estimate e = estimator.estimate(s, "us-east-1", null, Map.of());
            assertThat(e.hourly()).as(s.id()).isNull();
            assertThat(e.source()).as(s.id()).startsWith("unknown: ");
        }
        assertThat(estimator.estimate(ServiceKind.EC2, "mars-north-1", "t3.micro", Map.of()).hourly()).isNull();
        assertThat(new BigDecimal("0.0104").scale()).isLessThanOrEqualTo(CostEstimator.SCALE);
    }
}
