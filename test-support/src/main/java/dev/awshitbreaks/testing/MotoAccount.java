package dev.awshitbreaks.testing;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceType;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/**
 * Seeds and inspects an account in moto through the real SDK: the arrange and assert side of the tests.
 * It never runs product code.
 */
public final class MotoAccount {
    public static final AwsCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));

    private final URI endpoint;
    private final Map<String, Ec2Client> ec2 = new ConcurrentHashMap<>();
    private static final Map<String, String> AMIS = new ConcurrentHashMap<>(); // moto's default AMIs survive resets

    public MotoAccount(URI endpoint) {
        this.endpoint = endpoint;
    }

    public Ec2Client ec2(String region) {
        return ec2.computeIfAbsent(region, r -> Ec2Client.builder().region(Region.of(r)).endpointOverride(endpoint)
                .credentialsProvider(CREDENTIALS).httpClient(UrlConnectionHttpClient.create()).build());
    }

    private String ami(String region) {
        return defaultAmi(ec2(region), region);
    }

    /**
     * moto's first x86_64 EBS AMI owned by Amazon in {@code region} (the same in every region and moto server: its
     * default AMIs), looked up once per JVM and region. Asked for by the name it has in moto 5 (Windows Server 2016
     * Nano), so moto renders one image rather than the 1300 its unfiltered answer holds (2 s of its CPU per call,
     * and more than the SDK's 30 s read timeout on a loaded machine); if that name is gone (another moto), the
     * first x86_64 EBS image of the full list, as before.
     */
    public static String defaultAmi(Ec2Client ec2, String region) {
        return AMIS.computeIfAbsent(region, r -> {
            java.util.function.Predicate<software.amazon.awssdk.services.ec2.model.Image> x86Ebs =
                    i -> "x86_64".equals(i.architectureAsString()) && "ebs".equals(i.rootDeviceTypeAsString());
            return ec2.describeImages(b -> b.owners("amazon").filters(
                            software.amazon.awssdk.services.ec2.model.Filter.builder().name("name").values(DEFAULT_AMI_NAME).build()))
                    .images().stream().filter(x86Ebs).findFirst()
                    .or(() -> ec2.describeImages(b -> b.owners("amazon")).images().stream().filter(x86Ebs).findFirst())
                    .orElseThrow(() -> new IllegalStateException("moto has no x86_64 EBS AMI in " + r)).imageId();
        });
    }

    /** The name of the first image of moto 5's default AMIs (moto/ec2/resources/amis.json). */
    private static final String DEFAULT_AMI_NAME = "Windows_Server-2016-English-Nano-Base-2017.10.13";

    /** Launches one running instance with these tags; returns its id. */
    public String runInstance(String region, String type, Map<String, String> tags) {
        List<Tag> t = new ArrayList<>();
        tags.forEach((k, v) -> t.add(Tag.builder().key(k).value(v).build()));
        var b = software.amazon.awssdk.services.ec2.model.RunInstancesRequest.builder()
                .imageId(ami(region)).instanceType(InstanceType.fromValue(type)).minCount(1).maxCount(1);
        if (!t.isEmpty()) {
            b.tagSpecifications(TagSpecification.builder().resourceType(ResourceType.INSTANCE).tags(t).build());
        }
        return ec2(region).runInstances(b.build()).instances().get(0).instanceId();
    }

    public String runInstance(String region, String type) {
        return runInstance(region, type, Map.of());
    }

    /** Launches an instance and stops it. */
    public String stoppedInstance(String region, String type, Map<String, String> tags) {
        String id = runInstance(region, type, tags);
        ec2(region).stopInstances(b -> b.instanceIds(id));
        return id;
    }

    public String state(String region, String instanceId) {
        return instance(region, instanceId).state().nameAsString();
    }

    public Instance instance(String region, String instanceId) {
        return ec2(region).describeInstances(b -> b.instanceIds(instanceId)).reservations().get(0).instances().get(0);
    }

    /** Every instance's state in a region, by id. */
    public Map<String, String> states(String region) {
        Map<String, String> out = new java.util.TreeMap<>();
        ec2(region).describeInstancesPaginator(b -> { }).reservations()
                .forEach(r -> r.instances().forEach(i -> out.put(i.instanceId(), i.state().nameAsString())));
        return out;
    }
}
