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
        SAGEMAKER_NOTEBOOK_INSTANCE
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
