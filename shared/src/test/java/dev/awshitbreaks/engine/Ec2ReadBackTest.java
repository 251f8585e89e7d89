package dev.awshitbreaks.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awshitbreaks.core.Action;
import dev.awshitbreaks.core.OperationReport;
import dev.awshitbreaks.core.Outcome;
import dev.awshitbreaks.core.Request;
import dev.awshitbreaks.core.ResourceResult;
import dev.awshitbreaks.snapshot.SnapshotRecord;
import dev.awshitbreaks.testing.FaultProxy;
import dev.awshitbreaks.testing.MotoServer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * EC2 outcomes come from DescribeInstances read back after StopInstances/StartInstances, never from their
 * acknowledgement. moto starts and stops every instance it is asked to, so the {@link FaultProxy} makes its answers
 * what AWS answers when an acknowledged start falls back to stopped (an EBS volume's KMS key the caller may not use,
 * no capacity) or an acknowledged stop is not seen: the acknowledgement is canned (moto is not asked, so the instance
 * stays as it was), and DescribeInstances carries the StateReason AWS gives.
 */
class Ec2ReadBackTest {
    private static final String REGION = "us-east-1";
    private FaultProxy proxy;
    private EngineFixture f;

    @BeforeEach
    void setUp() {
        proxy = FaultProxy.builder(MotoServer.get().endpoint()).start();
        f = new EngineFixture(proxy);
    }

    @AfterEach
    void tearDown() {
        proxy.close();
    }

    private static Request request(Action action) {
        return new Request(action, List.of(REGION), List.of("ec2"), null, null, null, false, null, null);
    }

    @Test
    void aStartThatFallsBackToStoppedForLackOfCapacityIsFailedWithAwsReasonAndTheNextResumeStartsIt() {
        fallsBackToStoppedAndIsRetried("Server.InsufficientInstanceCapacity",
                "Server.InsufficientInstanceCapacity: Insufficient capacity.");
    }

    @Test
    void aStartThatFallsBackToStoppedBecauseOfAnUnusableKmsKeyIsFailedWithAwsReason() {
        fallsBackToStoppedAndIsRetried("Client.InternalError", "Client.InternalError: Client error on launch");
    }

    private void fallsBackToStoppedAndIsRetried(String code, String message) {
        String id = f.account.runInstance(REGION, "t3.micro");
        String other = f.account.runInstance(REGION, "t3.micro");
        OperationReport pause = f.engine().run(request(Action.PAUSE), ProgressListener.NONE);
        assertThat(outcome(pause, id).outcome()).isEqualTo(Outcome.PAUSED);

        AtomicBoolean started = new AtomicBoolean();
        proxy.respondInstead(c -> c.operation().equals("StartInstances") && c.form().containsValue(id), 1, c -> {
            // acknowledged as AWS does; moto is asked to start the batch's other instances only, so this one stays stopped
            List<String> others = instanceIds(c).stream().filter(x -> !x.equals(id)).toList();
            if (!others.isEmpty()) {
                f.account.ec2(REGION).startInstances(b -> b.instanceIds(others));
            }
            started.set(true);
            return xml(startAcknowledged(c));
        });
        proxy.respondInstead(c -> c.operation().equals("DescribeInstances") && started.get() && c.form().containsValue(id),
                100, c -> xml(describeWithFallback(c, id, code, message)));

        OperationReport first = f.engine().run(request(Action.RESUME), ProgressListener.NONE);

        ResourceResult failed = outcome(first, id);
        assertThat(failed.outcome()).as(failed.reason()).isEqualTo(Outcome.FAILED);
        assertThat(failed.reason()).contains(message).contains("stopped");
        assertThat(outcome(first, other).outcome()).as("the other instance of the batch started").isEqualTo(Outcome.RESUMED);
        assertThat(f.account.state(REGION, other)).isEqualTo("running");
        SnapshotRecord rec = record(pause.snapshotId(), id);
        assertThat(rec.phase()).isEqualTo(Outcome.FAILED);
        assertThat(rec.needsResume()).as("still resumable").isTrue();
        assertThat(f.store.activeSnapshotId()).contains(pause.snapshotId());

        proxy.resetCounts(); // the fault is gone
        OperationReport second = f.engine().run(request(Action.RESUME), ProgressListener.NONE);

        assertThat(outcome(second, id).outcome()).isEqualTo(Outcome.RESUMED);
        assertThat(f.account.state(REGION, id)).isEqualTo("running");
        assertThat(record(pause.snapshotId(), id).needsResume()).isFalse();
        assertThat(proxy.counts().get("ec2:DescribeInstances")).as("the pre-start read and one read-back of the batch")
                .isEqualTo(2L);
    }

