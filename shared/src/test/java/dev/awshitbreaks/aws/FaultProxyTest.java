package dev.awshitbreaks.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.awshitbreaks.testing.FaultProxy;
import dev.awshitbreaks.testing.FaultProxy.HoldPoint;
import dev.awshitbreaks.testing.MotoAccount;
import dev.awshitbreaks.testing.MotoServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/** The fault proxy between the real SDK and moto: the SDK sees its faults as AWS's own, and it counts and holds calls. */
class FaultProxyTest {
    private final MotoServer moto = MotoServer.get();
    private FaultProxy proxy;
    private AwsClients once;
    private MotoAccount account;

    @BeforeEach
    void setUp() {
        moto.reset();
        account = new MotoAccount(moto.endpoint());
    }

    @AfterEach
    void tearDown() {
        if (once != null) {
            once.close();
        }
        if (proxy != null) {
            proxy.close();
        }
    }

    /** Clients through the proxy that try each call once, so the injected answer is what the test sees. */
    private AwsClients oneAttempt(FaultProxy p) {
        return new AwsClients(new AwsSettings(p.endpoint(), "us-east-1", "t", "b", RetrySettings.defaults().withMaxAttempts(1)),
                MotoAccount.CREDENTIALS);
    }

    private List<Consumer<AwsClients>> everyProtocol() {
        return List.of(
                c -> c.ec2("eu-west-1").describeInstances(), // EC2 query
                c -> c.rds("us-east-1").describeDBInstances(), // query
                c -> c.autoScaling("us-east-1").describeAutoScalingGroups(), // query
                c -> c.configured(software.amazon.awssdk.services.sts.StsClient.builder(), "us-east-1").build()
                        .getCallerIdentity(), // query (STS: the tests' own client, the product no longer has one)
                c -> c.dynamoDb().listTables(), // JSON 1.0
                c -> c.ecs("us-east-1").listClusters(), // JSON 1.1
                c -> c.applicationAutoScaling("us-east-1").describeScalableTargets(b -> b.serviceNamespace("ecs")), // JSON 1.1
                c -> c.s3().listBuckets(), // REST XML
                c -> c.lambda("us-east-1").listFunctions()); // REST JSON
    }

    @Test
    void injectedThrottlesAreClassifiedAsThrottlingBySdkForEveryProtocol() {
        proxy = FaultProxy.builder(moto.endpoint()).seed(7).throttle(1.0).start();
        once = oneAttempt(proxy);
        for (Consumer<AwsClients> call : everyProtocol()) {
            Throwable t = catchThrowable(() -> call.accept(once));
            assertThat(t).isInstanceOf(AwsServiceException.class);
            AwsServiceException e = (AwsServiceException) t;
            assertThat(e.isThrottlingException()).as("%s %s", e.awsErrorDetails().serviceName(), e.awsErrorDetails().errorCode())
                    .isTrue();
        }
        assertThat(proxy.faults()).containsEntry("throttled", 9L).doesNotContainKey("forwarded");
        assertThat(proxy.counts()).containsKeys("ec2:DescribeInstances", "rds:DescribeDBInstances",
                "autoscaling:DescribeAutoScalingGroups", "sts:GetCallerIdentity", "dynamodb:ListTables", "ecs:ListClusters",
                "application-autoscaling:DescribeScalableTargets", "s3:ListBuckets", "lambda:ListFunctions");
        assertThat(proxy.calls()).filteredOn(c -> c.service().equals("ec2")).singleElement()
                .satisfies(c -> assertThat(c.region()).isEqualTo("eu-west-1"));
    }

    @Test
    void injectedServerErrorsAreRetryable5xxForEveryProtocol() {
        proxy = FaultProxy.builder(moto.endpoint()).seed(7).serverError(1.0).start();
        once = oneAttempt(proxy);
        for (Consumer<AwsClients> call : everyProtocol()) {
            Throwable t = catchThrowable(() -> call.accept(once));
            assertThat(t).isInstanceOf(AwsServiceException.class);
            assertThat(((AwsServiceException) t).statusCode()).isEqualTo(500);
            assertThat(((AwsServiceException) t).isThrottlingException()).isFalse();
        }
    }

