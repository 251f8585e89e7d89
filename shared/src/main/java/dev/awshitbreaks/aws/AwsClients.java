package dev.awshitbreaks.aws;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigatewayv2.ApiGatewayV2Client;
import software.amazon.awssdk.services.applicationautoscaling.ApplicationAutoScalingClient;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.redshift.RedshiftClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The one factory for SDK clients: one HTTP client, one credentials provider, explicit regions, the
 * endpoint override when configured, the retries and timeouts of {@link RetrySettings}. Regional clients are built once per region and cached.
 */
public final class AwsClients implements AutoCloseable {
    private final AwsSettings settings;
    private final AwsCredentialsProvider credentials;
    private final SdkHttpClient http;
    private final Map<String, Ec2Client> ec2 = new ConcurrentHashMap<>();
    private final Map<String, RdsClient> rds = new ConcurrentHashMap<>();
    private final Map<String, EcsClient> ecs = new ConcurrentHashMap<>();
    private final Map<String, ApplicationAutoScalingClient> appAutoScaling = new ConcurrentHashMap<>();
    private final Map<String, AutoScalingClient> autoScaling = new ConcurrentHashMap<>();
    private final Map<String, LambdaClient> lambda = new ConcurrentHashMap<>();
    private final Map<String, EksClient> eks = new ConcurrentHashMap<>();
    private final Map<String, RedshiftClient> redshift = new ConcurrentHashMap<>();
    private final Map<String, SageMakerApi> sageMaker = new ConcurrentHashMap<>();
    private final Map<String, JsonApi> sqs = new ConcurrentHashMap<>();
    private final Map<String, JsonApi> kinesis = new ConcurrentHashMap<>();
    private final Map<String, RestJsonApi> openSearch = new ConcurrentHashMap<>();
    private final Map<String, RestJsonApi> kafka = new ConcurrentHashMap<>();
    private final Map<String, JsonApi> emr = new ConcurrentHashMap<>();
    private final Map<String, QueryApi> loadBalancingV2 = new ConcurrentHashMap<>();
    private final Map<String, QueryApi> classicLoadBalancing = new ConcurrentHashMap<>();
    private final Map<String, QueryApi> elastiCache = new ConcurrentHashMap<>();
    private final Map<String, ApiGatewayClient> apiGateway = new ConcurrentHashMap<>();
    private final Map<String, ApiGatewayV2Client> apiGatewayV2 = new ConcurrentHashMap<>();
    private SdkHttpClient patchCapable;
    private volatile DynamoDbClient dynamoDb;
    private volatile S3Client s3;
    private volatile StsClient sts;
    private volatile SfnClient sfn;
    private volatile SnsClient sns;
    private volatile S3Presigner s3Presigner;

    public AwsClients(AwsSettings settings) {
        this(settings, DefaultCredentialsProvider.builder().build());
    }

    /**
     * The JDK's HTTP client under the SDK's url-connection client prints every request header, the Authorization
     * header's signature and the session token included, when java.util.logging is set to FINE for this logger
     * (a logging.properties, {@code -Djava.util.logging.config.file}). It is held at INFO whatever the
     * configuration says, so no log level can show a credential. A strong reference keeps the setting alive.
     */
    private static final java.util.logging.Logger JDK_HTTP_LOG =
            java.util.logging.Logger.getLogger("sun.net.www.protocol.http.HttpURLConnection");

    public AwsClients(AwsSettings settings, AwsCredentialsProvider credentials) {
        quietJdkHttpLog();
        this.settings = settings;
        this.credentials = credentials;
        this.http = UrlConnectionHttpClient.builder()
                .connectionTimeout(settings.retry().connectTimeout())
                .socketTimeout(settings.retry().readTimeout())
                .build();
    }

