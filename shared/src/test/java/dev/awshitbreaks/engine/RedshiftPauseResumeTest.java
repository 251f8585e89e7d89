package dev.awshitbreaks.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awshitbreaks.core.Action;
import dev.awshitbreaks.core.OperationReport;
import dev.awshitbreaks.core.Outcome;
import dev.awshitbreaks.core.Request;
import dev.awshitbreaks.core.ResourceResult;
import dev.awshitbreaks.core.ServiceKind;
import dev.awshitbreaks.services.Discovered;
import dev.awshitbreaks.services.OriginalState;
import dev.awshitbreaks.services.PausedResource;
import dev.awshitbreaks.services.ResourceFilter;
import dev.awshitbreaks.services.ResourcePauser;
import dev.awshitbreaks.snapshot.SnapshotRecord;
import dev.awshitbreaks.testing.FaultProxy;
import dev.awshitbreaks.testing.MotoServer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.redshift.RedshiftClient;
import software.amazon.awssdk.services.redshift.model.Tag;

/**
 * Redshift provisioned clusters against moto 5.2.5, which implements PauseCluster, ResumeCluster and DescribeClusters
 * and holds the status, but moves it at once (AWS goes through pausing and resuming for minutes) and does not check
 * the status a pause or resume starts from. Where AWS's answer differs, a {@link FaultProxy} answers as AWS documents
 * (labelled in each test).
 */
class RedshiftPauseResumeTest {
    private static final String US = "us-east-1";
    private static final List<String> TWO_REGIONS = List.of(US, "eu-west-1");
    private EngineFixture f;

    @BeforeEach
    void setUp() {
        f = new EngineFixture();
    }

    private static Request request(Action action, List<String> regions, boolean dryRun) {
        return new Request(action, regions, List.of("redshift"), null, null, null, dryRun, null, null);
    }

    @Test
    void pausePausesAvailableClustersInBothRegionsAndResumeResumesExactlyThose() {
        cluster(US, "warehouse", "ra3.xlplus", 2, Map.of("team", "bi"));
        cluster("eu-west-1", "reports", "dc2.large", 1, Map.of());
        cluster(US, "idle", "dc2.large", 1, Map.of());
        redshift(US).pauseCluster(b -> b.clusterIdentifier("idle"));
        cluster("us-west-2", "elsewhere", "dc2.large", 1, Map.of());

        OperationReport pause = f.engine().run(request(Action.PAUSE, TWO_REGIONS, false), ProgressListener.NONE);

        assertThat(pause.status()).isEqualTo("paused");
        assertThat(outcomes(pause)).as("a paused cluster costs no node hours: not listed")
                .containsOnly(Map.entry("warehouse", Outcome.PAUSED), Map.entry("reports", Outcome.PAUSED));
        assertThat(status(US, "warehouse")).isEqualTo("paused");
        assertThat(status("eu-west-1", "reports")).isEqualTo("paused");
        assertThat(status("us-west-2", "elsewhere")).as("a region not asked for").isEqualTo("available");
        ResourceResult warehouse = pause.resources().stream().filter(r -> r.id().equals("warehouse")).findFirst().orElseThrow();
        assertThat(warehouse.service()).isEqualTo(ServiceKind.REDSHIFT);
        assertThat(warehouse.type()).isEqualTo("ra3.xlplus");
        assertThat(warehouse.hourlyCost()).as("node type x nodes: 2 x USD 1.086").isEqualTo(2.172);
        List<SnapshotRecord> records = f.store.records(pause.snapshotId(), null, null);
        assertThat(records).extracting(SnapshotRecord::id).containsExactlyInAnyOrder("warehouse", "reports");
        assertThat(records).filteredOn(r -> r.id().equals("warehouse")).singleElement().satisfies(r -> {
            assertThat(r.original()).containsEntry("status", "available").containsEntry("nodeType", "ra3.xlplus")
                    .containsEntry("numberOfNodes", 2);
            assertThat(r.tags()).containsEntry("team", "bi");
        });

        OperationReport resume = f.engine().run(request(Action.RESUME, TWO_REGIONS, false), ProgressListener.NONE);

        assertThat(resume.status()).isEqualTo("resumed");
        assertThat(outcomes(resume)).containsOnly(Map.entry("warehouse", Outcome.RESUMED), Map.entry("reports", Outcome.RESUMED));
        assertThat(resume.resources()).allSatisfy(r -> assertThat(r.reason()).isNull());
        assertThat(status(US, "warehouse")).isEqualTo("available");
        assertThat(status("eu-west-1", "reports")).isEqualTo("available");
        assertThat(status(US, "idle")).as("was paused before the pause").isEqualTo("paused");
        assertThat(f.store.activeSnapshotId()).isEmpty();
    }

