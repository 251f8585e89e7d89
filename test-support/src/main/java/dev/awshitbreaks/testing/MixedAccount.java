package dev.awshitbreaks.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.applicationautoscaling.ApplicationAutoScalingClient;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalableDimension;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalableTarget;
import software.amazon.awssdk.services.applicationautoscaling.model.ServiceNamespace;
import software.amazon.awssdk.services.applicationautoscaling.model.SuspendedState;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.SuspendedProcess;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceType;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.LaunchType;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.eks.model.Nodegroup;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.redshift.RedshiftClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.lambda.model.EventSourcePosition;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.lambda.model.ProvisionedConcurrencyConfigNotFoundException;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBCluster;
import software.amazon.awssdk.services.rds.model.DBInstance;

/**
 * Seeds an account with every kind of resource the brake handles, through the real SDK, and reads back
 * everything the brake must restore as one comparable value ({@link #observe}). It never runs product code.
 *
 * <p><strong>Endpoint.</strong> Give it one endpoint for every service. For Lambda provisioned concurrency
 * that must be a {@link ProvisionedConcurrencyStub}'s (moto 5.2.5 lacks that API; the stub forwards every
 * other request to moto, so EC2, RDS, ECS, Application Auto Scaling, Auto Scaling, IAM and the rest of
 * Lambda are moto's own). Against plain moto everything but
 * {@link #lambdaFunctionWithProvisionedConcurrency} works, and {@link #observe} reads a Lambda entry as
 * {@code pc=unavailable}.
 *
 * <p><strong>What {@link #observe} covers: only the resources created through this instance</strong>, in the
 * regions asked for, not everything in those regions. Deliberately: the instances an Auto Scaling group
 * launches (and relaunches on resume, with new ids), moto's default resources and anything a test adds on
 * the side would otherwise make two observations of a correctly restored account differ. A created resource
 * that no longer exists is observed as {@code absent}, so a deletion is never missed.
 *
 * <p>Ids are exactly those the engine reports: EC2 instance id, DB instance identifier, DB cluster
 * identifier, ECS {@code <cluster>/<service>}, Auto Scaling group name, Lambda {@code <function>:<qualifier>},
 * EKS {@code <cluster>/<node group>}.
 * Observation keys are {@code <service>:<region>:<id>} with the engine's service ids (ec2, rds, aurora, ecs,
 * autoscaling, lambda, eks, redshift, sagemaker-notebooks); a Redshift cluster's id is its identifier, a SageMaker notebook
 * instance's its name.
 * autoscaling, lambda, lambda-throttle: the function name, lambda-event-sources: the mapping's UUID).
 */
public final class MixedAccount implements AutoCloseable {
    public static final String EC2 = "ec2";
    public static final String RDS = "rds";
    public static final String AURORA = "aurora";
    public static final String ECS = "ecs";
    public static final String AUTOSCALING = "autoscaling";
    public static final String LAMBDA = "lambda";
    public static final String EKS = "eks";
    public static final String REDSHIFT = "redshift";
    public static final String SAGEMAKER_NOTEBOOKS = "sagemaker-notebooks";
    public static final String WARM_POOLS = "warm-pools";
    public static final String SPOT_FLEET = "spot-fleet";
    /** Lambda functions' reserved concurrency (issue #16's lambda-throttle). */
    public static final String LAMBDA_THROTTLE = "lambda-throttle";
    /** Lambda event source mappings (issue #16's lambda-event-sources). */
    public static final String LAMBDA_EVENT_SOURCES = "lambda-event-sources";
    public static final String APIGATEWAY = "apigateway";

    public static final String PASSWORD = "correct-horse-battery";
    public static final String ROLE_NAME = "hit-breaks-mixed-account-lambda";
    /** The ECS task definition family every seeded service runs. */
    public static final String TASK_FAMILY = "app";

    /** An ECS service's Application Auto Scaling target (ecs:service:DesiredCount) as seeded. */
    public record ScalableTargetSpec(int min, int max, boolean scaleInSuspended, boolean scaleOutSuspended,
            boolean scheduledSuspended) {
        public static ScalableTargetSpec of(int min, int max) {
            return new ScalableTargetSpec(min, max, false, false, false);
        }
    }

    /** One resource created through this instance. */
    public record Created(String service, String region, String id) {
        public String key() {
            return service + ":" + region + ":" + id;
        }
    }


    private final URI endpoint;
    private final Map<String, SdkClient> clients = new ConcurrentHashMap<>();
    private final Set<Created> created = java.util.Collections.synchronizedSet(new LinkedHashSet<>());
    private volatile String role;

    public MixedAccount(URI endpoint) {
        this.endpoint = endpoint;
    }

    public URI endpoint() {
        return endpoint;
    }

    /** Every resource created through this instance, in creation order. */
    public List<Created> created() {
        synchronized (created) {
            return List.copyOf(created);
        }
    }

    // ---------------------------------------------------------------- clients (cached per region, closed by close())

    public Ec2Client ec2(String region) {
        return client("ec2", region, Ec2Client.builder(), Ec2Client.class);
    }

    public RdsClient rds(String region) {
        return client("rds", region, RdsClient.builder(), RdsClient.class);
    }

    public EcsClient ecs(String region) {
        return client("ecs", region, EcsClient.builder(), EcsClient.class);
    }

    public ApplicationAutoScalingClient applicationAutoScaling(String region) {
        return client("aas", region, ApplicationAutoScalingClient.builder(), ApplicationAutoScalingClient.class);
    }

    public AutoScalingClient autoScaling(String region) {
        return client("asg", region, AutoScalingClient.builder(), AutoScalingClient.class);
    }

    public LambdaClient lambda(String region) {
        return client("lambda", region, LambdaClient.builder(), LambdaClient.class);
    }

