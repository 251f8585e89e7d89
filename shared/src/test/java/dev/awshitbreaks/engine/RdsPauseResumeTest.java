package dev.awshitbreaks.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awshitbreaks.services.OriginalState;
import dev.awshitbreaks.services.PausedResource;
import dev.awshitbreaks.core.Action;
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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.Tag;

class RdsPauseResumeTest {
    private static final List<String> TWO_REGIONS = List.of("us-east-1", "eu-west-1");
    private static final List<String> DATABASES = List.of("rds", "aurora");
    private static final String PASSWORD = "correct-horse-battery";
    private EngineFixture f;

    @BeforeEach
    void setUp() {
        f = new EngineFixture();
    }

    private static Request request(Action action, List<String> regions, boolean dryRun) {
        return new Request(action, regions, DATABASES, null, null, null, dryRun, null, null);
    }

    @Test
    void pauseStopsAvailableInstancesAndClustersInBothRegionsAndResumeStartsExactlyThoseAgain() {
        instance("us-east-1", "orders-db", "postgres", "db.t3.micro", Map.of("team", "orders"));
        instance("eu-west-1", "billing-db", "mysql", "db.m5.large", Map.of());
        instance("us-east-1", "idle-db", "mysql", "db.t3.small", Map.of());
        rds("us-east-1").stopDBInstance(b -> b.dbInstanceIdentifier("idle-db"));
        cluster("us-east-1", "catalog", "aurora-postgresql", null, Map.of());
        member("us-east-1", "catalog-writer", "catalog", "aurora-postgresql");
        cluster("eu-west-1", "ledger", "aurora-mysql", null, Map.of());
        cluster("us-east-1", "graph", "neptune", null, Map.of());
        cluster("eu-west-1", "idle-cluster", "aurora-mysql", null, Map.of());
        rds("eu-west-1").stopDBCluster(b -> b.dbClusterIdentifier("idle-cluster"));
        instance("us-west-2", "elsewhere-db", "postgres", "db.t3.micro", Map.of());

        OperationReport pause = f.engine().run(request(Action.PAUSE, TWO_REGIONS, false), ProgressListener.NONE);

        assertThat(pause.status()).isEqualTo("paused");
        assertThat(outcomes(pause)).containsOnly(
                Map.entry("orders-db", Outcome.PAUSED), Map.entry("billing-db", Outcome.PAUSED),
                Map.entry("catalog", Outcome.PAUSED), Map.entry("ledger", Outcome.PAUSED), Map.entry("graph", Outcome.PAUSED));
        assertThat(pause.resources()).filteredOn(r -> r.id().equals("catalog")).singleElement()
                .satisfies(r -> assertThat(r.service()).isEqualTo(ServiceKind.AURORA));
        assertThat(instanceStatus("us-east-1", "orders-db")).isEqualTo("stopped");
        assertThat(instanceStatus("eu-west-1", "billing-db")).isEqualTo("stopped");
        assertThat(clusterStatus("us-east-1", "catalog")).isEqualTo("stopped");
        assertThat(clusterStatus("eu-west-1", "ledger")).isEqualTo("stopped");
        assertThat(clusterStatus("us-east-1", "graph")).isEqualTo("stopped");
        assertThat(instanceStatus("us-east-1", "catalog-writer")).as("a cluster member is never stopped on its own")
                .isEqualTo("available");
        assertThat(instanceStatus("us-west-2", "elsewhere-db")).as("a region not asked for").isEqualTo("available");
        List<SnapshotRecord> records = f.store.records(pause.snapshotId(), null, null);
        assertThat(records).extracting(SnapshotRecord::id)
                .containsExactlyInAnyOrder("orders-db", "billing-db", "catalog", "ledger", "graph");
        assertThat(records).filteredOn(r -> r.id().equals("orders-db")).singleElement().satisfies(r -> {
            assertThat(r.service()).isEqualTo(ServiceKind.RDS);
            assertThat(r.type()).isEqualTo("db.t3.micro");
            assertThat(r.original()).containsEntry("status", "available").containsEntry("dbInstanceClass", "db.t3.micro")
                    .containsEntry("engine", "postgres");
            assertThat(r.tags()).containsEntry("team", "orders");
        });
        assertThat(records).filteredOn(r -> r.id().equals("catalog")).singleElement().satisfies(r -> {
            assertThat(r.type()).isEqualTo("aurora-postgresql");
            assertThat(r.original()).containsEntry("status", "available").containsEntry("engine", "aurora-postgresql")
                    .containsEntry("engineMode", "provisioned");
        });

        OperationReport resume = f.engine().run(request(Action.RESUME, TWO_REGIONS, false), ProgressListener.NONE);

        assertThat(resume.status()).isEqualTo("resumed");
        assertThat(resume.snapshotId()).isEqualTo(pause.snapshotId());
        assertThat(outcomes(resume)).containsOnly(
                Map.entry("orders-db", Outcome.RESUMED), Map.entry("billing-db", Outcome.RESUMED),
                Map.entry("catalog", Outcome.RESUMED), Map.entry("ledger", Outcome.RESUMED), Map.entry("graph", Outcome.RESUMED));
        assertThat(resume.resources()).allSatisfy(r -> assertThat(r.reason()).isNull());
        assertThat(instanceStatus("us-east-1", "orders-db")).isEqualTo("available");
        assertThat(instanceStatus("eu-west-1", "billing-db")).isEqualTo("available");
        assertThat(clusterStatus("us-east-1", "catalog")).isEqualTo("available");
        assertThat(clusterStatus("eu-west-1", "ledger")).isEqualTo("available");
        assertThat(clusterStatus("us-east-1", "graph")).isEqualTo("available");
        assertThat(instanceStatus("us-east-1", "idle-db")).as("was stopped before the pause").isEqualTo("stopped");
        assertThat(clusterStatus("eu-west-1", "idle-cluster")).as("was stopped before the pause").isEqualTo("stopped");
        assertThat(f.store.activeSnapshotId()).isEmpty();
    }