    @Test
    void clustersThatMustNotOrCannotBePausedAreSkippedWithTheirReasonAndLeftAvailable() {
        cluster(US, "plain", "dc2.large", 1, Map.of());
        cluster(US, "guarded", "dc2.large", 1, Map.of("aws-hit-breaks:protect", "true"));
        cluster(US, "stack", "dc2.large", 1, Map.of("aws-hit-breaks:stack", "hit-breaks"));
        cluster(US, "no-snapshots", "dc2.large", 1, Map.of());
        redshift(US).modifyCluster(b -> b.clusterIdentifier("no-snapshots").automatedSnapshotRetentionPeriod(0));

        OperationReport pause = f.engine().run(request(Action.PAUSE, List.of(US), false), ProgressListener.NONE);

        assertThat(outcomes(pause)).containsOnly(Map.entry("plain", Outcome.PAUSED), Map.entry("guarded", Outcome.SKIPPED),
                Map.entry("stack", Outcome.SKIPPED), Map.entry("no-snapshots", Outcome.SKIPPED));
        assertThat(reason(pause, "guarded")).contains("aws-hit-breaks:protect");
        assertThat(reason(pause, "stack")).contains("aws-hit-breaks stack");
        assertThat(reason(pause, "no-snapshots")).contains("automated snapshots are turned off");
        for (String id : List.of("guarded", "stack", "no-snapshots")) {
            assertThat(status(US, id)).as(id).isEqualTo("available");
        }
        assertThat(f.store.records(pause.snapshotId(), null, null)).extracting(SnapshotRecord::id).containsExactly("plain");
    }

    /**
     * moto never shows a cluster modifying; AWS does, for minutes, and refuses to pause it (InvalidClusterState). A proxy
     * answers DescribeClusters with the cluster modifying, as AWS would, for the whole bounded wait.
     */
    @Test
    void aClusterStillInATransitionalStateAfterTheWaitIsSkippedWithTheReason() {
        cluster(US, "busy", "dc2.large", 1, Map.of());
        try (FaultProxy proxy = FaultProxy.builder(MotoServer.get().endpoint()).start()) {
            proxy.respondInstead(c -> c.operation().equals("DescribeClusters"), 1000, c -> describeClusters("busy", "modifying"));
            OperationReport pause = f.engineThrough(proxy).run(request(Action.PAUSE, List.of(US), false), ProgressListener.NONE);

            assertThat(outcomes(pause)).containsOnly(Map.entry("busy", Outcome.SKIPPED));
            assertThat(reason(pause, "busy")).contains("still modifying after waiting");
            assertThat(proxy.counts()).doesNotContainKey("redshift:PauseCluster");
        }
        assertThat(status(US, "busy")).isEqualTo("available");
    }

    @Test
    void aDryRunChangesNothingAndSaysWhatWouldBeDone() {
        cluster(US, "warehouse", "dc2.large", 2, Map.of());

        OperationReport dryPause = f.engine().run(request(Action.PAUSE, List.of(US), true), ProgressListener.NONE);
        assertThat(outcomes(dryPause)).containsOnly(Map.entry("warehouse", Outcome.WOULD_PAUSE));
        assertThat(status(US, "warehouse")).isEqualTo("available");

        f.engine().run(request(Action.PAUSE, List.of(US), false), ProgressListener.NONE);
        OperationReport dryResume = f.engine().run(request(Action.RESUME, List.of(US), true), ProgressListener.NONE);
        assertThat(outcomes(dryResume)).containsOnly(Map.entry("warehouse", Outcome.WOULD_RESUME));
        assertThat(status(US, "warehouse")).isEqualTo("paused");
    }

