package dev.awshitbreaks.services;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.awshitbreaks.core.Json;
import dev.awshitbreaks.core.ServiceKind;
import dev.awshitbreaks.core.Shown;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a pause records of one resource before changing it, and all its resume needs to put it back: one record
 * type per service, so the compiler checks that a resume reads the fields its pause wrote.
 *
 * <p>Stored as the JSON object {@code original} of a snapshot record (DynamoDB item and S3 document), written and
 * read by the product's one {@link Json} mapper, without a type field: the record's {@code service} says which
 * type it is ({@link #typeOf}). The field names, order and JSON types are those the untyped maps of earlier
 * versions wrote (a null is left out, as it was), so snapshots stored by them still resume. Reading is strict: an
 * unknown field, a field of the wrong JSON type, or a missing field that the resume cannot do without (marked
 * required) is refused, naming the field ({@link #read}); fields only used to report drift may be absent.
 */
public sealed interface OriginalState {

    /** An EC2 instance: its state ({@code running} is the only one a resume starts) and its type (drift check). */
    record Ec2Instance(@JsonProperty(required = true) String state, String instanceType)
            implements OriginalState {
    }

    /** An RDS DB instance: status, class and engine (drift checks), and the resource id that tells a recreated one. */
    record RdsInstance(
            @JsonProperty(required = true) String status,
            String dbInstanceClass,
            String engine,
            String resourceId) implements OriginalState {
    }

    /** An Aurora (or Neptune, DocumentDB) cluster: status, engine and mode, and its cluster resource id. */
    record AuroraCluster(
            @JsonProperty(required = true) String status,
            String engine,
            String engineMode,
            String resourceId) implements OriginalState {
    }

    /**
     * An ECS service: its desired count and, when it has an Application Auto Scaling target ({@code scalableTarget}),
     * the target's MinCapacity, MaxCapacity and SuspendedState, which are absent otherwise.
     */
    record EcsService(
            @JsonProperty(required = true) Integer desiredCount,
            @JsonProperty(required = true) boolean scalableTarget,
            Integer minCapacity,
            Integer maxCapacity,
            Boolean dynamicScalingInSuspended,
            Boolean dynamicScalingOutSuspended,
            Boolean scheduledScalingSuspended) implements OriginalState {

        /** A service without a scalable target. */
        public static EcsService withoutTarget(Integer desiredCount) {
            return new EcsService(desiredCount, false, null, null, null, null, null);
        }

        /** A service with a scalable target of these capacities and suspended state. */
        public static EcsService withTarget(Integer desiredCount, ScalableTarget target) {
            return new EcsService(desiredCount, true, target.minCapacity(), target.maxCapacity(),
                    target.dynamicScalingInSuspended(), target.dynamicScalingOutSuspended(), target.scheduledScalingSuspended());
        }

        /** Its scalable target as recorded; empty when it had none. */
        public Optional<ScalableTarget> target() {
            return scalableTarget ? Optional.of(new ScalableTarget(minCapacity, maxCapacity,
                    Boolean.TRUE.equals(dynamicScalingInSuspended), Boolean.TRUE.equals(dynamicScalingOutSuspended),
                    Boolean.TRUE.equals(scheduledScalingSuspended))) : Optional.empty();
        }

        /** An ECS service's scalable target: MinCapacity, MaxCapacity and the three SuspendedState flags. */
        public record ScalableTarget(Integer minCapacity, Integer maxCapacity, boolean dynamicScalingInSuspended,
                boolean dynamicScalingOutSuspended, boolean scheduledScalingSuspended) {
        }
    }

    /** An EC2 Auto Scaling group: min, max and desired capacity, and the processes already suspended before the pause. */
    record AutoScalingGroup(
            @JsonProperty(required = true) Integer minSize,
            @JsonProperty(required = true) Integer maxSize,
            @JsonProperty(required = true) Integer desiredCapacity,
            @JsonProperty(required = true) List<String> suspendedProcesses) implements OriginalState {
        public AutoScalingGroup {
            suspendedProcesses = suspendedProcesses == null ? null : List.copyOf(suspendedProcesses);
        }
    }

    /** A Lambda provisioned concurrency configuration: the function, its qualifier and the concurrency requested. */
    record ProvisionedConcurrency(
            @JsonProperty(required = true) String functionName,
            @JsonProperty(required = true) String qualifier,
            @JsonProperty(required = true) Integer requestedProvisionedConcurrentExecutions) implements OriginalState {
    }

    /**
     * An EKS managed node group: its cluster and name (what UpdateNodegroupConfig is called with) and its scaling
     * configuration (minSize, maxSize, desiredSize), put back exactly on resume.
     */
    record EksNodegroup(
            @JsonProperty(required = true) String clusterName,
            @JsonProperty(required = true) String nodegroupName,
            @JsonProperty(required = true) Integer minSize,
            @JsonProperty(required = true) Integer maxSize,
            @JsonProperty(required = true) Integer desiredSize) implements OriginalState {
    }

    /**
     * A Redshift provisioned cluster: its status ({@code available} is the only one a resume resumes), and its node type
     * and number of nodes (drift checks and price).
     */
    record RedshiftCluster(
            @JsonProperty(required = true) String status,
            String nodeType,
            Integer numberOfNodes) implements OriginalState {
    }

    /** A SageMaker notebook instance: its status ({@code InService} is the only one a resume starts) and instance type. */
    record NotebookInstance(
            @JsonProperty(required = true) String status,
            String instanceType) implements OriginalState {
    }

    /**
     * An Auto Scaling group's warm pool, its whole configuration as DescribeAutoScalingGroups gives it: MinSize, PoolState,
     * MaxGroupPreparedCapacity (absent: none set, the pool sized by the group's max minus desired; a resume then puts -1,
     * which is how PutWarmPool removes a value) and InstanceReusePolicy's ReuseOnScaleIn (absent: no policy).
     */
    record WarmPool(
            @JsonProperty(required = true) Integer minSize,
            @JsonProperty(required = true) String poolState,
            Integer maxGroupPreparedCapacity,
            Boolean reuseOnScaleIn) implements OriginalState {
    }

    /**
     * A Spot Fleet request of type maintain: its target capacity, its On-Demand target capacity (absent: none) and its
     * ExcessCapacityTerminationPolicy (absent: AWS's default, which terminates), which the pause sets to default.
     */
    record SpotFleetRequest(
            @JsonProperty(required = true) Integer targetCapacity,
            Integer onDemandTargetCapacity,
            String excessCapacityTerminationPolicy) implements OriginalState {
    }

    /**
     * A Lambda function's reserved concurrency before it was throttled: {@code reserved} says whether it had one
     * (a resume deletes the throttle when it had none), {@code reservedConcurrentExecutions} its value when it had.
     */
    record LambdaFunctionConcurrency(
            @JsonProperty(required = true) String functionName,
            @JsonProperty(required = true) Boolean reserved,
            Integer reservedConcurrentExecutions) implements OriginalState {
    }

    /**
     * A Lambda event source mapping before it was disabled: its UUID (what a resume enables again), its function,
     * its source (absent for a self-managed Kafka source, which has no ARN) and its state then ({@code Enabled} or
     * {@code Enabling}).
     */
    record LambdaEventSourceMapping(
            @JsonProperty(required = true) String uuid,
            @JsonProperty(required = true) String functionArn,
            String eventSourceArn,
            @JsonProperty(required = true) String state) implements OriginalState {
    }

    /**
     * An API Gateway stage's throttling: {@code apiType} REST (apigateway), HTTP or WEBSOCKET (apigatewayv2), the API
     * and the stage; {@code stageDefault} the stage-wide setting (REST: the method setting {@code *}{@code /*}; HTTP and
     * WebSocket: DefaultRouteSettings), a null limit meaning the stage had none; {@code overrides} every method (REST,
     * key {@code resourcePath/httpMethod} as GetStage shows it) or route (route key) with its own throttling, as it was.
     * {@code accountDefault} is the account-level throttle of the region when the pause saw it (GetAccount), recorded
     * only for an HTTP or WebSocket stage without a stage-wide limit: AWS cannot take such a limit away again, so the
     * resume sets it to the account's own, which is what "none" meant.
     */
    record ApiGatewayStage(
            @JsonProperty(required = true) String apiType,
            @JsonProperty(required = true) String apiId,
            @JsonProperty(required = true) String stageName,
            @JsonProperty(required = true) Throttle stageDefault,
            @JsonProperty(required = true) Map<String, Throttle> overrides,
            Throttle accountDefault) implements OriginalState {
        public ApiGatewayStage {
            overrides = overrides == null ? null : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(overrides));
        }

        /** A throttling setting: requests per second and burst; a null one is not set. */
        public record Throttle(Double rateLimit, Integer burstLimit) {
            public static final Throttle NONE = new Throttle(null, null);
            /** What a pause sets: nothing gets through. */
            public static final Throttle STOPPED = new Throttle(0.0, 0);

            /** True when neither limit is set. */
            @com.fasterxml.jackson.annotation.JsonIgnore
            public boolean isNone() {
                return rateLimit == null && burstLimit == null;
            }

            /** True when both limits are 0. */
            @com.fasterxml.jackson.annotation.JsonIgnore
            public boolean isStopped() {
                return rateLimit != null && rateLimit == 0.0 && burstLimit != null && burstLimit == 0;
            }

            @Override
            public String toString() {
                return isNone() ? "none" : "rate " + rateLimit + " burst " + burstLimit;
            }
        }
    }

    /** The type of original state a service's pause records. */
    static Class<? extends OriginalState> typeOf(ServiceKind service) {
        return switch (service) {
            case EC2 -> Ec2Instance.class;
            case RDS -> RdsInstance.class;
            case AURORA -> AuroraCluster.class;
            case ECS -> EcsService.class;
            case AUTOSCALING -> AutoScalingGroup.class;
            case LAMBDA -> ProvisionedConcurrency.class;
            case EKS -> EksNodegroup.class;
            case REDSHIFT -> RedshiftCluster.class;
            case SAGEMAKER_NOTEBOOKS -> NotebookInstance.class;
            case WARM_POOLS -> WarmPool.class;
            case SPOT_FLEET -> SpotFleetRequest.class;
            case LAMBDA_THROTTLE -> LambdaFunctionConcurrency.class;
            case LAMBDA_EVENT_SOURCES -> LambdaEventSourceMapping.class;
            case APIGATEWAY -> ApiGatewayStage.class;
            case STILL_BILLING -> throw new IllegalArgumentException("nothing still billing is ever recorded");
        };
    }

    /** The JSON object stored for this state (field names and JSON types as the snapshot format has them). */
    static Map<String, Object> toStored(OriginalState state) {
        return Json.mapper().convertValue(state, new TypeReference<LinkedHashMap<String, Object>>() { });
    }

    /**
     * Reads the stored {@code original} object of a record of this service into its type.
     *
     * @throws UnreadableOriginalStateException naming the field that is unknown, missing or of the wrong type
     */
    static OriginalState read(ServiceKind service, Map<String, Object> stored) {
        if (stored == null) {
            throw new UnreadableOriginalStateException("it is missing");
        }
        try {
            return Json.mapper().treeToValue(Json.mapper().valueToTree(stored), typeOf(service));
        } catch (UnrecognizedPropertyException e) {
            throw new UnreadableOriginalStateException("field " + Shown.quote(Json.path(e)) + " is not a field of an "
                    + service.id() + " original state");
        } catch (MismatchedInputException e) {
            Matcher missing = Pattern.compile("Missing required creator property '([^']*)'")
                    .matcher(String.valueOf(e.getOriginalMessage()));
            throw new UnreadableOriginalStateException(missing.find()
                    ? "field " + Shown.quote(missing.group(1)) + " is missing"
                    : Json.wrongType(e));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            String m = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            throw new UnreadableOriginalStateException(Shown.plain(String.valueOf(m)));
        }
    }
}
