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
    /** API Gateway stages of REST, HTTP and WebSocket APIs, throttled to rate 0 and burst 0. */
    APIGATEWAY("apigateway", false);

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