    @Test
    void aStopThatIsAcknowledgedButNotSeenStoppingIsFailedAndStaysResumable() {
        String id = f.account.runInstance(REGION, "t3.micro");
        String other = f.account.runInstance(REGION, "t3.micro");
        proxy.respondInstead(c -> c.operation().equals("StopInstances") && c.form().containsValue(id), 1, c -> {
            // acknowledged; moto is asked to stop the batch's other instances only, so this one keeps running
            List<String> others = instanceIds(c).stream().filter(x -> !x.equals(id)).toList();
            if (!others.isEmpty()) {
                f.account.ec2(REGION).stopInstances(b -> b.instanceIds(others));
            }
            return xml(stopAcknowledged(c));
        });

        OperationReport pause = f.engine().run(request(Action.PAUSE), ProgressListener.NONE);

        ResourceResult failed = outcome(pause, id);
        assertThat(failed.outcome()).as(failed.reason()).isEqualTo(Outcome.FAILED);
        assertThat(failed.reason()).contains("StopInstances was acknowledged").contains("running");
        assertThat(f.account.state(REGION, id)).isEqualTo("running");
        assertThat(outcome(pause, other).outcome()).isEqualTo(Outcome.PAUSED);
        assertThat(f.account.state(REGION, other)).isEqualTo("stopped");
        assertThat(record(pause.snapshotId(), id).needsResume()).isTrue();
    }

    @Test
    void aPauseReadsBackEachBatchOnceWhenEveryInstanceIsSeenStopping() {
        for (int i = 0; i < 3; i++) {
            f.account.runInstance(REGION, "t3.micro");
        }
        OperationReport pause = f.engine().run(request(Action.PAUSE), ProgressListener.NONE);

        assertThat(pause.resources()).extracting(ResourceResult::outcome).containsOnly(Outcome.PAUSED);
        assertThat(proxy.counts()).containsEntry("ec2:StopInstances", 1L)
                .as("the listing and one read-back").containsEntry("ec2:DescribeInstances", 2L)
                .containsEntry("ec2:DescribeInstanceTypes", 1L);
    }

    @Test
    void instancesOwnedByAnotherServiceOrWithInstanceStorageAreSkippedWithTheirOwnerNamed() {
        String emr = f.account.runInstance(REGION, "t3.micro", Map.of("aws:elasticmapreduce:job-flow-id", "j-2AXXXXXXGAPLF",
                "aws:elasticmapreduce:instance-group-role", "CORE"));
        String nodepool = f.account.runInstance(REGION, "t3.micro", Map.of("karpenter.sh/nodepool", "default",
                "karpenter.k8s.aws/ec2nodeclass", "default"));
        String provisioner = f.account.runInstance(REGION, "t3.micro", Map.of("karpenter.sh/provisioner-name", "old"));
        String nodeclass = f.account.runInstance(REGION, "t3.micro", Map.of("karpenter.k8s.aws/ec2nodeclass", "gpu"));
        String fleet = f.account.runInstance(REGION, "t3.micro", Map.of("aws:ec2:fleet-id", "fleet-0123456789abcdef0"));
        String spotFleet = f.account.runInstance(REGION, "t3.micro",
                Map.of("aws:ec2spot:fleet-request-id", "sfr-01234567-89ab-cdef-0123-456789abcdef"));
        String eks = f.account.runInstance(REGION, "t3.micro", Map.of("eks:nodegroup-name", "ng-1", "eks:cluster-name", "prod"));
        String nvme = f.account.runInstance(REGION, "m5d.large");
        String plain = f.account.runInstance(REGION, "m5.large");

        OperationReport pause = f.engine().run(request(Action.PAUSE), ProgressListener.NONE);

        assertThat(outcome(pause, plain).outcome()).isEqualTo(Outcome.PAUSED);
        Map<String, String> expected = Map.of(emr, "EMR cluster j-2AXXXXXXGAPLF", nodepool, "Karpenter node (karpenter.sh/nodepool default)",
                provisioner, "Karpenter node (karpenter.sh/provisioner-name old)",
                nodeclass, "Karpenter node (karpenter.k8s.aws/ec2nodeclass gpu)", fleet, "EC2 Fleet fleet-0123456789abcdef0",
                spotFleet, "Spot Fleet sfr-01234567-89ab-cdef-0123-456789abcdef", eks, "EKS node group ng-1",
                nvme, "instance type m5d.large has instance store volumes");
        expected.forEach((id, reason) -> {
            assertThat(outcome(pause, id).outcome()).as(id).isEqualTo(Outcome.SKIPPED);
            assertThat(outcome(pause, id).reason()).contains(reason);
            assertThat(f.account.state(REGION, id)).as("left running").isEqualTo("running");
        });
        assertThat(proxy.counts()).as("the two types, in one call").containsEntry("ec2:DescribeInstanceTypes", 1L);
    }