    @Test
    void instancesRdsCannotStopAreSkippedWithTheirReasonAndLeftRunning() {
        instance("us-east-1", "primary-db", "postgres", "db.t3.micro", Map.of());
        rds("us-east-1").createDBInstanceReadReplica(b -> b.dbInstanceIdentifier("primary-replica")
                .sourceDBInstanceIdentifier("primary-db"));
        rds("us-east-1").createDBInstance(b -> b.dbInstanceIdentifier("mssql-db").engine("sqlserver-se")
                .dbInstanceClass("db.m5.large").allocatedStorage(20).licenseModel("license-included").multiAZ(true)
                .masterUsername("admin").masterUserPassword(PASSWORD));
        instance("us-east-1", "mssql-single", "sqlserver-ex", "db.t3.small", Map.of());
        instance("us-east-1", "guarded-db", "mysql", "db.t3.micro", Map.of("aws-hit-breaks:protect", "true"));
        instance("us-east-1", "stack-db", "mysql", "db.t3.micro", Map.of("aws-hit-breaks:stack", "hit-breaks"));

        OperationReport pause = f.engine().run(request(Action.PAUSE, List.of("us-east-1"), false), ProgressListener.NONE);

        assertThat(outcomes(pause)).containsOnly(
                Map.entry("primary-db", Outcome.SKIPPED), Map.entry("primary-replica", Outcome.SKIPPED),
                Map.entry("mssql-db", Outcome.SKIPPED), Map.entry("mssql-single", Outcome.PAUSED),
                Map.entry("guarded-db", Outcome.SKIPPED), Map.entry("stack-db", Outcome.SKIPPED));
        assertThat(reason(pause, "primary-db")).contains("source of read replicas primary-replica");
        assertThat(reason(pause, "primary-replica")).contains("read replica of primary-db");
        assertThat(reason(pause, "mssql-db")).contains("SQL Server Multi-AZ");
        assertThat(reason(pause, "guarded-db")).contains("aws-hit-breaks:protect");
        assertThat(reason(pause, "stack-db")).contains("aws-hit-breaks stack");
        for (String id : List.of("primary-db", "primary-replica", "mssql-db", "guarded-db", "stack-db")) {
            assertThat(instanceStatus("us-east-1", id)).as(id).isEqualTo("available");
        }
        assertThat(f.store.records(pause.snapshotId(), null, null)).extracting(SnapshotRecord::id)
                .as("only what was paused is recorded").containsExactly("mssql-single");
    }

