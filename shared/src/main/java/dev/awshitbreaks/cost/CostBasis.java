package dev.awshitbreaks.cost;

/**
 * Keys of the facts discovery records about a resource so it can be priced ({@code Discovered.costBasis}).
 * Only what the service's describe call already returned; nothing here is restored on resume.
 */
public final class CostBasis {
    /** EC2: the instance type. */
    public static final String INSTANCE_TYPE = "instanceType";
    /** RDS: the DB instance class. */
    public static final String DB_INSTANCE_CLASS = "dbInstanceClass";
    /** RDS and Aurora: the engine as the RDS API names it. */
    public static final String ENGINE = "engine";
    /** RDS: true for a Multi-AZ instance; Redshift: true for a Multi-AZ cluster. */
    public static final String MULTI_AZ = "multiAz";
    /** Aurora: the instance classes of the cluster's members (a list, one entry per instance). */
    public static final String MEMBER_CLASSES = "memberClasses";
    /** ECS: FARGATE, EC2, EXTERNAL, or the capacity providers joined with '+'. */
    public static final String LAUNCH_TYPE = "launchType";
    /** ECS: the task definition's CPU units (1024 = 1 vCPU), as a string as ECS gives it. */
    public static final String TASK_CPU = "taskCpu";
    /** ECS: the task definition's memory in MiB, as a string as ECS gives it. */
    public static final String TASK_MEMORY = "taskMemory";
    /** ECS: the service's desired task count. */
    public static final String DESIRED_COUNT = "desiredCount";
    /**
     * Auto Scaling: the instance types of the group's instances (a list, one entry per instance); warm pools: those of
     * its instances in Warmed:Running.
     */
    public static final String INSTANCE_TYPES = "instanceTypes";
    /** Lambda: the function version's memory in MB. */
    public static final String MEMORY_MB = "memoryMb";
    /** Lambda: the provisioned concurrency requested. */
    public static final String CONCURRENCY = "concurrency";
    /** Redshift: the cluster's node type; ElastiCache (still billing): the cache node type. */
    public static final String NODE_TYPE = "nodeType";
    /** Redshift: the cluster's number of nodes; ElastiCache (still billing): the cluster's NumCacheNodes. */
    public static final String NUMBER_OF_NODES = "numberOfNodes";
    /** Still billing: a load balancer's type (application, network, gateway, classic). */
    public static final String LOAD_BALANCER_TYPE = "loadBalancerType";
    /** Still billing: true for an ElastiCache Serverless cache (billed by data stored and ECPUs, not by the hour). */
    public static final String SERVERLESS = "serverless";
    /** SageMaker notebook instances: the notebook instance type (ml.t3.medium, ...). */
    public static final String NOTEBOOK_INSTANCE_TYPE = "notebookInstanceType";

    /** EKS: the node group's instance types, in its order (a list; empty when its launch template sets the type). */
    public static final String NODE_INSTANCE_TYPES = "nodeInstanceTypes";
    /** EKS: the node group's capacity type (ON_DEMAND, SPOT, CAPACITY_BLOCK). */
    public static final String CAPACITY_TYPE = "capacityType";
    /** EKS: the node group's desired size. */
    public static final String DESIRED_SIZE = "desiredSize";

    private CostBasis() {
    }

    /** Still billing: the row's {@link dev.awshitbreaks.services.stillbilling.StillBillingKind} id. */
    public static final String STILL_BILLING_KIND = "stillBillingKind";
    /** Still billing: present (true) on the one row a lister that failed gives instead of its resources. */
    public static final String LISTING_FAILED = "listingFailed";
}