    @Test
    void droppedConnectionsFailAnAttemptAndTheDefaultRetriesGetThrough() {
        proxy = FaultProxy.builder(moto.endpoint()).seed(11).drop(1.0).start();
        once = oneAttempt(proxy);
        assertThat(catchThrowable(() -> once.dynamoDb().listTables())).isInstanceOf(SdkClientException.class);

        proxy.setFaults(new FaultProxy.Faults(0.3, 0.1, 0.3));
        try (AwsClients retrying = new AwsClients(new AwsSettings(proxy.endpoint(), "us-east-1", "t", "b"), MotoAccount.CREDENTIALS)) {
            for (int i = 0; i < 20; i++) {
                assertThat(retrying.ec2("us-east-1").describeRegions().regions()).isNotEmpty();
            }
        }
        assertThat(proxy.faults().keySet()).contains("throttled", "serverError");
        assertThat(proxy.faults().getOrDefault("droppedBeforeForward", 0L) + proxy.faults().getOrDefault("droppedAfterForward", 0L))
                .isPositive();
    }

    @Test
    void aTokenBucketThrottlesOnceItsCapacityIsSpentPerRegion() {
        proxy = FaultProxy.builder(moto.endpoint()).rateLimit("ec2", "DescribeInstances", 3, 0, c -> 1).start();
        once = oneAttempt(proxy);
        for (int i = 0; i < 3; i++) {
            once.ec2("us-east-1").describeInstances();
        }
        Throwable t = catchThrowable(() -> once.ec2("us-east-1").describeInstances());
        assertThat(((AwsServiceException) t).awsErrorDetails().errorCode()).isEqualTo("RequestLimitExceeded");
        once.ec2("eu-west-1").describeInstances(); // another region, another bucket
        once.ec2("us-east-1").describeRegions(); // another operation
        assertThat(proxy.faults()).containsEntry("rateLimited", 1L);
    }

    @Test
    void aResourceBucketChargesOneTokenPerInstanceId() {
        String a = account.runInstance("us-east-1", "t3.micro");
        String b = account.runInstance("us-east-1", "t3.micro");
        String c = account.runInstance("us-east-1", "t3.micro");
        proxy = FaultProxy.builder(moto.endpoint())
                .rateLimit("ec2", "StopInstances", 2, 0, call -> call.countParams("InstanceId.")).start();
        once = oneAttempt(proxy);
        Throwable t = catchThrowable(() -> once.ec2("us-east-1").stopInstances(r -> r.instanceIds(a, b, c)));
        assertThat(((AwsServiceException) t).isThrottlingException()).isTrue();
        once.ec2("us-east-1").stopInstances(r -> r.instanceIds(a, b));
        assertThat(account.state("us-east-1", c)).isEqualTo("running");
        assertThat(account.state("us-east-1", a)).isEqualTo("stopped");
    }

    @Test
    void theNthResourceChangingCallIsHeldUntilReleased() throws Exception {
        String a = account.runInstance("us-east-1", "t3.micro");
        String b = account.runInstance("us-east-1", "t3.micro");
        proxy = FaultProxy.builder(moto.endpoint()).start();
        once = oneAttempt(proxy);
        FaultProxy.Hold hold = proxy.holdNth(2, FaultProxy.RESOURCE_CHANGING, HoldPoint.BEFORE_FORWARD);
        once.ec2("us-east-1").describeInstances(); // not a changing call
        once.ec2("us-east-1").stopInstances(r -> r.instanceIds(a));
        CompletableFuture<Void> second = CompletableFuture.runAsync(() -> once.ec2("us-east-1").stopInstances(r -> r.instanceIds(b)));

        assertThat(hold.awaitHeld(Duration.ofSeconds(30))).isTrue();
        assertThat(hold.call().operation()).isEqualTo("StopInstances");
        assertThat(hold.call().form()).containsEntry("InstanceId.1", b);
        assertThat(account.state("us-east-1", b)).as("held before it reached moto").isEqualTo("running");
        assertThat(second).isNotDone();

        hold.release();
        second.get(30, TimeUnit.SECONDS);
        assertThat(account.state("us-east-1", b)).isEqualTo("stopped");
        assertThat(proxy.counts()).containsEntry("ec2:StopInstances", 2L).containsEntry("ec2:DescribeInstances", 1L);
    }