    @Test
    void resumeReportsDeletedResizedOrAlreadyResumedClustersAndStillResumesTheOthers() {
        cluster(US, "keeper", "dc2.large", 1, Map.of());
        cluster(US, "gone", "dc2.large", 1, Map.of());
        cluster(US, "resized", "dc2.large", 2, Map.of());
        cluster(US, "by-hand", "dc2.large", 1, Map.of());
        assertThat(f.engine().run(request(Action.PAUSE, List.of(US), false), ProgressListener.NONE).hasFailures()).isFalse();

        RedshiftClient redshift = redshift(US);
        redshift.deleteCluster(b -> b.clusterIdentifier("gone").skipFinalClusterSnapshot(true));
        redshift.modifyCluster(b -> b.clusterIdentifier("resized").numberOfNodes(4).clusterType("multi-node"));
        redshift.resumeCluster(b -> b.clusterIdentifier("by-hand"));

        OperationReport resume = f.engine().run(request(Action.RESUME, List.of(US), false), ProgressListener.NONE);

        assertThat(outcomes(resume)).containsOnly(Map.entry("keeper", Outcome.RESUMED), Map.entry("gone", Outcome.SKIPPED),
                Map.entry("resized", Outcome.RESUMED), Map.entry("by-hand", Outcome.RESUMED));
        assertThat(reason(resume, "gone")).contains("drift").contains("no longer exists");
        assertThat(reason(resume, "resized")).contains("drift").contains("number of nodes 2 became 4");
        assertThat(reason(resume, "by-hand")).isEqualTo("already available");
        assertThat(status(US, "keeper")).isEqualTo("available");
        assertThat(status(US, "resized")).isEqualTo("available");
    }

    @Test
    void aClusterRedshiftRefusesToPauseFailsAloneAndTheOthersArePaused() {
        cluster(US, "warehouse", "dc2.large", 1, Map.of());
        Discovered phantom = new Discovered(ServiceKind.REDSHIFT, US, "phantom", "dc2.large", null, Map.of(),
                new OriginalState.RedshiftCluster("available", "dc2.large", 1), null);
        BrakeEngine engine = f.engine(p -> p.kind() == ServiceKind.REDSHIFT ? new WithPhantom(p, phantom) : p);

        OperationReport report = engine.run(request(Action.PAUSE, List.of(US), false), ProgressListener.NONE);

        assertThat(outcomes(report)).containsOnly(Map.entry("warehouse", Outcome.PAUSED), Map.entry("phantom", Outcome.FAILED));
        assertThat(reason(report, "phantom")).contains("ClusterNotFound");
        assertThat(report.status()).isEqualTo("partial");
        assertThat(status(US, "warehouse")).isEqualTo("paused");
    }

    /**
     * An outcome is what was read back: the proxy acknowledges one PauseCluster, and later one ResumeCluster, as Redshift
     * does, without passing it on to moto, so DescribeClusters shows the cluster unchanged; it is FAILED with the status
     * read, its record stays resumable, and the next resume resumes it.
     */
    @Test
    void aPauseOrResumeThatIsAcknowledgedButNotReadBackIsFailed() {
        cluster(US, "warehouse", "dc2.large", 1, Map.of());
        cluster(US, "reports", "dc2.large", 1, Map.of());
        try (FaultProxy proxy = FaultProxy.builder(MotoServer.get().endpoint()).start()) {
            proxy.respondInstead(c -> c.operation().equals("PauseCluster") && c.form().get("ClusterIdentifier").equals("warehouse"),
                    1, c -> xml("PauseCluster", "<Cluster><ClusterIdentifier>warehouse</ClusterIdentifier>"
                            + "<ClusterStatus>pausing</ClusterStatus></Cluster>"));
            OperationReport pause = f.engineThrough(proxy).run(request(Action.PAUSE, List.of(US), false), ProgressListener.NONE);
            assertThat(outcomes(pause)).containsOnly(Map.entry("warehouse", Outcome.FAILED), Map.entry("reports", Outcome.PAUSED));
            assertThat(reason(pause, "warehouse")).contains("PauseCluster was acknowledged").contains("available");
            assertThat(status(US, "warehouse")).isEqualTo("available");

            redshift(US).pauseCluster(b -> b.clusterIdentifier("warehouse")); // paused by hand meanwhile
            proxy.respondInstead(c -> c.operation().equals("ResumeCluster"), 2, c -> xml("ResumeCluster",
                    "<Cluster><ClusterIdentifier>" + c.form().get("ClusterIdentifier") + "</ClusterIdentifier>"
                            + "<ClusterStatus>resuming</ClusterStatus></Cluster>"));
            OperationReport resume = f.engineThrough(proxy).run(request(Action.RESUME, List.of(US), false), ProgressListener.NONE);
            assertThat(outcomes(resume)).containsOnly(Map.entry("warehouse", Outcome.FAILED), Map.entry("reports", Outcome.FAILED));
            assertThat(reason(resume, "warehouse")).contains("ResumeCluster was acknowledged").contains("paused");
            assertThat(reason(resume, "reports")).contains("ResumeCluster was acknowledged").contains("paused");
            assertThat(f.store.records(pause.snapshotId(), null, null)).allMatch(SnapshotRecord::needsResume);

            OperationReport retry = f.engineThrough(proxy).run(request(Action.RESUME, List.of(US), false), ProgressListener.NONE);
            assertThat(outcomes(retry)).containsOnly(Map.entry("warehouse", Outcome.RESUMED), Map.entry("reports", Outcome.RESUMED));
            assertThat(status(US, "warehouse")).isEqualTo("available");
            assertThat(status(US, "reports")).isEqualTo("available");
        }
    }

