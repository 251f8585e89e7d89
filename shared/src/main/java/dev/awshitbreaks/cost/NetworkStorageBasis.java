package dev.awshitbreaks.cost;

/**
 * Keys of the facts the network and storage still-billing listers record for their price
 * ({@code StillBilling.costBasis}, beside {@link CostBasis#STILL_BILLING_KIND}): only what the listing call returned.
 */
public final class NetworkStorageBasis {
    /** EBS: the volume type (gp2, gp3, io1, io2, st1, sc1, standard); RDS: the storage type (gp2, gp3, io1, io2, standard, aurora). */
    public static final String STORAGE_TYPE = "storageType";
    /** EBS and RDS: the provisioned size in GiB. */
    public static final String SIZE_GIB = "sizeGiB";
    /** EBS and RDS: the provisioned IOPS (absent when the volume or database has none set). */
    public static final String IOPS = "iops";
    /** EBS gp3 and RDS gp3: the provisioned throughput in MiB/s. */
    public static final String THROUGHPUT_MIBPS = "throughputMiBps";
    /** RDS: the engine (mysql, postgres, ...); Aurora and other clusters: their engine. */
    public static final String ENGINE = CostBasis.ENGINE;
    /** RDS: a Multi-AZ (instance) deployment, whose storage is billed twice. */
    public static final String MULTI_AZ = CostBasis.MULTI_AZ;
    /** RDS: true for a DB cluster (Aurora, Multi-AZ DB cluster, DocumentDB, Neptune), whose storage the API does not size. */
    public static final String DB_CLUSTER = "dbCluster";
    /** VPC endpoints: Interface or GatewayLoadBalancer, as EC2 names it. */
    public static final String ENDPOINT_TYPE = "endpointType";
    /** VPC endpoints: the number of Availability Zones (subnets) it is provisioned in. */
    public static final String AVAILABILITY_ZONES = "availabilityZones";
    /** Kinesis: the stream's capacity mode (PROVISIONED or ON_DEMAND). */
    public static final String STREAM_MODE = "streamMode";
    /** Kinesis: the provisioned stream's open shards (DescribeStreamSummary's OpenShardCount). */
    public static final String OPEN_SHARDS = "openShards";

    private NetworkStorageBasis() {
    }
}