    @Test
    void restOperationsAreNamedForS3AndLambda() {
        assertThat(FaultProxy.restOperation("s3", "PUT", "/bucket/snapshots/x.json", null)).isEqualTo("PutObject");
        assertThat(FaultProxy.restOperation("s3", "PUT", "/bucket", "versioning")).isEqualTo("PutBucketVersioning");
        assertThat(FaultProxy.restOperation("s3", "HEAD", "/bucket", null)).isEqualTo("HeadBucket");
        assertThat(FaultProxy.restOperation("lambda", "DELETE", "/2019-09-30/functions/f/provisioned-concurrency", "Qualifier=live"))
                .isEqualTo("DeleteProvisionedConcurrencyConfig");
        assertThat(FaultProxy.restOperation("lambda", "GET", "/2019-09-30/functions/f/provisioned-concurrency", "List=ALL"))
                .isEqualTo("ListProvisionedConcurrencyConfigs");
    }

    @Test
    void restOperationsAreNamedForEks() {
        assertThat(FaultProxy.restOperation("eks", "GET", "/clusters", "maxResults=100")).isEqualTo("ListClusters");
        assertThat(FaultProxy.restOperation("eks", "GET", "/clusters/prod/node-groups", "maxResults=100")).isEqualTo("ListNodegroups");
        assertThat(FaultProxy.restOperation("eks", "GET", "/clusters/prod/node-groups/ng-1", null)).isEqualTo("DescribeNodegroup");
        assertThat(FaultProxy.restOperation("eks", "POST", "/clusters/prod/node-groups/ng-1/update-config", null))
                .isEqualTo("UpdateNodegroupConfig");
    }

    @Test
    void restOperationsAreNamedForEventSourceMappingsAndApiGateway() {
        assertThat(FaultProxy.restOperation("lambda", "GET", "/2015-03-31/event-source-mappings/", "MaxItems=100"))
                .isEqualTo("ListEventSourceMappings");
        assertThat(FaultProxy.restOperation("lambda", "PUT", "/2015-03-31/event-source-mappings/1f2e", null))
                .isEqualTo("UpdateEventSourceMapping");
        assertThat(FaultProxy.restOperation("lambda", "GET", "/2015-03-31/event-source-mappings/1f2e", null))
                .isEqualTo("GetEventSourceMapping");
        assertThat(FaultProxy.restOperation("apigateway", "GET", "/restapis", "limit=500")).isEqualTo("GetRestApis");
        assertThat(FaultProxy.restOperation("apigateway", "GET", "/restapis/a1/stages", null)).isEqualTo("GetStages");
        assertThat(FaultProxy.restOperation("apigateway", "PATCH", "/restapis/a1/stages/prod", null)).isEqualTo("UpdateStage");
        assertThat(FaultProxy.restOperation("apigateway", "GET", "/account", null)).isEqualTo("GetAccount");
        assertThat(FaultProxy.restOperation("apigateway", "GET", "/v2/apis", "maxResults=100")).isEqualTo("GetApis (v2)");
        assertThat(FaultProxy.restOperation("apigateway", "GET", "/v2/apis/b2/stages", null)).isEqualTo("GetStages (v2)");
        assertThat(FaultProxy.restOperation("apigateway", "GET", "/v2/apis/b2/stages/%24default", null))
                .isEqualTo("GetStage (v2)");
        assertThat(FaultProxy.restOperation("apigateway", "PATCH", "/v2/apis/b2/stages/%24default", null))
                .isEqualTo("UpdateStage (v2)");
    }
}