    /** A resumed cluster is not ready (for compute to follow) until DescribeClusters shows it available. */
    @Test
    void aResumingClusterIsNotReadyUntilItIsAvailable() {
        cluster(US, "warehouse", "dc2.large", 1, Map.of());
        try (FaultProxy proxy = FaultProxy.builder(MotoServer.get().endpoint()).start()) {
            var clients = new dev.awshitbreaks.aws.AwsClients(new dev.awshitbreaks.aws.AwsSettings(proxy.endpoint(), US,
                    EngineFixture.TABLE, EngineFixture.BUCKET), dev.awshitbreaks.testing.MotoAccount.CREDENTIALS);
            ResourcePauser pauser = BrakeEngine.pausers(clients, EngineFixture.FAST).stream()
                    .filter(p -> p.kind() == ServiceKind.REDSHIFT).findFirst().orElseThrow();
            PausedResource resumed = new PausedResource(ServiceKind.REDSHIFT, US, "warehouse", "dc2.large", null,
                    new OriginalState.RedshiftCluster("available", "dc2.large", 1));
            // AWS shows a resumed cluster resuming for minutes; moto makes it available at once
            proxy.respondInstead(c -> c.operation().equals("DescribeClusters"), 1, c -> describeClusters("warehouse", "resuming"));

            assertThat(pauser.notReady(US, List.of(resumed))).containsExactly(Map.entry("warehouse", "resuming"));
            assertThat(pauser.notReady(US, List.of(resumed))).isEmpty();
        }
    }

    // ---------------------------------------------------------------- seeding and reading through the SDK

    /** DescribeClusters' answer listing one cluster in this status (Redshift's query-protocol shape). */
    static FaultProxy.Answer describeClusters(String id, String status) {
        return xml("DescribeClusters", "<Clusters><Cluster><ClusterIdentifier>" + id + "</ClusterIdentifier><ClusterStatus>"
                + status + "</ClusterStatus><NodeType>dc2.large</NodeType><NumberOfNodes>1</NumberOfNodes>"
                + "<AutomatedSnapshotRetentionPeriod>1</AutomatedSnapshotRetentionPeriod></Cluster></Clusters>");
    }

    static FaultProxy.Answer xml(String operation, String result) {
        return new FaultProxy.Answer(200, "text/xml", "<" + operation + "Response xmlns=\"http://redshift.amazonaws.com/doc/2012-12-01/\"><"
                + operation + "Result>" + result + "</" + operation + "Result><ResponseMetadata><RequestId>canned</RequestId>"
                + "</ResponseMetadata></" + operation + "Response>");
    }

    private RedshiftClient redshift(String region) {
        return f.clients.redshift(region);
    }

    private void cluster(String region, String id, String nodeType, int nodes, Map<String, String> tags) {
        redshift(region).createCluster(b -> b.clusterIdentifier(id).nodeType(nodeType)
                .clusterType(nodes == 1 ? "single-node" : "multi-node").numberOfNodes(nodes)
                .masterUsername("admin").masterUserPassword("Correct-horse-1")
                .tags(tags.entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList()));
    }

    private String status(String region, String id) {
        return redshift(region).describeClusters(b -> b.clusterIdentifier(id)).clusters().get(0).clusterStatus();
    }

    private static Map<String, Outcome> outcomes(OperationReport report) {
        Map<String, Outcome> out = new HashMap<>();
        report.resources().forEach(r -> out.put(r.id(), r.outcome()));
        return out;
    }

    private static String reason(OperationReport report, String id) {
        return report.resources().stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow().reason();
    }

    /** The real Redshift pauser, plus one cluster Redshift does not know (its PauseCluster fails). */
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
