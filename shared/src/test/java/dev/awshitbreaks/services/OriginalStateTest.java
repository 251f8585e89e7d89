package dev.awshitbreaks.services;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.awshitbreaks.core.Json;
import dev.awshitbreaks.core.ServiceKind;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The typed original states against the stored format: each is written as the JSON object the untyped maps wrote
 * (same field names, order and JSON types), read back equal, and a stored object that its service's pause never
 * writes is refused naming the field. No AWS involved.
 */
class OriginalStateTest {

    /** Each service's state and the exact JSON its pause stored before the state was typed. */
    static Stream<Arguments> storedFormat() {
        return Stream.of(
                Arguments.of(ServiceKind.EC2, new OriginalState.Ec2Instance("running", "t3.micro"),
                        "{\"state\":\"running\",\"instanceType\":\"t3.micro\"}"),
                Arguments.of(ServiceKind.RDS, new OriginalState.RdsInstance("available", "db.t3.micro", "postgres", "db-ABC"),
                        "{\"status\":\"available\",\"dbInstanceClass\":\"db.t3.micro\",\"engine\":\"postgres\",\"resourceId\":\"db-ABC\"}"),
                Arguments.of(ServiceKind.RDS, new OriginalState.RdsInstance("available", "db.t3.micro", "postgres", null),
                        "{\"status\":\"available\",\"dbInstanceClass\":\"db.t3.micro\",\"engine\":\"postgres\"}"),
                Arguments.of(ServiceKind.AURORA, new OriginalState.AuroraCluster("available", "aurora-postgresql", null, "cluster-X"),
                        "{\"status\":\"available\",\"engine\":\"aurora-postgresql\",\"resourceId\":\"cluster-X\"}"),
                Arguments.of(ServiceKind.ECS, OriginalState.EcsService.withoutTarget(3),
                        "{\"desiredCount\":3,\"scalableTarget\":false}"),
                Arguments.of(ServiceKind.ECS, OriginalState.EcsService.withTarget(3,
                                new OriginalState.EcsService.ScalableTarget(2, 10, true, false, false)),
                        "{\"desiredCount\":3,\"scalableTarget\":true,\"minCapacity\":2,\"maxCapacity\":10,"
                                + "\"dynamicScalingInSuspended\":true,\"dynamicScalingOutSuspended\":false,\"scheduledScalingSuspended\":false}"),
                Arguments.of(ServiceKind.AUTOSCALING, new OriginalState.AutoScalingGroup(1, 4, 2, List.of("AZRebalance")),
                        "{\"minSize\":1,\"maxSize\":4,\"desiredCapacity\":2,\"suspendedProcesses\":[\"AZRebalance\"]}"),
                Arguments.of(ServiceKind.LAMBDA, new OriginalState.ProvisionedConcurrency("api", "live", 5),
                        "{\"functionName\":\"api\",\"qualifier\":\"live\",\"requestedProvisionedConcurrentExecutions\":5}"),
                Arguments.of(ServiceKind.EKS, new OriginalState.EksNodegroup("prod", "ng-1", 1, 5, 3),
                        "{\"clusterName\":\"prod\",\"nodegroupName\":\"ng-1\",\"minSize\":1,\"maxSize\":5,\"desiredSize\":3}"),
                Arguments.of(ServiceKind.REDSHIFT, new OriginalState.RedshiftCluster("available", "ra3.xlplus", 2),
                        "{\"status\":\"available\",\"nodeType\":\"ra3.xlplus\",\"numberOfNodes\":2}"),
                Arguments.of(ServiceKind.SAGEMAKER_NOTEBOOKS, new OriginalState.NotebookInstance("InService", "ml.t3.medium"),
                        "{\"status\":\"InService\",\"instanceType\":\"ml.t3.medium\"}"),
                Arguments.of(ServiceKind.WARM_POOLS, new OriginalState.WarmPool(2, "Running", 5, true),
                        "{\"minSize\":2,\"poolState\":\"Running\",\"maxGroupPreparedCapacity\":5,\"reuseOnScaleIn\":true}"),
                Arguments.of(ServiceKind.WARM_POOLS, new OriginalState.WarmPool(0, "Running", null, null),
                        "{\"minSize\":0,\"poolState\":\"Running\"}"),
                Arguments.of(ServiceKind.SPOT_FLEET, new OriginalState.SpotFleetRequest(4, 1, "noTermination"),
                        "{\"targetCapacity\":4,\"onDemandTargetCapacity\":1,\"excessCapacityTerminationPolicy\":\"noTermination\"}"),
                Arguments.of(ServiceKind.SPOT_FLEET, new OriginalState.SpotFleetRequest(4, null, null),
                        "{\"targetCapacity\":4}"),
                Arguments.of(ServiceKind.LAMBDA_THROTTLE, new OriginalState.LambdaFunctionConcurrency("api", true, 20),
                        "{\"functionName\":\"api\",\"reserved\":true,\"reservedConcurrentExecutions\":20}"),
                Arguments.of(ServiceKind.LAMBDA_THROTTLE, new OriginalState.LambdaFunctionConcurrency("api", false, null),
                        "{\"functionName\":\"api\",\"reserved\":false}"),
                Arguments.of(ServiceKind.LAMBDA_EVENT_SOURCES, new OriginalState.LambdaEventSourceMapping("a1b2",
                        "arn:aws:lambda:us-east-1:123456789012:function:api", "arn:aws:sqs:us-east-1:123456789012:orders",
                        "Enabled"), "{\"uuid\":\"a1b2\",\"functionArn\":\"arn:aws:lambda:us-east-1:123456789012:function:api\","
                                + "\"eventSourceArn\":\"arn:aws:sqs:us-east-1:123456789012:orders\",\"state\":\"Enabled\"}"),
                Arguments.of(ServiceKind.LAMBDA_EVENT_SOURCES, new OriginalState.LambdaEventSourceMapping("a1b2",
                        "arn:aws:lambda:us-east-1:123456789012:function:api", null, "Enabling"),
                        "{\"uuid\":\"a1b2\",\"functionArn\":\"arn:aws:lambda:us-east-1:123456789012:function:api\","
                                + "\"state\":\"Enabling\"}"),
                Arguments.of(ServiceKind.APIGATEWAY, new OriginalState.ApiGatewayStage("REST", "a1b2c3", "prod",
                                new OriginalState.ApiGatewayStage.Throttle(100.0, 50),
                                Map.of("~1users/GET", new OriginalState.ApiGatewayStage.Throttle(20.0, 10)), null),
                        "{\"apiType\":\"REST\",\"apiId\":\"a1b2c3\",\"stageName\":\"prod\",\"stageDefault\":{\"rateLimit\":100.0,"
                                + "\"burstLimit\":50},\"overrides\":{\"~1users/GET\":{\"rateLimit\":20.0,\"burstLimit\":10}}}"),
                Arguments.of(ServiceKind.APIGATEWAY, new OriginalState.ApiGatewayStage("HTTP", "d4e5f6", "$default",
                                OriginalState.ApiGatewayStage.Throttle.NONE, Map.of(),
                                new OriginalState.ApiGatewayStage.Throttle(10000.0, 5000)),
                        "{\"apiType\":\"HTTP\",\"apiId\":\"d4e5f6\",\"stageName\":\"$default\",\"stageDefault\":{},"
                                + "\"overrides\":{},\"accountDefault\":{\"rateLimit\":10000.0,\"burstLimit\":5000}}"));
    }

