package dev.awshitbreaks.services.stillbilling;

import java.util.Arrays;
import java.util.Optional;

/**
 * A kind of resource that bills by the hour (or by the GB-month) and cannot be paused without deleting it. Each
 * {@link StillBilling} row is of one kind; the burn rate adds still-billing rows up by kind.
 */
public enum StillBillingKind {
    /** EBS volumes, attached or not: per GB-month by volume type, plus provisioned IOPS and throughput. */
    EBS_VOLUME("ebs-volume", "EBS volume"),
    /** Elastic IP addresses and other public IPv4 addresses that are not an instance's own (which a stop releases). */
    PUBLIC_IPV4("public-ipv4", "public IPv4 address"),
    /** NAT gateways: per hour while they exist (data processed is extra and usage-based). */
    NAT_GATEWAY("nat-gateway", "NAT gateway"),
    /** Application, network, gateway and classic load balancers: per hour, plus capacity units (usage-based). */
    LOAD_BALANCER("load-balancer", "load balancer"),
    /** EKS clusters' control planes: per cluster-hour. */
    EKS_CONTROL_PLANE("eks-control-plane", "EKS control plane"),
    /** ElastiCache node-based clusters and serverless caches. */
    ELASTICACHE("elasticache", "ElastiCache cache"),
    /** OpenSearch Service domains: instances and storage. */
    OPENSEARCH("opensearch", "OpenSearch domain"),
    /** Amazon MSK clusters: brokers and storage. */
    MSK("msk", "MSK cluster"),
    /** SageMaker real-time inference endpoints: their instances. */
    SAGEMAKER_ENDPOINT("sagemaker-endpoint", "SageMaker endpoint"),
    /** EMR clusters that are running or waiting. */
    EMR("emr", "EMR cluster"),
    /** Interface (and Gateway Load Balancer) VPC endpoints: per endpoint per Availability Zone per hour. */
    VPC_ENDPOINT("vpc-endpoint", "interface VPC endpoint"),
    /** Kinesis data streams in provisioned mode: per shard-hour. */
    KINESIS_SHARDS("kinesis-shards", "Kinesis provisioned stream"),
    /** The storage of RDS DB instances and Aurora clusters, which bills whether the database runs or is stopped. */
    DB_STORAGE("db-storage", "database storage");

    private final String id;
    private final String label;

    StillBillingKind(String id, String label) {
        this.id = id;
        this.label = label;
    }

    /** The kind's id, the first word of a still-billing row's {@code type}. */
    public String id() {
        return id;
    }

    /** What one resource of this kind is called in sentences ("NAT gateway"). */
    public String label() {
        return label;
    }

    public static Optional<StillBillingKind> fromId(String id) {
        return Arrays.stream(values()).filter(k -> k.id.equals(id)).findFirst();
    }

    /** The kind of a still-billing row from its {@code type} ("ebs-volume gp3 100 GiB": ebs-volume). */
    public static Optional<StillBillingKind> ofType(String type) {
        if (type == null) {
            return Optional.empty();
        }
        int space = type.indexOf(' ');
        return fromId(space < 0 ? type : type.substring(0, space));
    }
}