    @Test
    void clustersRdsCannotStopAreSkippedWithTheirReasonAndLeftRunning() {
        RdsClient rds = rds("us-east-1");
        cluster("us-east-1", "plain", "aurora-mysql", null, Map.of());
        cluster("us-east-1", "serverless-v1", "aurora-mysql", "serverless", Map.of());
        cluster("us-east-1", "global-primary", "aurora-mysql", null, Map.of());
        rds.createGlobalCluster(b -> b.globalClusterIdentifier("worldwide").sourceDBClusterIdentifier(arn("us-east-1", "global-primary")));
        cluster("us-east-1", "blue", "aurora-postgresql", null, Map.of());
        rds.createBlueGreenDeployment(b -> b.blueGreenDeploymentName("upgrade").source(arn("us-east-1", "blue")));
        rds.createDBCluster(b -> b.dbClusterIdentifier("multi-az").engine("postgres").dbClusterInstanceClass("db.m6gd.large")
                .allocatedStorage(100).iops(1000).storageType("io1").masterUsername("admin").masterUserPassword(PASSWORD));
        cluster("us-east-1", "guarded", "aurora-postgresql", null, Map.of("aws-hit-breaks:protect", "true"));
        cluster("us-east-1", "by-id", "aurora-postgresql", null, Map.of());
        String green = rds.describeDBClusters().dbClusters().stream().map(c -> c.dbClusterIdentifier())
                .filter(id -> id.startsWith("blue-green")).findFirst().orElseThrow();

        OperationReport pause = f.engine().run(new Request(Action.PAUSE, List.of("us-east-1"), List.of("aurora"), null, null,
                List.of("by-id"), false, null, null), ProgressListener.NONE);

        assertThat(outcomes(pause)).containsOnly(
                Map.entry("plain", Outcome.PAUSED), Map.entry("serverless-v1", Outcome.SKIPPED),
                Map.entry("global-primary", Outcome.SKIPPED), Map.entry("blue", Outcome.SKIPPED), Map.entry(green, Outcome.SKIPPED),
                Map.entry("multi-az", Outcome.SKIPPED), Map.entry("guarded", Outcome.SKIPPED), Map.entry("by-id", Outcome.SKIPPED));
        assertThat(reason(pause, "serverless-v1")).contains("Aurora Serverless v1");
        assertThat(reason(pause, "global-primary")).contains("global database").contains("worldwide");
        assertThat(reason(pause, "blue")).contains("blue/green deployment upgrade");
        assertThat(reason(pause, green)).contains("blue/green deployment upgrade");
        assertThat(reason(pause, "multi-az")).contains("Multi-AZ DB cluster");
        assertThat(reason(pause, "guarded")).contains("aws-hit-breaks:protect");
        assertThat(reason(pause, "by-id")).isEqualTo("excluded by id");
        for (String id : List.of("serverless-v1", "global-primary", "blue", "multi-az", "guarded", "by-id")) {
            assertThat(clusterStatus("us-east-1", id)).as(id).isEqualTo("available");
        }
        assertThat(clusterStatus("us-east-1", "plain")).isEqualTo("stopped");
    }

