package dev.awshitbreaks.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awshitbreaks.testing.FaultProxy;
import dev.awshitbreaks.testing.MixedAccount;
import dev.awshitbreaks.testing.MotoServer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A resumed Redshift cluster is a database: the real state machine's CheckDatabases loop (the real readiness handler
 * asking Redshift) keeps compute paused until it is available. moto makes a resumed cluster available at once; AWS
 * shows it {@code resuming} for minutes. A proxy in front of moto answers DescribeClusters as AWS would (labelled
 * stub of AWS's documented asynchronous resume): {@code resuming} for the first reads after the ResumeCluster call.
 */
class ResumeWaitsForRedshiftTest {
    private static final String US = "us-east-1";
    private FaultProxy proxy;
    private StateMachineFixture fx;
    private MixedAccount account;

    @BeforeEach
    void setUp() {
        proxy = FaultProxy.builder(MotoServer.get().endpoint()).start();
        fx = new StateMachineFixture(proxy.endpoint());
        account = new MixedAccount(fx.moto.endpoint());
        System.setProperty(LocalStateMachine.WAIT_OVERRIDES_PROPERTY, "{\"WaitForDatabases\": 10}");
    }

    @AfterEach
    void tearDown() {
        System.clearProperty(LocalStateMachine.WAIT_OVERRIDES_PROPERTY);
        account.close();
        fx.close();
        proxy.close();
    }

    private static String request(String action) {
        return "{\"action\":\"" + action + "\",\"regions\":[\"" + US + "\"],\"services\":[\"ec2\",\"redshift\"],\"trigger\":\"manual\"}";
    }

    @Test
    void computeIsResumedOnlyAfterTheResumedRedshiftClusterIsAvailable() {
        String cluster = account.redshiftCluster(US, "warehouse", true, Map.of());
        String web = account.ec2Instance(US, "t3.micro", true, Map.of());
        ExecutionResult pause = fx.run(request("pause"));
        assertThat(pause.succeeded()).as("%s", pause).isTrue();
        assertThat(account.observe(List.of(US))).containsEntry("redshift:" + US + ":" + cluster,
                "status=paused type=dc2.large nodes=1");

        // the resume's own read-back (one DescribeClusters) and then two readiness checks see it resuming
        AtomicBoolean resumeCalled = new AtomicBoolean();
        proxy.respondInstead(c -> {
            if (c.operation().equals("ResumeCluster")) {
                resumeCalled.set(true);
            }
            return resumeCalled.get() && c.operation().equals("DescribeClusters");
        }, 3, c -> describeClusters(cluster, "resuming"));
        ExecutionResult resume = fx.run(request("resume"));

        assertThat(resume.succeeded()).as("%s", resume).isTrue();
        assertThat(resume.output().path("status").asText()).isEqualTo("resumed");
        assertThat(resume.count("StateEntered", "CheckDatabases")).as("two checks see it resuming, the third available")
                .isEqualTo(3);
        assertThat(resume.count("StateEntered", "WaitForDatabases")).isEqualTo(2);
        assertThat(order(resume, "RunFirstTargets")).isLessThan(lastCheck(resume));
        assertThat(lastCheck(resume)).as("compute only after the last check").isLessThan(order(resume, "RunSecondTargets"));
        assertThat(account.observe(List.of(US))).containsEntry("redshift:" + US + ":" + cluster,
                "status=available type=dc2.large nodes=1");
        assertThat(account.ec2(US).describeInstances(b -> b.instanceIds(web)).reservations().get(0).instances().get(0)
                .state().nameAsString()).isEqualTo("running");
    }

    /** DescribeClusters' answer listing one cluster in this status (Redshift's query-protocol shape). */
    private static FaultProxy.Answer describeClusters(String id, String status) {
        return new FaultProxy.Answer(200, "text/xml", "<DescribeClustersResponse xmlns=\"http://redshift.amazonaws.com/doc/2012-12-01/\">"
                + "<DescribeClustersResult><Clusters><Cluster><ClusterIdentifier>" + id + "</ClusterIdentifier><ClusterStatus>"
                + status + "</ClusterStatus><NodeType>dc2.large</NodeType><NumberOfNodes>1</NumberOfNodes>"
                + "<AutomatedSnapshotRetentionPeriod>1</AutomatedSnapshotRetentionPeriod></Cluster></Clusters>"
                + "</DescribeClustersResult><ResponseMetadata><RequestId>canned</RequestId></ResponseMetadata>"
                + "</DescribeClustersResponse>");
    }

    private static int order(ExecutionResult r, String state) {
        List<ExecutionResult.Event> h = r.history();
        for (int i = 0; i < h.size(); i++) {
            if ("StateEntered".equals(h.get(i).type()) && state.equals(h.get(i).state())) {
                return i;
            }
        }
        throw new AssertionError(state + " never entered");
    }

    private static int lastCheck(ExecutionResult r) {
        List<ExecutionResult.Event> h = r.history();
        int last = -1;
        for (int i = 0; i < h.size(); i++) {
            if ("StateExited".equals(h.get(i).type()) && "CheckDatabases".equals(h.get(i).state())) {
                last = i;
            }
        }
        return last;
    }
}