    /** Holds the JDK HTTP client's header log at INFO (see {@link #JDK_HTTP_LOG}); called whenever clients are built. */
    static void quietJdkHttpLog() {
        java.util.logging.Level level = JDK_HTTP_LOG.getLevel();
        if (level == null || level.intValue() < java.util.logging.Level.INFO.intValue()) {
            JDK_HTTP_LOG.setLevel(java.util.logging.Level.INFO);
        }
        // The JDK logs through a system logger of the same name, a separate object whose level comes from the
        // logging configuration: the configuration says INFO too, which LogManager applies to both.
        java.util.logging.LogManager manager = java.util.logging.LogManager.getLogManager();
        String key = JDK_HTTP_LOG.getName() + ".level";
        if (!"INFO".equals(manager.getProperty(key))) {
            try {
                manager.updateConfiguration(k -> k.equals(key) ? (was, now) -> "INFO" : (was, now) -> now);
            } catch (java.io.IOException e) {
                // the configuration file cannot be read again: the level set above still holds for most setups
            }
        }
    }

    public AwsSettings settings() {
        return settings;
    }

    /** The one credentials provider (for the Pricing API call, which has no SDK client here). */
    public AwsCredentialsProvider credentialsProvider() {
        return credentials;
    }

    /** The one HTTP client. */
    public SdkHttpClient httpClient() {
        return http;
    }

    public Ec2Client ec2(String region) {
        return ec2.computeIfAbsent(region, r -> configure(Ec2Client.builder(), r).build());
    }

    public RdsClient rds(String region) {
        return rds.computeIfAbsent(region, r -> configure(RdsClient.builder(), r).build());
    }

    public EcsClient ecs(String region) {
        return ecs.computeIfAbsent(region, r -> configure(EcsClient.builder(), r).build());
    }

    public ApplicationAutoScalingClient applicationAutoScaling(String region) {
        return appAutoScaling.computeIfAbsent(region, r -> configure(ApplicationAutoScalingClient.builder(), r).build());
    }

    public AutoScalingClient autoScaling(String region) {
        return autoScaling.computeIfAbsent(region, r -> configure(AutoScalingClient.builder(), r).build());
    }

    public LambdaClient lambda(String region) {
        return lambda.computeIfAbsent(region, r -> configure(LambdaClient.builder(), r).build());
    }

    public EksClient eks(String region) {
        return eks.computeIfAbsent(region, r -> configure(EksClient.builder(), r).build());
    }

    public RedshiftClient redshift(String region) {
        return redshift.computeIfAbsent(region, r -> configure(RedshiftClient.builder(), r).build());
    }

    /** SageMaker's JSON API in a region, signed by hand (the SDK's sagemaker module is not served here). */
    public SageMakerApi sageMaker(String region) {
        return sageMaker.computeIfAbsent(region, r -> new SageMakerApi(http, credentials,
                settings.endpoint().orElse(SageMakerApi.endpointOf(r)), r, settings.retry()));
    }

    /**
     * SQS's JSON 1.0 API in a region, read only (a queue's MessageRetentionPeriod for the event-source-mapping report),
     * signed by hand: the SDK's sqs module would keep some 280 classes in the Lambda artifact for two calls.
     */
    public JsonApi sqs(String region) {
        return sqs.computeIfAbsent(region, r -> new JsonApi(http, credentials, settings.endpoint().orElse(JsonApi.endpointOf("sqs", r)),
                "sqs", r, "AmazonSQS.", "application/x-amz-json-1.0", settings.retry()));
    }

    /**
     * Kinesis's JSON 1.1 API in a region, read only (a stream's RetentionPeriodHours for the event-source-mapping
     * report), signed by hand: the SDK's kinesis module keeps every one of its request classes (its endpoint rules name
     * them all) for one call, and speaks CBOR by default, which emulators such as moto do not.
     */
    public JsonApi kinesis(String region) {
        return kinesis.computeIfAbsent(region, r -> new JsonApi(http, credentials,
                settings.endpoint().orElse(JsonApi.endpointOf("kinesis", r)), "kinesis", r, "Kinesis_20131202.",
                "application/x-amz-json-1.1", settings.retry()));
    }

    /**
     * OpenSearch Service's REST-JSON API in a region (signing name {@code es}), read only: the still-billing listing of
     * domains (ListDomainNames, DescribeDomains), signed by hand: no SDK module for two reads.
     */
    public RestJsonApi openSearch(String region) {
        return openSearch.computeIfAbsent(region, r -> new RestJsonApi(http, credentials,
                settings.endpoint().orElse(JsonApi.endpointOf("es", r)), "es", r, settings.retry()));
    }

