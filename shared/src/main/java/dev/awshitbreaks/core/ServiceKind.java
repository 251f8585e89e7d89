package dev.awshitbreaks.core;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.stream.Collectors;

/** A kind of cost-generating resource the brake knows how to pause and resume. */
public enum ServiceKind {
    /** EC2 instances. */
    EC2("ec2", false),
    /** RDS DB instances that are not cluster members. */
    RDS("rds", true),
    /** Aurora, Neptune and DocumentDB clusters (the RDS cluster API). */
    AURORA("aurora", true),
    /** ECS services, with their Application Auto Scaling targets. */
    ECS("ecs", false),
    /** EC2 Auto Scaling groups. */
    AUTOSCALING("autoscaling", false),
    /** Lambda provisioned concurrency configurations. */
    LAMBDA("lambda", false),
    /** EKS managed node groups (their scaling configuration; their Auto Scaling groups are left to EKS). */
    EKS("eks", false),
    /** Amazon Redshift provisioned clusters (paused and resumed; a database, so paused last and resumed first). */
    REDSHIFT("redshift", true),
    /** Amazon SageMaker notebook instances (stopped and started). */
    SAGEMAKER_NOTEBOOKS("sagemaker-notebooks", false),
    /** EC2 Auto Scaling warm pools with instances warm and running. */
    WARM_POOLS("warm-pools", false),
    /** Spot Fleet requests of type maintain with a target capacity above 0. */
    SPOT_FLEET("spot-fleet", false),
    /**
     * Lambda functions throttled with reserved concurrency 0. Paused last and resumed first, with the databases:
     * AWS refuses provisioned concurrency above a function's reserved concurrency, so a throttle waits until the
     * {@link #LAMBDA} kind has removed the provisioned concurrency, and is lifted before it is put back.
     */
    LAMBDA_THROTTLE("lambda-throttle", true),
    /** Lambda event source mappings (SQS, Kinesis, DynamoDB Streams, Kafka, MQ, DocumentDB), disabled. */
    LAMBDA_EVENT_SOURCES("lambda-event-sources", false),
    /** API Gateway stages of REST, HTTP and WebSocket APIs, throttled to rate 0 and burst 0. */
    APIGATEWAY("apigateway", false),
    /**
     * What still bills after a pause and cannot be paused without deleting it (EBS volumes, public IPv4 addresses, NAT
     * gateways, load balancers, ...): listed and priced, never changed ({@code services.stillbilling}). Runs beside
     * the compute on a pause or discover; a resume has nothing of it to do.
     */
    STILL_BILLING("still-billing", false);

    private final String id;
    private final boolean database;

    ServiceKind(String id, boolean database) {
        this.id = id;
        this.database = database;
    }

    @JsonValue
    public String id() {
        return id;
    }

    /** True for {@link #STILL_BILLING}: its resources are only read, never paused, recorded or resumed. */
    public boolean readOnly() {
        return this == STILL_BILLING;
    }

    /** Databases are paused last and resumed first. */
    public boolean database() {
        return database;
    }

    @JsonCreator
    public static ServiceKind fromId(String id) {
        for (ServiceKind s : values()) {
            if (s.id.equals(id)) {
                return s;
            }
        }
        throw new InvalidRequestException("unknown service " + Shown.quote(id) + ": expected one of " + knownIds());
    }

    public static String knownIds() {
        return Arrays.stream(values()).map(ServiceKind::id).collect(Collectors.joining(", "));
    }
}