    public EksClient eks(String region) {
        return client("eks", region, EksClient.builder(), EksClient.class);
    }

    public RedshiftClient redshift(String region) {
        return client("redshift", region, RedshiftClient.builder(), RedshiftClient.class);
    }

    public SqsClient sqs(String region) {
        return client("sqs", region, SqsClient.builder(), SqsClient.class);
    }

    /** Kinesis, speaking JSON (moto has no CBOR). */
    public KinesisClient kinesis(String region) {
        System.setProperty("aws.cborEnabled", "false");
        return client("kinesis", region, KinesisClient.builder(), KinesisClient.class);
    }

    public software.amazon.awssdk.services.apigateway.ApiGatewayClient apiGateway(String region) {
        return client("apigateway", region, software.amazon.awssdk.services.apigateway.ApiGatewayClient.builder(),
                software.amazon.awssdk.services.apigateway.ApiGatewayClient.class);
    }

    public software.amazon.awssdk.services.apigatewayv2.ApiGatewayV2Client apiGatewayV2(String region) {
        return client("apigatewayv2", region, software.amazon.awssdk.services.apigatewayv2.ApiGatewayV2Client.builder(),
                software.amazon.awssdk.services.apigatewayv2.ApiGatewayV2Client.class);
    }

    private <C extends SdkClient, B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>> C client(
            String service, String region, B builder, Class<C> type) {
        return type.cast(clients.computeIfAbsent(service + "@" + region, k -> builder.region(Region.of(region))
                .endpointOverride(endpoint).credentialsProvider(MotoAccount.CREDENTIALS)
                .httpClient(UrlConnectionHttpClient.create()).build()));
    }

    @Override
    public void close() {
        clients.values().forEach(SdkClient::close);
        clients.clear();
    }

    // ---------------------------------------------------------------- seeding

    /** One EC2 instance from a moto x86_64 EBS AMI, running or (launched then) stopped; returns its id. */
    public String ec2Instance(String region, String type, boolean running, Map<String, String> tags) {
        Ec2Client ec2 = ec2(region);
        String id = ec2.runInstances(b -> {
            b.imageId(ami(region)).instanceType(InstanceType.fromValue(type)).minCount(1).maxCount(1);
            if (!tags.isEmpty()) {
                b.tagSpecifications(t -> t.resourceType(ResourceType.INSTANCE).tags(tags.entrySet().stream()
                        .map(e -> software.amazon.awssdk.services.ec2.model.Tag.builder().key(e.getKey()).value(e.getValue())
                                .build()).toList()));
            }
        }).instances().get(0).instanceId();
        if (!running) {
            ec2.stopInstances(b -> b.instanceIds(id));
        }
        return track(EC2, region, id);
    }

    private String ami(String region) {
        return MotoAccount.defaultAmi(ec2(region), region);
    }

    /** A standalone RDS DB instance (postgres, db.t3.micro), available or stopped; returns its identifier. */
    public String rdsInstance(String region, String id, boolean running, Map<String, String> tags) {
        RdsClient rds = rds(region);
        rds.createDBInstance(b -> b.dbInstanceIdentifier(id).engine("postgres").dbInstanceClass("db.t3.micro")
                .allocatedStorage(20).masterUsername("admin").masterUserPassword(PASSWORD).tags(rdsTags(tags)));
        if (!running) {
            rds.stopDBInstance(b -> b.dbInstanceIdentifier(id));
        }
        return track(RDS, region, id);
    }

    /** A provisioned Aurora PostgreSQL cluster without member instances, available or stopped; returns its identifier. */
    public String auroraCluster(String region, String id, boolean running, Map<String, String> tags) {
        RdsClient rds = rds(region);
        rds.createDBCluster(b -> b.dbClusterIdentifier(id).engine("aurora-postgresql").masterUsername("admin")
                .masterUserPassword(PASSWORD).tags(rdsTags(tags)));
        if (!running) {
            rds.stopDBCluster(b -> b.dbClusterIdentifier(id));
        }
        return track(AURORA, region, id);
    }

    private static List<software.amazon.awssdk.services.rds.model.Tag> rdsTags(Map<String, String> tags) {
        return tags.entrySet().stream().map(e -> software.amazon.awssdk.services.rds.model.Tag.builder().key(e.getKey())
                .value(e.getValue()).build()).toList();
    }

    /**
     * A FARGATE ECS service (its cluster and the {@value #TASK_FAMILY} task definition created when missing), with an
     * Application Auto Scaling target when asked; returns {@code <cluster>/<service>}.
     */
    public String ecsService(String region, String cluster, String name, int desiredCount, Optional<ScalableTargetSpec> target,
            Map<String, String> tags) {
        EcsClient ecs = ecs(region);
        if (ecs.describeClusters(b -> b.clusters(cluster)).clusters().stream().noneMatch(c -> "ACTIVE".equals(c.status()))) {
            ecs.createCluster(b -> b.clusterName(cluster));
        }
        if (ecs.listTaskDefinitions(b -> b.familyPrefix(TASK_FAMILY)).taskDefinitionArns().isEmpty()) {
            ecs.registerTaskDefinition(b -> b.family(TASK_FAMILY).requiresCompatibilitiesWithStrings("FARGATE").cpu("256")
                    .memory("512").networkMode("awsvpc").containerDefinitions(c -> c.name("app").image("nginx").essential(true)));
        }
        ecs.createService(b -> b.cluster(cluster).serviceName(name).taskDefinition(TASK_FAMILY).desiredCount(desiredCount)
                .launchType(LaunchType.FARGATE).tags(tags.entrySet().stream().map(e -> software.amazon.awssdk.services.ecs.model.Tag
                        .builder().key(e.getKey()).value(e.getValue()).build()).toList()));
        String id = cluster + "/" + name;
        target.ifPresent(t -> applicationAutoScaling(region).registerScalableTarget(b -> b.serviceNamespace(ServiceNamespace.ECS)
                .resourceId("service/" + id).scalableDimension(ScalableDimension.ECS_SERVICE_DESIRED_COUNT)
                .minCapacity(t.min()).maxCapacity(t.max()).suspendedState(SuspendedState.builder()
                        .dynamicScalingInSuspended(t.scaleInSuspended()).dynamicScalingOutSuspended(t.scaleOutSuspended())
                        .scheduledScalingSuspended(t.scheduledSuspended()).build())));
        return track(ECS, region, id);
    }