    /**
     * Amazon MSK's REST-JSON API in a region (signing name {@code kafka}), read only: the still-billing listing of
     * clusters (ListClustersV2), signed by hand.
     */
    public RestJsonApi kafka(String region) {
        return kafka.computeIfAbsent(region, r -> new RestJsonApi(http, credentials,
                settings.endpoint().orElse(JsonApi.endpointOf("kafka", r)), "kafka", r, settings.retry()));
    }

    /**
     * Amazon EMR's JSON 1.1 API in a region (signing name {@code elasticmapreduce}), read only: the still-billing
     * listing of clusters (ListClusters), signed by hand.
     */
    public JsonApi emr(String region) {
        return emr.computeIfAbsent(region, r -> new JsonApi(http, credentials,
                settings.endpoint().orElse(JsonApi.endpointOf("elasticmapreduce", r)), "elasticmapreduce", r,
                "ElasticMapReduce.", "application/x-amz-json-1.1", settings.retry()));
    }

    /**
     * Elastic Load Balancing v2's Query API (application, network and gateway load balancers, version 2015-12-01) in a
     * region, read only (still billing), signed by hand: no SDK module for three read calls.
     */
    public QueryApi elasticLoadBalancingV2(String region) {
        return loadBalancingV2.computeIfAbsent(region, r -> new QueryApi(http, credentials,
                settings.endpoint().orElse(JsonApi.endpointOf("elasticloadbalancing", r)), "elasticloadbalancing", r,
                "2015-12-01", settings.retry()));
    }

    /** Classic Elastic Load Balancing's Query API (version 2012-06-01) in a region, read only, signed by hand. */
    public QueryApi classicElasticLoadBalancing(String region) {
        return classicLoadBalancing.computeIfAbsent(region, r -> new QueryApi(http, credentials,
                settings.endpoint().orElse(JsonApi.endpointOf("elasticloadbalancing", r)), "elasticloadbalancing", r,
                "2012-06-01", settings.retry()));
    }

    /** ElastiCache's Query API (version 2015-02-02) in a region, read only (still billing), signed by hand. */
    public QueryApi elastiCache(String region) {
        return elastiCache.computeIfAbsent(region, r -> new QueryApi(http, credentials,
                settings.endpoint().orElse(JsonApi.endpointOf("elasticache", r)), "elasticache", r, "2015-02-02",
                settings.retry()));
    }

    /** The one HTTP client, able to send PATCH too (API Gateway's UpdateStage): see {@link PatchCapableHttpClient}. */
    private synchronized SdkHttpClient patchCapable() {
        if (patchCapable == null) {
            patchCapable = new PatchCapableHttpClient(http, settings.retry().connectTimeout(), settings.retry().readTimeout());
        }
        return patchCapable;
    }

    /** API Gateway (REST APIs, and the account's throttle). */
    public ApiGatewayClient apiGateway(String region) {
        return apiGateway.computeIfAbsent(region, r -> configure(ApiGatewayClient.builder(), r).httpClient(patchCapable()).build());
    }

    /** API Gateway v2 (HTTP and WebSocket APIs). */
    public ApiGatewayV2Client apiGatewayV2(String region) {
        return apiGatewayV2.computeIfAbsent(region, r -> configure(ApiGatewayV2Client.builder(), r).httpClient(patchCapable()).build());
    }

    public DynamoDbClient dynamoDb() {
        DynamoDbClient c = dynamoDb;
        if (c == null) {
            synchronized (this) {
                if (dynamoDb == null) {
                    dynamoDb = configure(DynamoDbClient.builder(), settings.stateRegion()).build();
                }
                c = dynamoDb;
            }
        }
        return c;
    }

    public S3Client s3() {
        S3Client c = s3;
        if (c == null) {
            synchronized (this) {
                if (s3 == null) {
                    s3 = configure(S3Client.builder(), settings.stateRegion())
                            .forcePathStyle(settings.endpoint().isPresent())
                            .build();
                }
                c = s3;
            }
        }
        return c;
    }