    @ParameterizedTest(name = "{0}: {2}")
    @MethodSource("storedFormat")
    void writesTheStoredFormatByteForByteAndReadsItBack(ServiceKind service, OriginalState state, String stored) throws Exception {
        assertThat(Json.write(OriginalState.toStored(state))).isEqualTo(stored);
        Map<String, Object> read = Json.mapper().readValue(stored, LinkedHashMap.class);
        assertThat(OriginalState.read(service, read)).isEqualTo(state);
        assertThat(OriginalState.typeOf(service)).isInstanceOf(Class.class).isEqualTo(state.getClass());
    }

    @Test
    void everyServiceHasItsType() {
        for (ServiceKind s : ServiceKind.values()) {
            if (s.readOnly()) { // still-billing: listed, never recorded, so it has no original state
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> OriginalState.typeOf(s)).as(s.id())
                        .hasMessageContaining("ever recorded");
                continue;
            }
            assertThat(OriginalState.typeOf(s).isSealed() || OriginalState.typeOf(s).isRecord()).as(s.id()).isTrue();
        }
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of(ServiceKind.AUTOSCALING, "{\"minSize\":\"1\",\"maxSize\":4,\"desiredCapacity\":2,\"suspendedProcesses\":[]}",
                        "field 'minSize' has the wrong type: expected a whole number"),
                Arguments.of(ServiceKind.AUTOSCALING, "{\"minSize\":1.5,\"maxSize\":4,\"desiredCapacity\":2,\"suspendedProcesses\":[]}",
                        "field 'minSize' has the wrong type: expected a whole number"),
                Arguments.of(ServiceKind.AUTOSCALING, "{\"minSize\":1,\"maxSize\":4,\"desiredCapacity\":2,\"suspendedProcesses\":\"Launch\"}",
                        "field 'suspendedProcesses' has the wrong type: expected a list"),
                Arguments.of(ServiceKind.AUTOSCALING, "{\"minSize\":1,\"maxSize\":4,\"desiredCapacity\":2,\"suspendedProcesses\":[7]}",
                        "field 'suspendedProcesses[0]' has the wrong type: expected a string"),
                Arguments.of(ServiceKind.AUTOSCALING, "{\"minSize\":1,\"maxSize\":4,\"suspendedProcesses\":[]}",
                        "field 'desiredCapacity' is missing"),
                Arguments.of(ServiceKind.ECS, "{\"desiredCount\":3,\"scalableTarget\":\"true\"}",
                        "field 'scalableTarget' has the wrong type: expected true or false"),
                Arguments.of(ServiceKind.ECS, "{\"desiredCount\":3,\"scalableTarget\":true,\"minCapacity\":2,\"maxCapacity\":10,"
                        + "\"dynamicScalingInSuspended\":1,\"dynamicScalingOutSuspended\":false,\"scheduledScalingSuspended\":false}",
                        "field 'dynamicScalingInSuspended' has the wrong type: expected true or false"),
                Arguments.of(ServiceKind.ECS, "{\"desiredCount\":3}", "field 'scalableTarget' is missing"),
                Arguments.of(ServiceKind.EC2, "{\"state\":\"running\",\"instanceType\":\"t3.micro\",\"count\":2}",
                        "field 'count' is not a field of an ec2 original state"),
                Arguments.of(ServiceKind.EC2, "{\"state\":7,\"instanceType\":\"t3.micro\"}",
                        "field 'state' has the wrong type: expected a string"),
                Arguments.of(ServiceKind.LAMBDA, "{\"functionName\":\"api\",\"qualifier\":\"live\"}",
                        "field 'requestedProvisionedConcurrentExecutions' is missing"),
                Arguments.of(ServiceKind.RDS, "{}", "field 'status' is missing"),
                Arguments.of(ServiceKind.EKS, "{\"clusterName\":\"prod\",\"nodegroupName\":\"ng-1\",\"minSize\":1,\"maxSize\":5}",
                        "field 'desiredSize' is missing"),
                Arguments.of(ServiceKind.EKS, "{\"clusterName\":\"prod\",\"nodegroupName\":\"ng-1\",\"minSize\":1,\"maxSize\":5,"
                        + "\"desiredSize\":\"3\"}", "field 'desiredSize' has the wrong type: expected a whole number"),
                Arguments.of(ServiceKind.EKS, "{\"nodegroupName\":\"ng-1\",\"minSize\":1,\"maxSize\":5,\"desiredSize\":3}",
                        "field 'clusterName' is missing"),
                Arguments.of(ServiceKind.REDSHIFT, "{\"nodeType\":\"ra3.xlplus\",\"numberOfNodes\":2}", "field 'status' is missing"),
                Arguments.of(ServiceKind.REDSHIFT, "{\"status\":\"available\",\"numberOfNodes\":\"two\"}",
                        "field 'numberOfNodes' has the wrong type: expected a whole number"),
                Arguments.of(ServiceKind.SAGEMAKER_NOTEBOOKS, "{\"instanceType\":\"ml.t3.medium\"}", "field 'status' is missing"),
                Arguments.of(ServiceKind.WARM_POOLS, "{\"minSize\":2}", "field 'poolState' is missing"),
                Arguments.of(ServiceKind.WARM_POOLS, "{\"minSize\":2,\"poolState\":\"Running\",\"maxGroupPreparedCapacity\":\"5\"}",
                        "field 'maxGroupPreparedCapacity' has the wrong type: expected a whole number"),
                Arguments.of(ServiceKind.SPOT_FLEET, "{\"onDemandTargetCapacity\":1}", "field 'targetCapacity' is missing"),
                Arguments.of(ServiceKind.LAMBDA_THROTTLE, "{\"functionName\":\"api\",\"reservedConcurrentExecutions\":5}",
                        "field 'reserved' is missing"),
                Arguments.of(ServiceKind.LAMBDA_EVENT_SOURCES, "{\"functionArn\":\"f\",\"state\":\"Enabled\"}",
                        "field 'uuid' is missing"),
                Arguments.of(ServiceKind.RDS, "{}", "field 'status' is missing"),
                Arguments.of(ServiceKind.APIGATEWAY, "{\"apiType\":\"REST\",\"apiId\":\"a\",\"stageName\":\"prod\",\"overrides\":{}}",
                        "field 'stageDefault' is missing"),
                Arguments.of(ServiceKind.APIGATEWAY, "{\"apiType\":\"REST\",\"apiId\":\"a\",\"stageName\":\"prod\",\"stageDefault\":{},"
                        + "\"overrides\":{\"*/*\":{\"rateLimit\":\"fast\"}}}",
                        "field 'overrides.*/*.rateLimit' has the wrong type: expected a number"));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("refused")
    void aStoredObjectItsServiceNeverWritesIsRefusedNamingTheField(ServiceKind service, String stored, String why) throws Exception {
        Map<String, Object> read = Json.mapper().readValue(stored, LinkedHashMap.class);
        assertThatThrownBy(() -> OriginalState.read(service, read))
                .isInstanceOf(UnreadableOriginalStateException.class).hasMessage(why);
    }

    @Test
    void aPausedResourceHoldsOnlyItsServicesState() {
        assertThatThrownBy(() -> new PausedResource(ServiceKind.RDS, "us-east-1", "db", null, null,
                new OriginalState.Ec2Instance("running", "t3.micro")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rds");
    }
}