    /**
     * An Auto Scaling group from a launch template ({@code lt-<region>}, t3.micro, created when missing) in the
     * region's zone a, with these processes suspended after creation; returns its name.
     */
    public String autoScalingGroup(String region, String name, int min, int max, int desired,
            Collection<String> alreadySuspendedProcesses, Map<String, String> tags) {
        autoScalingGroupUntracked(region, name, min, max, desired, tags);
        if (!alreadySuspendedProcesses.isEmpty()) {
            autoScaling(region).suspendProcesses(b -> b.autoScalingGroupName(name).scalingProcesses(alreadySuspendedProcesses));
        }
        return track(AUTOSCALING, region, name);
    }

    private void autoScalingGroupUntracked(String region, String name, int min, int max, int desired, Map<String, String> tags) {
        String template = "lt-" + region;
        Ec2Client ec2 = ec2(region);
        if (ec2.describeLaunchTemplates().launchTemplates().stream().noneMatch(t -> template.equals(t.launchTemplateName()))) {
            String ami = ami(region);
            ec2.createLaunchTemplate(b -> b.launchTemplateName(template).launchTemplateData(d -> d.imageId(ami)
                    .instanceType(InstanceType.T3_MICRO)));
        }
        AutoScalingClient asg = autoScaling(region);
        asg.createAutoScalingGroup(b -> b.autoScalingGroupName(name)
                .launchTemplate(lt -> lt.launchTemplateName(template).version("$Latest"))
                .minSize(min).maxSize(max).desiredCapacity(desired).availabilityZones(region + "a")
                .tags(tags.entrySet().stream().map(e -> software.amazon.awssdk.services.autoscaling.model.Tag.builder()
                        .key(e.getKey()).value(e.getValue()).propagateAtLaunch(false).resourceId(name)
                        .resourceType("auto-scaling-group").build()).toList()));
    }

    /**
     * A Lambda function (python3.12, version 1 published) with provisioned concurrency {@code count} on
     * {@code qualifier}: a version number names a version (only "1" exists), anything else is created as an
     * alias of version 1. Needs the endpoint of a {@link ProvisionedConcurrencyStub}. Returns
     * {@code <function>:<qualifier>}.
     */
    public String lambdaFunctionWithProvisionedConcurrency(String region, String name, String qualifier, int count,
            Map<String, String> tags) {
        LambdaClient lambda = lambda(region);
        String roleArn = role();
        lambda.createFunction(b -> b.functionName(name).runtime("python3.12").handler("index.handler").role(roleArn)
                .code(c -> c.zipFile(SdkBytes.fromByteArray(zip()))).publish(true).tags(tags));
        if (!qualifier.chars().allMatch(Character::isDigit)) {
            lambda.createAlias(b -> b.functionName(name).name(qualifier).functionVersion("1"));
        }
        lambda.putProvisionedConcurrencyConfig(b -> b.functionName(name).qualifier(qualifier).provisionedConcurrentExecutions(count));
        return track(LAMBDA, region, name + ":" + qualifier);
    }

    /**
     * An EKS managed node group (its cluster created when missing) with this scaling configuration, instance types
     * and capacity type; returns {@code <cluster>/<node group>}. moto holds the scaling configuration (and
     * UpdateNodegroupConfig's changes to it) but creates no Auto Scaling group or instances, and every node group
     * it has is ACTIVE.
     */
    public String eksNodegroup(String region, String cluster, String name, int min, int max, int desired,
            List<String> instanceTypes, String capacityType, Map<String, String> tags) {
        EksClient eks = eks(region);
        if (!eks.listClustersPaginator().clusters().stream().toList().contains(cluster)) {
            eks.createCluster(b -> b.name(cluster).roleArn("arn:aws:iam::123456789012:role/eks-cluster")
                    .resourcesVpcConfig(v -> v.subnetIds("subnet-" + region + "a")));
        }
        eks.createNodegroup(b -> b.clusterName(cluster).nodegroupName(name).nodeRole("arn:aws:iam::123456789012:role/eks-node")
                .subnets("subnet-" + region + "a").instanceTypes(instanceTypes).capacityType(capacityType)
                .scalingConfig(c -> c.minSize(min).maxSize(max).desiredSize(desired)).tags(tags));
        return track(EKS, region, cluster + "/" + name);
    }

    /** A single-node dc2.large Redshift provisioned cluster, available or paused; returns its identifier. */
    public String redshiftCluster(String region, String id, boolean running, Map<String, String> tags) {
        RedshiftClient redshift = redshift(region);
        redshift.createCluster(b -> b.clusterIdentifier(id).nodeType("dc2.large").clusterType("single-node")
                .masterUsername("admin").masterUserPassword("Correct-horse-1").tags(tags.entrySet().stream()
                        .map(e -> software.amazon.awssdk.services.redshift.model.Tag.builder().key(e.getKey()).value(e.getValue())
                                .build()).toList()));
        if (!running) {
            redshift.pauseCluster(b -> b.clusterIdentifier(id));
        }
        return track(REDSHIFT, region, id);
    }