    /** Pre-signs S3 GET links (the report link in the summary) in the state region; signs locally, calls nothing. */
    public S3Presigner s3Presigner() {
        S3Presigner c = s3Presigner;
        if (c == null) {
            synchronized (this) {
                if (s3Presigner == null) {
                    S3Presigner.Builder b = S3Presigner.builder()
                            .region(Region.of(settings.stateRegion()))
                            .credentialsProvider(credentials)
                            .serviceConfiguration(S3Configuration.builder()
                                    .pathStyleAccessEnabled(settings.endpoint().isPresent()).build());
                    settings.endpoint().ifPresent(b::endpointOverride);
                    s3Presigner = b.build();
                }
                c = s3Presigner;
            }
        }
        return c;
    }

    public StsClient sts() {
        StsClient c = sts;
        if (c == null) {
            synchronized (this) {
                if (sts == null) {
                    sts = configure(StsClient.builder(), settings.stateRegion()).build();
                }
                c = sts;
            }
        }
        return c;
    }

    /** Step Functions in the state region (the stack's region). */
    public SfnClient sfn() {
        SfnClient c = sfn;
        if (c == null) {
            synchronized (this) {
                if (sfn == null) {
                    sfn = configure(SfnClient.builder(), settings.stateRegion()).build();
                }
                c = sfn;
            }
        }
        return c;
    }

    /** SNS in the state region (the stack's topics). */
    public SnsClient sns() {
        SnsClient c = sns;
        if (c == null) {
            synchronized (this) {
                if (sns == null) {
                    sns = configure(SnsClient.builder(), settings.stateRegion()).build();
                }
                c = sns;
            }
        }
        return c;
    }

    private <B extends AwsClientBuilder<B, ?> & software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder<B, ?>> B configure(
            B builder, String region) {
        builder.region(Region.of(region))
                .credentialsProvider(credentials)
                .httpClient(http)
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .retryStrategy(retryStrategy(settings.retry()))
                        .apiCallTimeout(settings.retry().apiCallTimeout())
                        .apiCallAttemptTimeout(settings.retry().attemptTimeout())
                        .build());
        settings.endpoint().ifPresent(builder::endpointOverride);
        return builder;
    }

    /**
     * The SDK's standard strategy (it classifies throttling, 5xx, I/O errors and timeouts as retryable) with our
     * attempts, full-jitter backoff for errors and for throttles, and the circuit breaker as configured.
     */
    static RetryStrategy retryStrategy(RetrySettings r) {
        return AwsRetryStrategy.standardRetryStrategy().toBuilder()
                .circuitBreakerEnabled(r.circuitBreaker())
                .maxAttempts(r.maxAttempts())
                .backoffStrategy(BackoffStrategy.exponentialDelay(r.baseDelay(), r.maxBackoff()))
                .throttlingBackoffStrategy(BackoffStrategy.exponentialDelay(r.throttlingBaseDelay(), r.maxBackoff()))
                .build();
    }

    @Override
    public void close() {
        ec2.values().forEach(Ec2Client::close);
        rds.values().forEach(RdsClient::close);
        ecs.values().forEach(EcsClient::close);
        appAutoScaling.values().forEach(ApplicationAutoScalingClient::close);
        autoScaling.values().forEach(AutoScalingClient::close);
        lambda.values().forEach(LambdaClient::close);
        eks.values().forEach(EksClient::close);
        redshift.values().forEach(RedshiftClient::close);
        apiGateway.values().forEach(ApiGatewayClient::close);
        apiGatewayV2.values().forEach(ApiGatewayV2Client::close);
        if (dynamoDb != null) {
            dynamoDb.close();
        }
        if (s3 != null) {
            s3.close();
        }
        if (sts != null) {
            sts.close();
        }
        if (sfn != null) {
            sfn.close();
        }
        if (sns != null) {
            sns.close();
        }
        if (s3Presigner != null) {
            s3Presigner.close();
        }
        http.close();
    }
}