    @Test
    void resumeReportsDeletedOrReplacedDatabasesAsDriftAndStillRestoresTheOthers() {
        instance("us-east-1", "keeper-db", "postgres", "db.t3.micro", Map.of());
        instance("us-east-1", "gone-db", "postgres", "db.t3.micro", Map.of());
        instance("us-east-1", "resized-db", "postgres", "db.t3.micro", Map.of());
        instance("us-east-1", "restarted-db", "postgres", "db.t3.micro", Map.of());
        cluster("us-east-1", "keeper", "aurora-postgresql", null, Map.of());
        cluster("us-east-1", "gone", "aurora-postgresql", null, Map.of());
        cluster("us-east-1", "reborn", "aurora-postgresql", null, Map.of());
        OperationReport pause = f.engine().run(request(Action.PAUSE, List.of("us-east-1"), false), ProgressListener.NONE);
        assertThat(pause.hasFailures()).isFalse();

        RdsClient rds = rds("us-east-1");
        rds.deleteDBInstance(b -> b.dbInstanceIdentifier("gone-db").skipFinalSnapshot(true));
        rds.deleteDBCluster(b -> b.dbClusterIdentifier("gone").skipFinalSnapshot(true));
        // someone deleted the reborn cluster and created (and stopped) a new one under the same name; moto gives every
        // DB instance the same DbiResourceId, so only a cluster can show this drift here
        rds.deleteDBCluster(b -> b.dbClusterIdentifier("reborn").skipFinalSnapshot(true));
        // moto keeps the old cluster's automated snapshot, whose name the new cluster's would reuse
        rds.describeDBClusterSnapshots(b -> b.dbClusterIdentifier("reborn")).dbClusterSnapshots()
                .forEach(s -> rds.deleteDBClusterSnapshot(b -> b.dbClusterSnapshotIdentifier(s.dbClusterSnapshotIdentifier())));
        cluster("us-east-1", "reborn", "aurora-postgresql", null, Map.of());
        rds.stopDBCluster(b -> b.dbClusterIdentifier("reborn"));
        rds.modifyDBInstance(b -> b.dbInstanceIdentifier("resized-db").dbInstanceClass("db.t3.large").applyImmediately(true));
        rds.startDBInstance(b -> b.dbInstanceIdentifier("restarted-db")); // RDS restarts a stopped DB after 7 days

        OperationReport resume = f.engine().run(request(Action.RESUME, List.of("us-east-1"), false), ProgressListener.NONE);

        assertThat(outcomes(resume)).containsOnly(
                Map.entry("keeper-db", Outcome.RESUMED), Map.entry("gone-db", Outcome.SKIPPED),
                Map.entry("reborn", Outcome.SKIPPED), Map.entry("resized-db", Outcome.RESUMED),
                Map.entry("restarted-db", Outcome.RESUMED), Map.entry("keeper", Outcome.RESUMED), Map.entry("gone", Outcome.SKIPPED));
        assertThat(reason(resume, "gone-db")).startsWith("drift:").contains("no longer exists");
        assertThat(reason(resume, "gone")).startsWith("drift:").contains("no longer exists");
        assertThat(reason(resume, "reborn")).startsWith("drift:").contains("different DB cluster");
        assertThat(reason(resume, "resized-db")).startsWith("drift:").contains("db.t3.micro").contains("db.t3.large");
        assertThat(reason(resume, "restarted-db")).isEqualTo("already available");
        assertThat(resume.status()).isEqualTo("resumed");
        assertThat(resume.hasFailures()).isFalse();
        assertThat(instanceStatus("us-east-1", "keeper-db")).isEqualTo("available");
        assertThat(instanceStatus("us-east-1", "resized-db")).isEqualTo("available");
        assertThat(clusterStatus("us-east-1", "reborn")).as("not the cluster we stopped").isEqualTo("stopped");
        assertThat(clusterStatus("us-east-1", "keeper")).isEqualTo("available");
    }

    @Test
    void dryRunChangesNothingAndListsExactlyWhatARealRunWould() {
        instance("us-east-1", "orders-db", "postgres", "db.t3.micro", Map.of());
        instance("eu-west-1", "guarded-db", "postgres", "db.t3.micro", Map.of("aws-hit-breaks:protect", "true"));
        cluster("eu-west-1", "ledger", "aurora-mysql", null, Map.of());

        OperationReport dry = f.engine().run(request(Action.PAUSE, TWO_REGIONS, true), ProgressListener.NONE);

        assertThat(outcomes(dry)).containsOnly(Map.entry("orders-db", Outcome.WOULD_PAUSE),
                Map.entry("guarded-db", Outcome.SKIPPED), Map.entry("ledger", Outcome.WOULD_PAUSE));
        assertThat(instanceStatus("us-east-1", "orders-db")).isEqualTo("available");
        assertThat(clusterStatus("eu-west-1", "ledger")).isEqualTo("available");
        assertThat(f.store.activeSnapshotId()).as("a dry run leaves no snapshot").isEmpty();

        OperationReport real = f.engine().run(request(Action.PAUSE, TWO_REGIONS, false), ProgressListener.NONE);
        assertThat(outcomes(real)).containsOnly(Map.entry("orders-db", Outcome.PAUSED),
                Map.entry("guarded-db", Outcome.SKIPPED), Map.entry("ledger", Outcome.PAUSED));

        OperationReport dryResume = f.engine().run(request(Action.RESUME, TWO_REGIONS, true), ProgressListener.NONE);
        assertThat(outcomes(dryResume)).containsOnly(Map.entry("orders-db", Outcome.WOULD_RESUME),
                Map.entry("ledger", Outcome.WOULD_RESUME));
        assertThat(instanceStatus("us-east-1", "orders-db")).isEqualTo("stopped");
        assertThat(clusterStatus("eu-west-1", "ledger")).isEqualTo("stopped");
        assertThat(f.store.activeSnapshotId()).contains(real.snapshotId());
    }