    // ---------------------------------------------------------------- AWS's answers

    private static FaultProxy.Answer xml(String body) {
        return new FaultProxy.Answer(200, "text/xml;charset=UTF-8", body);
    }

    private static String startAcknowledged(FaultProxy.Call c) {
        return changes("StartInstancesResponse", c, "<currentState><code>0</code><name>pending</name></currentState>"
                + "<previousState><code>80</code><name>stopped</name></previousState>");
    }

    private static String stopAcknowledged(FaultProxy.Call c) {
        return changes("StopInstancesResponse", c, "<currentState><code>64</code><name>stopping</name></currentState>"
                + "<previousState><code>16</code><name>running</name></previousState>");
    }

    /** StartInstances/StopInstances' answer: every instance id of the call, each with the given state change. */
    private static String changes(String element, FaultProxy.Call c, String change) {
        StringBuilder items = new StringBuilder();
        c.form().forEach((k, v) -> {
            if (k.startsWith("InstanceId.")) {
                items.append("<item><instanceId>").append(v).append("</instanceId>").append(change).append("</item>");
            }
        });
        return "<" + element + " xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"><requestId>canned</requestId>"
                + "<instancesSet>" + items + "</instancesSet></" + element + ">";
    }

    private static List<String> instanceIds(FaultProxy.Call c) {
        return c.form().entrySet().stream().filter(e -> e.getKey().startsWith("InstanceId.")).map(Map.Entry::getValue).toList();
    }

    /**
     * DescribeInstances' answer to a read by instance-id filter: {@code fellBack} stopped with AWS's StateReason, every
     * other id asked for as moto has it.
     */
    private String describeWithFallback(FaultProxy.Call c, String fellBack, String code, String message) {
        StringBuilder items = new StringBuilder();
        c.form().forEach((k, v) -> {
            if (!k.matches("Filter\\.\\d+\\.Value\\.\\d+")) {
                return;
            }
            if (v.equals(fellBack)) {
                items.append(item(v, 80, "stopped", "<stateReason><code>" + code + "</code><message>" + message
                        + "</message></stateReason>"));
            } else {
                var i = f.account.instance(REGION, v);
                items.append(item(v, i.state().code(), i.state().nameAsString(), ""));
            }
        });
        return "<DescribeInstancesResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"><requestId>canned</requestId>"
                + "<reservationSet><item><reservationId>r-0123456789abcdef0</reservationId><ownerId>123456789012</ownerId>"
                + "<instancesSet>" + items + "</instancesSet></item></reservationSet></DescribeInstancesResponse>";
    }

    private static String item(String id, int stateCode, String state, String stateReason) {
        return "<item><instanceId>" + id + "</instanceId><instanceType>t3.micro</instanceType>"
                + "<instanceState><code>" + stateCode + "</code><name>" + state + "</name></instanceState>" + stateReason
                + "<rootDeviceType>ebs</rootDeviceType></item>";
    }

    private ResourceResult outcome(OperationReport report, String id) {
        return report.resources().stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow(() -> new AssertionError(
                id + " not in the report: " + report.resources()));
    }

    private SnapshotRecord record(String snapshotId, String id) {
        return f.store.records(snapshotId, null, null).stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow();
    }
}