    /** An ml.t3.medium SageMaker notebook instance, InService or Stopped; returns its name. */
    public String notebookInstance(String region, String name, boolean running, Map<String, String> tags) {
        StringBuilder tagList = new StringBuilder();
        tags.forEach((k, v) -> tagList.append(tagList.length() == 0 ? "" : ",").append("{\"Key\":").append(jsonString(k))
                .append(",\"Value\":").append(jsonString(v)).append('}'));
        sageMaker(region, "CreateNotebookInstance", "{\"NotebookInstanceName\":" + jsonString(name)
                + ",\"InstanceType\":\"ml.t3.medium\",\"RoleArn\":\"arn:aws:iam::123456789012:role/notebook\",\"Tags\":["
                + tagList + "]}");
        if (!running) {
            sageMaker(region, "StopNotebookInstance", "{\"NotebookInstanceName\":" + jsonString(name) + "}");
        }
        return track(SAGEMAKER_NOTEBOOKS, region, name);
    }

    /**
     * An Auto Scaling group {@code group} (launch template {@code lt-<region>}, min 0, max 4, desired 0: not itself
     * paused by the autoscaling kind, and not tracked as one) with a warm pool of this configuration
     * ({@code maxGroupPreparedCapacity} null: none set; {@code reuseOnScaleIn} null: no InstanceReusePolicy); returns the
     * group's name, the id the warm-pools kind reports.
     */
    public String warmPool(String region, String group, int minSize, Integer maxGroupPreparedCapacity, String poolState,
            Boolean reuseOnScaleIn, Map<String, String> tags) {
        autoScalingGroupUntracked(region, group, 0, 4, 0, tags);
        software.amazon.awssdk.services.autoscaling.model.PutWarmPoolRequest.Builder b =
                software.amazon.awssdk.services.autoscaling.model.PutWarmPoolRequest.builder().autoScalingGroupName(group)
                        .minSize(minSize).poolState(poolState).maxGroupPreparedCapacity(maxGroupPreparedCapacity);
        if (reuseOnScaleIn != null) {
            b.instanceReusePolicy(p -> p.reuseOnScaleIn(reuseOnScaleIn));
        }
        autoScaling(region).putWarmPool(b.build());
        return track(WARM_POOLS, region, group);
    }