    @Test
    void oneDatabaseFailingToStopDoesNotStopTheOthersAndIsReported() {
        instance("us-east-1", "orders-db", "postgres", "db.t3.micro", Map.of());
        cluster("us-east-1", "catalog", "aurora-postgresql", null, Map.of());
        var engine = f.engine(p -> p.kind() == ServiceKind.RDS ? new WithPhantom(p, new Discovered(ServiceKind.RDS, "us-east-1",
                "phantom-db", "db.t3.micro", null, Map.of(), new OriginalState.RdsInstance("available", "db.t3.micro",
                        "postgres", null), null)) : p);

        OperationReport report = engine.run(request(Action.PAUSE, List.of("us-east-1"), false), ProgressListener.NONE);

        assertThat(outcomes(report)).containsOnly(Map.entry("orders-db", Outcome.PAUSED), Map.entry("catalog", Outcome.PAUSED),
                Map.entry("phantom-db", Outcome.FAILED));
        assertThat(reason(report, "phantom-db")).contains("DBInstanceNotFound");
        assertThat(report.status()).isEqualTo("partial");
        assertThat(instanceStatus("us-east-1", "orders-db")).isEqualTo("stopped");
        assertThat(clusterStatus("us-east-1", "catalog")).isEqualTo("stopped");
    }

    /**
     * An outcome is what was read back, not what RDS acknowledged: the proxy acknowledges one database's stop or start
     * as RDS does without passing it on to moto, so DescribeDB* shows it unchanged (as AWS shows one that did not
     * change); it is FAILED with the status read, its record stays resumable, and a resume without the fault starts it.
     */
    @Test
    void aStopOrStartThatIsAcknowledgedButNotReadBackIsFailedAndTheNextResumeRetriesIt() {
        instance("us-east-1", "orders-db", "postgres", "db.t3.micro", Map.of());
        cluster("us-east-1", "catalog", "aurora-postgresql", null, Map.of());
        try (dev.awshitbreaks.testing.FaultProxy proxy = dev.awshitbreaks.testing.FaultProxy
                .builder(dev.awshitbreaks.testing.MotoServer.get().endpoint()).start()) {
            proxy.respondInstead(c -> c.operation().equals("StopDBInstance"), 1, c -> xml("StopDBInstance",
                    "<DBInstance><DBInstanceIdentifier>orders-db</DBInstanceIdentifier><DBInstanceStatus>stopping</DBInstanceStatus></DBInstance>"));
            OperationReport pause = f.engineThrough(proxy).run(request(Action.PAUSE, List.of("us-east-1"), false), ProgressListener.NONE);
            assertThat(outcomes(pause)).containsOnly(Map.entry("orders-db", Outcome.FAILED), Map.entry("catalog", Outcome.PAUSED));
            assertThat(reason(pause, "orders-db")).contains("StopDBInstance was acknowledged").contains("available");
            assertThat(instanceStatus("us-east-1", "orders-db")).isEqualTo("available");

            rds("us-east-1").stopDBInstance(b -> b.dbInstanceIdentifier("orders-db")); // stopped by hand meanwhile
            proxy.respondInstead(c -> c.operation().equals("StartDBInstance"), 1, c -> xml("StartDBInstance",
                    "<DBInstance><DBInstanceIdentifier>orders-db</DBInstanceIdentifier><DBInstanceStatus>starting</DBInstanceStatus></DBInstance>"));
            proxy.respondInstead(c -> c.operation().equals("StartDBCluster"), 1, c -> xml("StartDBCluster",
                    "<DBCluster><DBClusterIdentifier>catalog</DBClusterIdentifier><Status>starting</Status></DBCluster>"));
            OperationReport resume = f.engineThrough(proxy).run(request(Action.RESUME, List.of("us-east-1"), false),
                    ProgressListener.NONE);
            assertThat(outcomes(resume)).containsOnly(Map.entry("orders-db", Outcome.FAILED), Map.entry("catalog", Outcome.FAILED));
            assertThat(reason(resume, "orders-db")).contains("StartDBInstance was acknowledged").contains("stopped");
            assertThat(reason(resume, "catalog")).contains("StartDBCluster was acknowledged").contains("stopped");
            assertThat(f.store.records(pause.snapshotId(), null, null)).allMatch(SnapshotRecord::needsResume);

            OperationReport retry = f.engineThrough(proxy).run(request(Action.RESUME, List.of("us-east-1"), false),
                    ProgressListener.NONE);
            assertThat(outcomes(retry)).containsOnly(Map.entry("orders-db", Outcome.RESUMED), Map.entry("catalog", Outcome.RESUMED));
            assertThat(instanceStatus("us-east-1", "orders-db")).isEqualTo("available");
            assertThat(clusterStatus("us-east-1", "catalog")).isEqualTo("available");
        }
    }

