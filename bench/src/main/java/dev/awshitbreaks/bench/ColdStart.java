package dev.awshitbreaks.bench;

import dev.awshitbreaks.aws.AwsClients;
import dev.awshitbreaks.aws.AwsSettings;
import dev.awshitbreaks.snapshot.StateStorage;
import dev.awshitbreaks.testing.MotoServer;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.InstanceType;

/**
 * bench/coldstart: a fresh JVM's initialisation plus the first invocation of the pause handler, as a Lambda cold
 * start without SnapStart. Each run: moto reset, the snapshot table and bucket, one running instance in
 * us-east-1; then a new JVM whose classpath is the built Lambda artifact (plus the one-class
 * {@code InvokeOnce} driver) builds {@code TargetHandler} and pauses (region us-east-1, service ec2). The time is
 * the child process's wall time, from its start to its exit. Reports every run and the median.
 *
 * <p>Arguments: ARTIFACT_JAR DRIVER_CLASSES RUNS [JVM options...]
 */
public final class ColdStart {
    private static final String REGION = "us-east-1";
    private static final String TABLE = "cold-start";
    private static final String BUCKET = "cold-start-bucket";

    private ColdStart() {
    }

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]);
        Path driver = Path.of(args[1]);
        int runs = Integer.parseInt(args[2]);
        List<String> jvmOptions = Arrays.asList(args).subList(3, args.length);
        MotoServer moto = MotoServer.get();
        StaticCredentialsProvider creds = StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Double> seconds = new ArrayList<>();
        for (int i = 1; i <= runs; i++) {
            moto.reset();
            try (AwsClients clients = new AwsClients(new AwsSettings(moto.endpoint(), REGION, TABLE, BUCKET), creds);
                    Ec2Client ec2 = Ec2Client.builder().region(Region.of(REGION)).endpointOverride(moto.endpoint())
                            .credentialsProvider(creds).build()) {
                StateStorage storage = new StateStorage(clients.dynamoDb(), clients.s3(), REGION);
                storage.createTable(TABLE);
                storage.createBucket(BUCKET, false);
                String ami = ec2.describeImages(b -> b.owners("amazon")).images().get(0).imageId();
                ec2.runInstances(b -> b.imageId(ami).instanceType(InstanceType.T3_MICRO).minCount(1).maxCount(1));
            }
            String id = String.format("pause-20261125-1200%02d-00000%d", i, i);
            String payload = """
                    {"operationId":"%s","snapshotId":"%s","action":"pause","dryRun":false,\
                    "request":{"action":"pause","regions":["us-east-1"],"services":["ec2"],"tags":{},"excludeTags":{},\
                    "excludeIds":[],"dryRun":false,"snapshotId":null,"trigger":"manual"},\
                    "startedAt":"2026-11-25T12:00:00Z","target":{"region":"us-east-1","service":"ec2"}}""".formatted(id, id);
            List<String> command = new ArrayList<>(List.of(java));
            command.addAll(jvmOptions);
            command.addAll(List.of("-cp", jar + File.pathSeparator + driver, "dev.awshitbreaks.local.InvokeOnce",
                    "dev.awshitbreaks.functions.TargetHandler"));
            ProcessBuilder pb = new ProcessBuilder(command);
            Map<String, String> env = pb.environment();
            env.keySet().removeIf(k -> k.startsWith("AWS_") || k.equals("JAVA_TOOL_OPTIONS"));
            env.putAll(Map.of("AWS_REGION", REGION, "AWS_ACCESS_KEY_ID", "testing", "AWS_SECRET_ACCESS_KEY", "testing",
                    "AWS_EC2_METADATA_DISABLED", "true", "SNAPSHOT_TABLE", TABLE, "SNAPSHOT_BUCKET", BUCKET,
                    "HITBREAKS_STATE_REGION", REGION, "HITBREAKS_ENDPOINT_URL", moto.endpoint().toString()));
            Path err = Files.createTempFile("coldstart-", ".log");
            pb.redirectError(err.toFile());
            long start = System.nanoTime();
            Process p = pb.start();
            byte[] out;
            try (var stdin = p.getOutputStream()) {
                stdin.write(payload.getBytes(StandardCharsets.UTF_8));
            }
            out = p.getInputStream().readAllBytes();
            int rc = p.waitFor();
            double s = (System.nanoTime() - start) / 1e9;
            String text = new String(out, StandardCharsets.UTF_8).trim();
            if (rc != 0 || !text.contains("\"paused\":1")) {
                throw new IllegalStateException("run " + i + " failed (exit " + rc + "): " + text);
            }
            seconds.add(s);
            String phases = Files.readAllLines(err).stream().filter(l -> l.startsWith("InvokeOnce:")).findFirst()
                    .orElse("").replace("InvokeOnce: ", "");
            Files.delete(err);
            System.out.printf("run %d: %.3f s  (%s)  %s%n", i, s, phases, text.length() > 100 ? text.substring(0, 100) + "..." : text);
        }
        List<Double> sorted = seconds.stream().sorted().toList();
        System.out.printf("median of %d: %.3f s (min %.3f, max %.3f)  java %s, options %s, artifact %s (%d bytes)%n", runs,
                sorted.get(sorted.size() / 2), sorted.get(0), sorted.get(sorted.size() - 1),
                System.getProperty("java.version"), jvmOptions, jar, Files.size(jar));
    }
}