    /**
     * A Spot Fleet request of type maintain for {@code targetCapacity} t3.micro instances, tagged {@code tags}; its
     * instances get the tag {@code aws:ec2spot:fleet-request-id} AWS puts on a fleet's instances (moto 5.2.5 does
     * not), so the ec2 kind leaves them to their fleet as it does in AWS. Returns the request id.
     */
    public String spotFleet(String region, int targetCapacity, Map<String, String> tags) {
        Ec2Client ec2 = ec2(region);
        String ami = ami(region);
        List<software.amazon.awssdk.services.ec2.model.Tag> t = tags.entrySet().stream()
                .map(e -> software.amazon.awssdk.services.ec2.model.Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList();
        String id = ec2.requestSpotFleet(b -> b.spotFleetRequestConfig(c -> {
            c.iamFleetRole("arn:aws:iam::123456789012:role/aws-ec2-spot-fleet-tagging-role").allocationStrategy("lowestPrice")
                    .targetCapacity(targetCapacity).type("maintain")
                    .launchSpecifications(l -> l.imageId(ami).instanceType(InstanceType.T3_MICRO));
            if (!t.isEmpty()) {
                c.tagSpecifications(s -> s.resourceType(software.amazon.awssdk.services.ec2.model.ResourceType.SPOT_FLEET_REQUEST).tags(t));
            }
        })).spotFleetRequestId();
        List<String> instances = ec2.describeSpotFleetInstances(b -> b.spotFleetRequestId(id)).activeInstances().stream()
                .map(software.amazon.awssdk.services.ec2.model.ActiveInstance::instanceId).toList();
        if (!instances.isEmpty()) {
            ec2.createTags(b -> b.resources(instances).tags(x -> x.key("aws:ec2spot:fleet-request-id").value(id)));
        }
        return track(SPOT_FLEET, region, id);
    }

    /**
     * A Lambda function (python3.12) with reserved concurrency {@code reserved} (none when null), observed as
     * {@value #LAMBDA_THROTTLE}. Returns its name.
     */
    public String lambdaFunction(String region, String name, Integer reserved, Map<String, String> tags) {
        LambdaClient lambda = lambda(region);
        String roleArn = role();
        lambda.createFunction(b -> b.functionName(name).runtime("python3.12").handler("index.handler").role(roleArn)
                .code(c -> c.zipFile(SdkBytes.fromByteArray(zip()))).tags(tags));
        if (reserved != null) {
            lambda.putFunctionConcurrency(b -> b.functionName(name).reservedConcurrentExecutions(reserved));
        }
        return track(LAMBDA_THROTTLE, region, name);
    }

    /** Also observes this function's reserved concurrency ({@value #LAMBDA_THROTTLE}), e.g. one seeded with provisioned concurrency. */
    public String observeReservedConcurrency(String region, String function) {
        return track(LAMBDA_THROTTLE, region, function);
    }

    /**
     * An SQS queue {@code <name>-q} (MessageRetentionPeriod {@code retentionSeconds}) feeding a new function {@code name}
     * (no reserved concurrency; tagged {@code functionTags}, observed as {@value #LAMBDA_THROTTLE}) through an event
     * source mapping, enabled or not, tagged {@code mappingTags}. Returns the mapping's UUID.
     */
    public String lambdaEventSourceMapping(String region, String name, int retentionSeconds, boolean enabled,
            Map<String, String> functionTags, Map<String, String> mappingTags) {
        lambdaFunction(region, name, null, functionTags);
        SqsClient sqs = sqs(region);
        String url = sqs.createQueue(b -> b.queueName(name + "-q").attributes(Map.of(
                QueueAttributeName.MESSAGE_RETENTION_PERIOD, Integer.toString(retentionSeconds)))).queueUrl();
        String queueArn = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        String uuid = lambda(region).createEventSourceMapping(b -> b.functionName(name).eventSourceArn(queueArn)
                .enabled(enabled).tags(mappingTags)).uuid();
        return track(LAMBDA_EVENT_SOURCES, region, uuid);
    }

    /**
     * A Kinesis stream {@code <name>-s} (one shard, {@code retentionHours} of retention) feeding a new function
     * {@code name} (observed as {@value #LAMBDA_THROTTLE}) through an enabled event source mapping. Returns its UUID.
     */
    public String lambdaKinesisEventSourceMapping(String region, String name, int retentionHours, Map<String, String> functionTags) {
        lambdaFunction(region, name, null, functionTags);
        KinesisClient kinesis = kinesis(region);
        kinesis.createStream(b -> b.streamName(name + "-s").shardCount(1));
        if (retentionHours != 24) {
            kinesis.increaseStreamRetentionPeriod(b -> b.streamName(name + "-s").retentionPeriodHours(retentionHours));
        }
        String streamArn = kinesis.describeStreamSummary(b -> b.streamName(name + "-s")).streamDescriptionSummary().streamARN();
        String uuid = lambda(region).createEventSourceMapping(b -> b.functionName(name).eventSourceArn(streamArn)
                .startingPosition(EventSourcePosition.LATEST)).uuid();
        return track(LAMBDA_EVENT_SOURCES, region, uuid);
    }

    private String track(String service, String region, String id) {
        created.add(new Created(service, region, id));
        return id;
    }

    /**
     * A REST API (one GET method on its root, a MOCK integration), deployed to a stage with no method settings, so no
     * throttling of its own: what a pause must throttle and a resume must give back as "none". Returns the engine's id,
     * {@code <apiId>/<stageName>}. (Throttling a REST stage takes UpdateStage, a PATCH, which this class's
     * url-connection clients cannot send; the engine's tests seed it through the product's own clients.)
     */
    public String restApiStage(String region, String name, String stageName, Map<String, String> tags) {
        var rest = apiGateway(region);
        String api = rest.createRestApi(b -> b.name(name)).id();
        String root = rest.getResources(b -> b.restApiId(api)).items().get(0).id();
        rest.putMethod(b -> b.restApiId(api).resourceId(root).httpMethod("GET").authorizationType("NONE"));
        rest.putIntegration(b -> b.restApiId(api).resourceId(root).httpMethod("GET").type("MOCK"));
        String deployment = rest.createDeployment(b -> b.restApiId(api)).id();
        rest.createStage(b -> b.restApiId(api).stageName(stageName).deploymentId(deployment).tags(tags));
        return track(APIGATEWAY, region, api + "/" + stageName);
    }

    /**
     * An HTTP (or, with {@code websocket}, a WebSocket) API and a stage created with this default throttling
     * ({@code rate} and {@code burst} null: none); returns {@code <apiId>/<stageName>}.
     */
    public String v2ApiStage(String region, String name, boolean websocket, String stageName, Double rate, Integer burst,
            Map<String, String> tags) {
        var v2 = apiGatewayV2(region);
        String api = v2.createApi(b -> b.name(name).protocolType(websocket ? "WEBSOCKET" : "HTTP")
                .routeSelectionExpression(websocket ? "$request.body.action" : null)).apiId();
        v2.createStage(b -> b.apiId(api).stageName(stageName).tags(tags).defaultRouteSettings(
                software.amazon.awssdk.services.apigatewayv2.model.RouteSettings.builder().throttlingRateLimit(rate)
                        .throttlingBurstLimit(burst).build()));
        return track(APIGATEWAY, region, api + "/" + stageName);
    }

    /**
     * What a correct pause makes of an API Gateway stage's observation: every throttle at {@code 0.0/0}, and a REST
     * stage given the stage-wide {@code *}{@code /*} setting if it had none.
     */
    public static String apiGatewayWhilePaused(String observed) {
        int open = observed.indexOf('[');
        String kind = observed.substring(0, open).trim();
        String inner = observed.substring(open + 1, observed.length() - 1);
        Map<String, String> throttles = new TreeMap<>();
        if (!inner.isEmpty()) {
            for (String e : inner.split(", ")) {
                throttles.put(e.substring(0, e.lastIndexOf('=')), "0.0/0");
            }
        }
        if ("rest".equals(kind)) {
            throttles.put("*/*", "0.0/0");
        }
        return throttleObservation(kind, throttles);
    }

    private static String throttleObservation(String kind, Map<String, String> throttles) {
        List<String> parts = new ArrayList<>();
        throttles.forEach((k, v) -> parts.add(k + "=" + v));
        return kind + " [" + String.join(", ", parts) + "]";
    }

    // ---------------------------------------------------------------- observing

    /**
     * Everything the brake must restore, of every resource created through this instance in these regions:
     * a sorted map from {@code <service>:<region>:<id>} to
     * <ul>
     *   <li>ec2: {@code state=<state> type=<instance type>}</li>
     *   <li>rds: {@code status=<status> class=<DB instance class>}</li>
     *   <li>aurora: {@code status=<status>}</li>
     *   <li>ecs: {@code desired=<n> target=none}, or {@code desired=<n> target=min <a> max <b> in=<bool> out=<bool> scheduled=<bool>}</li>
     *   <li>autoscaling: {@code min=<a> max=<b> desired=<c> suspended=[<sorted processes>]}</li>
     *   <li>lambda: {@code pc=<requested count>} or {@code pc=none}</li>
     *   <li>eks: {@code min=<a> max=<b> desired=<c> status=<node group status>}</li>
     *   <li>redshift: {@code status=<ClusterStatus> type=<node type> nodes=<number of nodes>}</li>
     *   <li>sagemaker-notebooks: {@code status=<NotebookInstanceStatus> type=<instance type>}</li>
     *   <li>warm-pools: {@code min=<a> maxPrepared=<b or none> state=<PoolState> reuse=<true, false or none>}</li>
     *   <li>spot-fleet: {@code target=<a> onDemand=<b or none> state=<SpotFleetRequestState>}</li>
     *   <li>lambda-throttle: {@code reserved=<reserved concurrency>} or {@code reserved=none}</li>
     *   <li>lambda-event-sources: {@code state=<the mapping's State>} (Enabled, Disabled, ...)</li>
     *   <li>apigateway: {@code rest [<method-setting key>=<rate>/<burst>, ...]} (every method setting, sorted; {@code rest []}
     *       with none), or {@code http [default=<rate>/<burst>, <route key>=<rate>/<burst>, ...]} ({@code websocket [...]}),
     *       an unset limit shown as {@code null}</li>
     * </ul>
     * or {@code absent} for a resource that no longer exists. Equal observations mean the account is as it was.
     */
    public Map<String, String> observe(List<String> regions) {
        Map<String, String> out = new TreeMap<>();
        for (String region : regions) {
            List<Created> mine = created().stream().filter(c -> c.region().equals(region)).toList();
            observeEach(out, region, mine, EC2, this::ec2States);
            observeEach(out, region, mine, RDS, this::rdsStates);
            observeEach(out, region, mine, AURORA, this::auroraStates);
            observeEach(out, region, mine, ECS, this::ecsStates);
            observeEach(out, region, mine, AUTOSCALING, this::asgStates);
            observeEach(out, region, mine, LAMBDA, this::lambdaStates);
            observeEach(out, region, mine, EKS, this::eksStates);
            observeEach(out, region, mine, REDSHIFT, this::redshiftStates);
            observeEach(out, region, mine, SAGEMAKER_NOTEBOOKS, this::notebookStates);
            observeEach(out, region, mine, WARM_POOLS, this::warmPoolStates);
            observeEach(out, region, mine, SPOT_FLEET, this::spotFleetStates);
            observeEach(out, region, mine, LAMBDA_THROTTLE, this::reservedConcurrencies);
            observeEach(out, region, mine, LAMBDA_EVENT_SOURCES, this::eventSourceMappingStates);
            observeEach(out, region, mine, APIGATEWAY, this::apiGatewayStates);
        }
        return out;
    }

    private interface Reader {
        Map<String, String> read(String region, List<String> ids);
    }

    private static void observeEach(Map<String, String> out, String region, List<Created> mine, String service, Reader reader) {
        List<String> ids = mine.stream().filter(c -> c.service().equals(service)).map(Created::id).toList();
        if (ids.isEmpty()) {
            return;
        }
        Map<String, String> found = reader.read(region, ids);
        for (String id : ids) {
            out.put(service + ":" + region + ":" + id, found.getOrDefault(id, "absent"));
        }
    }

    private Map<String, String> ec2States(String region, List<String> ids) {
        Map<String, String> out = new TreeMap<>();
        ec2(region).describeInstancesPaginator(b -> b.filters(f -> f.name("instance-id").values(ids))).reservations()
                .forEach(r -> r.instances().stream().filter(i -> !"terminated".equals(i.state().nameAsString()))
                        .forEach(i -> out.put(i.instanceId(), ec2State(i))));
        return out;
    }

    private static String ec2State(Instance i) {
        return "state=" + i.state().nameAsString() + " type=" + i.instanceTypeAsString();
    }

    private Map<String, String> rdsStates(String region, List<String> ids) {
        Map<String, String> out = new TreeMap<>();
        for (DBInstance d : rds(region).describeDBInstancesPaginator().dbInstances()) {
            if (ids.contains(d.dbInstanceIdentifier())) {
                out.put(d.dbInstanceIdentifier(), "status=" + d.dbInstanceStatus() + " class=" + d.dbInstanceClass());
            }
        }
        return out;
    }

    private Map<String, String> auroraStates(String region, List<String> ids) {
        Map<String, String> out = new TreeMap<>();
        for (DBCluster c : rds(region).describeDBClustersPaginator().dbClusters()) {
            if (ids.contains(c.dbClusterIdentifier())) {
                out.put(c.dbClusterIdentifier(), "status=" + c.status());
            }
        }
        return out;
    }

    private Map<String, String> ecsStates(String region, List<String> ids) {
        Map<String, String> targets = new TreeMap<>();
        for (ScalableTarget t : applicationAutoScaling(region).describeScalableTargetsPaginator(b -> b
                .serviceNamespace(ServiceNamespace.ECS)).scalableTargets()) {
            if (t.scalableDimension() == ScalableDimension.ECS_SERVICE_DESIRED_COUNT) {
                SuspendedState s = t.suspendedState();
                targets.put(t.resourceId().substring("service/".length()), "min " + t.minCapacity() + " max " + t.maxCapacity()
                        + " in=" + flag(s == null ? null : s.dynamicScalingInSuspended())
                        + " out=" + flag(s == null ? null : s.dynamicScalingOutSuspended())
                        + " scheduled=" + flag(s == null ? null : s.scheduledScalingSuspended()));
            }
        }
        Map<String, List<String>> byCluster = new TreeMap<>();
        ids.forEach(id -> byCluster.computeIfAbsent(id.split("/", 2)[0], c -> new ArrayList<>()).add(id.split("/", 2)[1]));
        Map<String, String> out = new TreeMap<>();
        byCluster.forEach((cluster, services) -> {
            for (int from = 0; from < services.size(); from += 10) {
                List<String> batch = services.subList(from, Math.min(services.size(), from + 10));
                for (Service s : ecs(region).describeServices(b -> b.cluster(cluster).services(batch)).services()) {
                    if ("ACTIVE".equals(s.status())) {
                        String id = cluster + "/" + s.serviceName();
                        out.put(id, "desired=" + s.desiredCount() + " target=" + targets.getOrDefault(id, "none"));
                    }
                }
            }
        });
        return out;
    }

    private static boolean flag(Boolean b) {
        return Boolean.TRUE.equals(b);
    }

    private Map<String, String> asgStates(String region, List<String> ids) {
        Map<String, String> out = new TreeMap<>();
        for (int from = 0; from < ids.size(); from += 50) {
            List<String> batch = ids.subList(from, Math.min(ids.size(), from + 50));
            for (AutoScalingGroup g : autoScaling(region).describeAutoScalingGroupsPaginator(b -> b.autoScalingGroupNames(batch))
                    .autoScalingGroups()) {
                out.put(g.autoScalingGroupName(), "min=" + g.minSize() + " max=" + g.maxSize() + " desired=" + g.desiredCapacity()
                        + " suspended=" + g.suspendedProcesses().stream().map(SuspendedProcess::processName).sorted().toList());
            }
        }
        return out;
    }

    private Map<String, String> lambdaStates(String region, List<String> ids) {
        Map<String, String> out = new TreeMap<>();
        LambdaClient lambda = lambda(region);
        for (String id : ids) {
            int colon = id.lastIndexOf(':');
            String fn = id.substring(0, colon);
            String qualifier = id.substring(colon + 1);
            try {
                lambda.getFunctionConfiguration(b -> b.functionName(fn).qualifier(qualifier));
            } catch (ResourceNotFoundException gone) {
                continue; // absent
            }
            try {
                out.put(id, "pc=" + lambda.getProvisionedConcurrencyConfig(b -> b.functionName(fn).qualifier(qualifier))
                        .requestedProvisionedConcurrentExecutions());
            } catch (ProvisionedConcurrencyConfigNotFoundException none) {
                out.put(id, "pc=none");
            } catch (software.amazon.awssdk.awscore.exception.AwsServiceException e) {
                if (e.statusCode() != 404) {
                    throw e;
                }
                out.put(id, "pc=unavailable"); // plain moto: no provisioned-concurrency API
            }
        }
        return out;
    }

    private Map<String, String> eksStates(String region, List<String> ids) {
        Map<String, String> out = new TreeMap<>();
        EksClient eks = eks(region);
        for (String id : ids) {
            String[] parts = id.split("/", 2);
            try {
                Nodegroup g = eks.describeNodegroup(b -> b.clusterName(parts[0]).nodegroupName(parts[1])).nodegroup();
                out.put(id, "min=" + g.scalingConfig().minSize() + " max=" + g.scalingConfig().maxSize() + " desired="
                        + g.scalingConfig().desiredSize() + " status=" + g.statusAsString());
            } catch (software.amazon.awssdk.services.eks.model.ResourceNotFoundException gone) {
                // absent
            }
        }
        return out;
    }

    private Map<String, String> apiGatewayStates(String region, List<String> ids) {
        Map<String, String> out = new TreeMap<>();
        for (String id : ids) {
            String api = id.substring(0, id.indexOf('/'));
            String stage = id.substring(id.indexOf('/') + 1);
            Map<String, String> throttles = new TreeMap<>();
            try {
                var s = apiGateway(region).getStage(b -> b.restApiId(api).stageName(stage));
                s.methodSettings().forEach((k, m) -> throttles.put(k, m.throttlingRateLimit() + "/" + m.throttlingBurstLimit()));
                out.put(id, throttleObservation("rest", throttles));
                continue;
            } catch (software.amazon.awssdk.services.apigateway.model.NotFoundException notRest) {
                // an HTTP or WebSocket API, or gone
            }
            try {
                String protocol = apiGatewayV2(region).getApi(b -> b.apiId(api)).protocolTypeAsString();
                var s = apiGatewayV2(region).getStage(b -> b.apiId(api).stageName(stage));
                var d = s.defaultRouteSettings();
                throttles.put("default", (d == null ? null : d.throttlingRateLimit()) + "/" + (d == null ? null : d.throttlingBurstLimit()));
                s.routeSettings().forEach((k, r) -> throttles.put(k, r.throttlingRateLimit() + "/" + r.throttlingBurstLimit()));
                out.put(id, throttleObservation(protocol.toLowerCase(java.util.Locale.ROOT), throttles));
            } catch (software.amazon.awssdk.services.apigatewayv2.model.NotFoundException gone) {
                // absent
            }
        }
        return out;
    }

    private Map<String, String> reservedConcurrencies(String region, List<String> names) {
        Map<String, String> out = new TreeMap<>();
        for (String name : names) {
            try {
                Integer reserved = lambda(region).getFunctionConcurrency(b -> b.functionName(name)).reservedConcurrentExecutions();
                out.put(name, "reserved=" + (reserved == null ? "none" : reserved));
            } catch (ResourceNotFoundException gone) {
                // absent
            }
        }
        return out;
    }

    private Map<String, String> redshiftStates(String region, List<String> ids) {
        Map<String, String> out = new TreeMap<>();
        for (var c : redshift(region).describeClustersPaginator().clusters()) {
            if (ids.contains(c.clusterIdentifier())) {
                out.put(c.clusterIdentifier(), "status=" + c.clusterStatus() + " type=" + c.nodeType() + " nodes=" + c.numberOfNodes());
            }
        }
        return out;
    }

    private Map<String, String> notebookStates(String region, List<String> ids) {
        Map<String, String> out = new TreeMap<>();
        String token = null;
        do {
            String body = sageMaker(region, "ListNotebookInstances", token == null ? "{}" : "{\"NextToken\":" + jsonString(token) + "}");
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\{[^{}]*\"NotebookInstanceName\"[^{}]*\\}").matcher(body);
            while (m.find()) {
                String name = field(m.group(), "NotebookInstanceName");
                if (ids.contains(name)) {
                    out.put(name, "status=" + field(m.group(), "NotebookInstanceStatus") + " type=" + field(m.group(), "InstanceType"));
                }
            }
            token = field(body.replaceAll("\"NotebookInstances\"\\s*:\\s*\\[.*\\]", ""), "NextToken");
        } while (token != null && !token.isEmpty());
        return out;
    }

    // ---------------------------------------------------------------- SageMaker support (the SDK module is not served here)

    /**
     * One SageMaker JSON 1.1 call, unsigned but for the credential scope moto reads the region from (moto does not check
     * the signature), as {@link #createRole} calls IAM; returns the answer's body, throwing on any status but 200.
     */
    private String sageMaker(String region, String operation, String json) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(endpoint.resolve("/"))
                    .header("Content-Type", "application/x-amz-json-1.1")
                    .header("X-Amz-Target", "SageMaker." + operation)
                    .header("Authorization", "AWS4-HMAC-SHA256 Credential=testing/20260101/" + region
                            + "/sagemaker/aws4_request, SignedHeaders=host, Signature=0")
                    .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("SageMaker " + operation + " answered " + r.statusCode() + ": " + r.body());
            }
            return r.body();
        } catch (IOException e) {
            throw new IllegalStateException("SageMaker " + operation + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A string field's value in a flat JSON object; null when absent. */
    private static String field(String json, String name) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"" + name + "\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"")
                .matcher(json);
        return m.find() ? m.group(1) : null;
    }

    private static String jsonString(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private Map<String, String> warmPoolStates(String region, List<String> ids) {
        Map<String, String> out = new TreeMap<>();
        for (int from = 0; from < ids.size(); from += 50) {
            List<String> batch = ids.subList(from, Math.min(ids.size(), from + 50));
            for (AutoScalingGroup g : autoScaling(region).describeAutoScalingGroupsPaginator(b -> b.autoScalingGroupNames(batch))
                    .autoScalingGroups()) {
                var c = g.warmPoolConfiguration();
                if (c != null) {
                    Integer max = c.maxGroupPreparedCapacity();
                    out.put(g.autoScalingGroupName(), "min=" + c.minSize() + " maxPrepared=" + (max == null || max < 0 ? "none" : max)
                            + " state=" + c.poolStateAsString() + " reuse="
                            + (c.instanceReusePolicy() == null || c.instanceReusePolicy().reuseOnScaleIn() == null ? "none"
                                    : c.instanceReusePolicy().reuseOnScaleIn()));
                }
            }
        }
        return out;
    }

    private Map<String, String> spotFleetStates(String region, List<String> ids) {
        Map<String, String> out = new TreeMap<>();
        for (var r : ec2(region).describeSpotFleetRequestsPaginator(b -> b.spotFleetRequestIds(ids)).spotFleetRequestConfigs()) {
            if (ids.contains(r.spotFleetRequestId()) && r.spotFleetRequestConfig() != null) {
                Integer onDemand = r.spotFleetRequestConfig().onDemandTargetCapacity();
                out.put(r.spotFleetRequestId(), "target=" + r.spotFleetRequestConfig().targetCapacity() + " onDemand="
                        + (onDemand == null ? "none" : onDemand) + " state=" + r.spotFleetRequestStateAsString());
            }
        }
        return out;
    }

    private Map<String, String> eventSourceMappingStates(String region, List<String> uuids) {
        Map<String, String> out = new TreeMap<>();
        lambda(region).listEventSourceMappingsPaginator(b -> b.maxItems(100)).eventSourceMappings().stream()
                .filter(m -> uuids.contains(m.uuid())).forEach(m -> out.put(m.uuid(), "state=" + m.state()));
        return out;
    }

    // ---------------------------------------------------------------- Lambda support

    /** The IAM role functions run as, created once (moto checks a function's role exists). */
    private String role() {
        String r = role;
        if (r == null) {
            synchronized (this) {
                if (role == null) {
                    role = createRole(ROLE_NAME);
                }
                r = role;
            }
        }
        return r;
    }

    /**
     * Creates an IAM role with a raw IAM Query call (the IAM SDK module is not a dependency of this project;
     * moto does not check the signature). An existing role of that name is used as it is.
     */
    private String createRole(String name) {
        String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"
                + "{\"Service\":\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";
        String form = "Action=CreateRole&Version=2010-05-08&RoleName=" + name + "&AssumeRolePolicyDocument="
                + URLEncoder.encode(policy, StandardCharsets.UTF_8);
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(endpoint.resolve("/"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("Authorization", "AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/iam/aws4_request, "
                            + "SignedHeaders=host, Signature=0")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200 && !(r.statusCode() == 409 || r.body().contains("EntityAlreadyExists"))) {
                throw new IllegalStateException("IAM CreateRole answered " + r.statusCode() + ": " + r.body());
            }
        } catch (IOException e) {
            throw new IllegalStateException("IAM CreateRole failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return "arn:aws:iam::123456789012:role/" + name;
    }

    private static byte[] zip() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ZipOutputStream z = new ZipOutputStream(bytes)) {
                z.putNextEntry(new ZipEntry("index.py"));
                z.write("def handler(event, context):\n    return event\n".getBytes(StandardCharsets.UTF_8));
                z.closeEntry();
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