    /** RDS's query-protocol answer to {@code operation} with this result body. */
    private static dev.awshitbreaks.testing.FaultProxy.Answer xml(String operation, String result) {
        return new dev.awshitbreaks.testing.FaultProxy.Answer(200, "text/xml", "<" + operation + "Response xmlns=\"http://rds.amazonaws.com/doc/2014-10-31/\"><"
                + operation + "Result>" + result + "</" + operation + "Result><ResponseMetadata><RequestId>canned</RequestId>"
                + "</ResponseMetadata></" + operation + "Response>");
    }

    // ---------------------------------------------------------------- seeding and reading through the SDK

    private RdsClient rds(String region) {
        return f.clients.rds(region);
    }

    private void instance(String region, String id, String engine, String instanceClass, Map<String, String> tags) {
        rds(region).createDBInstance(b -> b.dbInstanceIdentifier(id).engine(engine).dbInstanceClass(instanceClass)
                .allocatedStorage(20).masterUsername("admin").masterUserPassword(PASSWORD).tags(tags(tags)));
    }

    private void member(String region, String id, String clusterId, String engine) {
        rds(region).createDBInstance(b -> b.dbInstanceIdentifier(id).engine(engine).dbInstanceClass("db.r6g.large")
                .dbClusterIdentifier(clusterId));
    }

    private void cluster(String region, String id, String engine, String engineMode, Map<String, String> tags) {
        rds(region).createDBCluster(b -> {
            b.dbClusterIdentifier(id).engine(engine).engineMode(engineMode).tags(tags(tags));
            if (!"neptune".equals(engine)) {
                b.masterUsername("admin").masterUserPassword(PASSWORD);
            }
        });
    }

    private String arn(String region, String clusterId) {
        return rds(region).describeDBClusters(b -> b.dbClusterIdentifier(clusterId)).dbClusters().get(0).dbClusterArn();
    }

    private String instanceStatus(String region, String id) {
        return rds(region).describeDBInstances(b -> b.dbInstanceIdentifier(id)).dbInstances().get(0).dbInstanceStatus();
    }

    private String clusterStatus(String region, String id) {
        return rds(region).describeDBClusters(b -> b.dbClusterIdentifier(id)).dbClusters().get(0).status();
    }

    private static List<Tag> tags(Map<String, String> tags) {
        return tags.entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList();
    }

    private static Map<String, Outcome> outcomes(OperationReport report) {
        Map<String, Outcome> out = new HashMap<>();
        report.resources().forEach(r -> out.put(r.id(), r.outcome()));
        return out;
    }

    private static String reason(OperationReport report, String id) {
        return report.resources().stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow().reason();
    }

    /** The real RDS pauser, plus one instance that RDS does not know (its StopDBInstance fails). */
    private static final class WithPhantom implements ResourcePauser {
        private final ResourcePauser delegate;
        private final Discovered phantom;

        WithPhantom(ResourcePauser delegate, Discovered phantom) {
            this.delegate = delegate;
            this.phantom = phantom;
        }

        @Override
        public ServiceKind kind() {
            return delegate.kind();
        }

        @Override
        public List<Discovered> discover(String region, ResourceFilter filter) {
            List<Discovered> found = new ArrayList<>(delegate.discover(region, filter));
            if (region.equals(phantom.region())) {
                found.add(phantom);
            }
            return found;
        }

        @Override
        public List<ResourceResult> pause(String region, List<Discovered> eligible) {
            return delegate.pause(region, eligible);
        }

        @Override
        public List<ResourceResult> resume(String region, List<PausedResource> records, boolean dryRun) {
            return delegate.resume(region, records, dryRun);
        }
    }
}
