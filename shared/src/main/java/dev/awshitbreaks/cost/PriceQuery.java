package dev.awshitbreaks.cost;

import java.util.Objects;

/**
 * One price to look up: what is priced, where, and (for instances) the type and the database engine and
 * deployment. Every figure is on-demand, Linux, shared tenancy, in USD.
 *
 * @param type   EC2 instance type, or RDS/Aurora instance class; null for Fargate and Lambda rates
 * @param engine RDS/Aurora engine as the RDS API names it (mysql, postgres, aurora-mysql, ...); null otherwise
 * @param multiAz RDS: a Multi-AZ deployment (priced about twice a Single-AZ one)
 */
public record PriceQuery(Product product, String region, String type, String engine, boolean multiAz) {

    /** What a price is for, and its unit. */
    public enum Product {
        /** An EC2 instance, per hour. */
        EC2_INSTANCE,
        /** An RDS DB instance (not Aurora), per hour. */
        RDS_INSTANCE,
        /** An Aurora (or Neptune/DocumentDB-compatible) cluster instance, per hour. */
        AURORA_INSTANCE,
        /** Fargate (Linux/x86), per vCPU-hour. */
        FARGATE_VCPU_HOUR,
        /** Fargate (Linux/x86), per GB of memory per hour. */
        FARGATE_GB_HOUR,
        /** Lambda provisioned concurrency (x86), per GB-second configured. */
        LAMBDA_PROVISIONED_GB_SECOND,
        /** A Redshift provisioned node (on-demand), per node-hour. */
        REDSHIFT_NODE,
        /** A SageMaker notebook instance (on-demand), per instance-hour. */
        SAGEMAKER_NOTEBOOK_INSTANCE,
        // What still bills (services.stillbilling). A GB-month or IOPS-month price is per 730 hours.
        /** EBS storage, per GB-month; type: the volume type (gp2, gp3, io1, io2, st1, sc1, standard). */
        EBS_GB_MONTH,
        /** EBS provisioned IOPS, per IOPS-month; type: gp3 (above 3,000), io1, io2. */
        EBS_IOPS_MONTH,
        /** EBS gp3 provisioned throughput above 125 MiB/s, per MiB/s-month. */
        EBS_THROUGHPUT_MONTH,
        /** A public IPv4 address (Elastic IP or other, in use or idle), per hour. */
        PUBLIC_IPV4_HOUR,
        /** A NAT gateway, per hour (data processed is usage-based). */
        NAT_GATEWAY_HOUR,
        /** A load balancer, per hour; type: application, network, gateway, classic (capacity units are usage-based). */
        LOAD_BALANCER_HOUR,
        /** An EKS cluster's control plane, per hour; type: standard or extended (support). */
        EKS_CLUSTER_HOUR,
        /** An ElastiCache node, per node-hour; type: the node type (cache.t3.micro, ...). */
        ELASTICACHE_NODE,
        /** An OpenSearch Service instance, per instance-hour; type: the instance type (t3.small.search, ...). */
        OPENSEARCH_INSTANCE,
        /** OpenSearch Service EBS storage, per GB-month; type: the volume type. */
        OPENSEARCH_STORAGE_GB_MONTH,
        /** An MSK broker, per broker-hour; type: the broker type (kafka.m5.large, ...). */
        MSK_BROKER,
        /** MSK broker storage, per GB-month. */
        MSK_STORAGE_GB_MONTH,
        /** A SageMaker real-time inference instance, per instance-hour; type: ml.* instance type. */
        SAGEMAKER_HOSTING_INSTANCE,
        /** An interface VPC endpoint, per endpoint per Availability Zone per hour. */
        VPC_ENDPOINT_AZ_HOUR,
        /** A Kinesis data stream shard in provisioned mode, per shard-hour. */
        KINESIS_SHARD_HOUR,
        /** RDS storage, per GB-month; type: the storage type (gp2, gp3, io1, io2, standard); multiAz: Multi-AZ. */
        RDS_STORAGE_GB_MONTH,
        /** The EMR fee per instance-hour, on top of the instance's EC2 price; type: the instance type. */
        EMR_INSTANCE_FEE
    }

    public PriceQuery {
        Objects.requireNonNull(product, "product");
        Objects.requireNonNull(region, "region");
    }

    public static PriceQuery ec2(String region, String instanceType) {
        return new PriceQuery(Product.EC2_INSTANCE, region, instanceType, null, false);
    }

    public static PriceQuery rds(String region, String instanceClass, String engine, boolean multiAz) {
        return new PriceQuery(Product.RDS_INSTANCE, region, instanceClass, engine, multiAz);
    }

    public static PriceQuery aurora(String region, String instanceClass, String engine) {
        return new PriceQuery(Product.AURORA_INSTANCE, region, instanceClass, engine, false);
    }

    public static PriceQuery redshiftNode(String region, String nodeType) {
        return new PriceQuery(Product.REDSHIFT_NODE, region, nodeType, null, false);
    }

    public static PriceQuery sageMakerNotebook(String region, String instanceType) {
        return new PriceQuery(Product.SAGEMAKER_NOTEBOOK_INSTANCE, region, instanceType, null, false);
    }

    /** A price by product and type alone (the still-billing products): a volume type, a node type, a load balancer type. */
    public static PriceQuery typed(Product product, String region, String type) {
        return new PriceQuery(product, region, type, null, false);
    }

    public static PriceQuery rate(Product product, String region) {
        return new PriceQuery(product, region, null, null, false);
    }

    /** A short description for reasons: "db.t3.micro postgres Multi-AZ in eu-west-1". */
    public String describe() {
        StringBuilder sb = new StringBuilder(product.name().toLowerCase(java.util.Locale.ROOT));
        if (type != null) {
            sb.append(' ').append(type);
        }
        if (engine != null) {
            sb.append(' ').append(engine);
        }
        if (multiAz) {
            sb.append(" Multi-AZ");
        }
        return sb.append(" in ").append(region).toString();
    }
}
