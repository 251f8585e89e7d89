package dev.awshitbreaks.bench;

import dev.awshitbreaks.testing.AddedKinds;
import dev.awshitbreaks.testing.FaultProxy;
import dev.awshitbreaks.testing.MixedAccount;
import dev.awshitbreaks.testing.MotoServer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.InstanceType;

/**
 * bench/account: seeds moto with a synthetic account, then pauses and resumes it through the launcher
 * ({@code --local}, in a child JVM with {@code -Xmx256m}) behind the {@link FaultProxy} (latency, token buckets,
 * call counts). Reports wall time, peak resident memory of the launcher's JVM (VmHWM), and the calls made by
 * operation next to the floor (see {@link Floor}).
 *
 * <p>Options (name=value): regions=4 ec2=500 rds=25 ecs=50 clusters=5 asgs=12 added=1 latencyMs=50 ec2Buckets=false
 * heap=256m actions=pause,resume motoPerRegion=true perReservation=1 stillBilling=1 services=all. {@code stillBilling=M}
 * seeds, per region, M sets of what still bills (issue #17: a NAT gateway and its Elastic IP, an application load
 * balancer, a spare Elastic IP, two volumes); {@code services=a,b} pauses only those services ({@code --service}). {@code added=N} seeds, per region, N of each kind
 * issue #16 added ({@link AddedKinds}: an EKS node group, a Redshift cluster, a SageMaker notebook instance, a warm pool,
 * a Spot Fleet request, a function with reserved concurrency, an SQS and a Kinesis event source mapping, a REST and an
 * HTTP API stage), each with a name of its own; 0 gives the account of issue #8.
 *
 * <p>Every region's endpoint is its moto behind the labelled stubs of what moto lacks ({@link AddedKinds#endpoint}:
 * Lambda provisioned concurrency, API Gateway stage throttling), one chain of stubs per moto; the snapshot table and
 * bucket are served by their moto directly.
 */
public final class AccountBench {
    /** The services holding the brake's own state: the snapshot table and bucket. */
    private static final java.util.Set<String> STATE_SERVICES = java.util.Set.of("dynamodb", "s3");
    static final List<String> ALL_REGIONS = List.of("us-east-1", "eu-west-1", "us-west-2", "ap-southeast-2", "eu-central-1",
            "us-east-2", "ap-northeast-1", "sa-east-1");
    /** When the last EC2 target of the last launcher run reported (System.nanoTime), or -1. */
    static volatile long lastEc2Done = -1;
    private static final StaticCredentialsProvider CREDS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));

    private AccountBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new LinkedHashMap<>(Map.of("regions", "4", "ec2", "500", "rds", "25", "ecs", "50",
                "clusters", "5", "asgs", "12", "latencyMs", "50", "ec2Buckets", "false", "heap", "256m",
                "actions", "pause,resume"));
        o.put("added", "1");
        o.put("stillBilling", "1");
        o.put("services", "all");
        o.put("motoPerRegion", "true");
        o.put("perReservation", "1");
        for (String a : args) {
            String[] kv = a.split("=", 2);
            if (kv.length != 2 || !o.containsKey(kv[0])) {
                throw new IllegalArgumentException("unknown option '" + a + "'; options: " + o.keySet());
            }
            o.put(kv[0], kv[1]);
        }
        Sizes sizes = new Sizes(Integer.parseInt(o.get("regions")), Integer.parseInt(o.get("ec2")),
                Integer.parseInt(o.get("rds")), Integer.parseInt(o.get("ecs")), Integer.parseInt(o.get("clusters")),
                Integer.parseInt(o.get("asgs")), Integer.parseInt(o.get("added")), Integer.parseInt(o.get("stillBilling")),
                o.get("services").equals("all") ? List.of() : List.of(o.get("services").split(",")));
        List<String> regions = ALL_REGIONS.subList(0, sizes.regions());
        MotoServer moto = MotoServer.get();
        moto.reset();
        // Real regional endpoints are separate servers; one moto (one Python process, one interpreter lock) for
        // every region would make four regions queue behind each other in the emulator. With motoPerRegion, each
        // region's services get a moto of their own, and the snapshot table and bucket (DynamoDB and S3, separate
        // services in AWS too) stay on the first one, which every region writes to.
        // Each moto serves the regions' services behind the labelled stubs the added kinds need (AddedKinds.endpoint:
        // provisioned concurrency, API Gateway stage throttling; their state is per region), one chain per moto.
        Map<String, URI> endpoints = new LinkedHashMap<>();
        AddedKinds.Endpoint shared = null;
        for (String region : regions) {
            if (!Boolean.parseBoolean(o.get("motoPerRegion"))) {
                if (shared == null) {
                    shared = AddedKinds.endpoint(moto.endpoint());
                    Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
                }
                endpoints.put(region, shared.uri());
            } else {
                MotoServer m = MotoServer.start();
                AddedKinds.Endpoint stubbed = AddedKinds.endpoint(m.endpoint());
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    stubbed.close();
                    m.stop();
                }));
                endpoints.put(region, stubbed.uri());
            }
        }
        long seedStart = System.nanoTime();
        seed(endpoints, sizes, Integer.parseInt(o.get("perReservation")));
        System.out.printf("seeded %s in %.0f s: per region %d EC2, %d RDS, %d ECS services in %d clusters, %d ASGs, %d of each "
                + "added kind (issue #16), %d of each still-billing set (issue #17); services: %s%n", regions,
                (System.nanoTime() - seedStart) / 1e9, sizes.ec2(), sizes.rds(), sizes.ecs(), sizes.clusters(), sizes.asgs(),
                sizes.added(), sizes.stillBilling(), sizes.services().isEmpty() ? "all" : sizes.services());

        FaultProxy.Builder proxy = FaultProxy.builder(moto.endpoint()).seed(1)
                .route(c -> STATE_SERVICES.contains(c.service()) ? moto.endpoint()
                        : endpoints.getOrDefault(c.region(), moto.endpoint()))
                .latency(Duration.ofMillis(Long.parseLong(o.get("latencyMs"))));
        if (Boolean.parseBoolean(o.get("ec2Buckets"))) {
            // EC2's documented buckets: StopInstances resource bucket 1,000 then 20/s (one token per instance);
            // mutating-request bucket 50 then 5/s.
            proxy.rateLimit("ec2", "StopInstances", 1000, 20, c -> c.countParams("InstanceId."))
                    .rateLimit("ec2", "StopInstances", 50, 5, c -> 1)
                    .rateLimit("ec2", "StartInstances", 1000, 20, c -> c.countParams("InstanceId."))
                    .rateLimit("ec2", "StartInstances", 50, 5, c -> 1);
        }
        // the snapshot table and bucket exist before the runs, as in a deployed account: creating them is not a pause
        try (dev.awshitbreaks.aws.AwsClients c = new dev.awshitbreaks.aws.AwsClients(new dev.awshitbreaks.aws.AwsSettings(
                moto.endpoint(), "us-east-1", "bench-snapshots", "bench-snapshots"), CREDS)) {
            dev.awshitbreaks.snapshot.StateStorage storage = new dev.awshitbreaks.snapshot.StateStorage(c.dynamoDb(), c.s3(),
                    "us-east-1");
            storage.createTable("bench-snapshots");
            storage.createBucket("bench-snapshots", false);
        }
        try (FaultProxy p = proxy.start()) {
            for (String action : o.get("actions").split(",")) {
                p.resetCounts();
                StopTimes stops = StopTimes.watch(p, action.equals("pause") ? "ec2:StopInstances" : "ec2:StartInstances");
                Run run = launcher(p, regions, action, o.get("heap"), sizes.services());
                stops.stop();
                Map<String, Long> calls = new TreeMap<>(p.counts());
                Map<String, Long> floor = Floor.of(action, sizes, run.records());
                report(action, run, calls, floor, p.faults());
                System.out.println(stops.summary());
            }
        }
        // the stubs' HTTP servers run non-daemon dispatcher threads: exit, so the shutdown hooks stop them and the motos
        System.exit(0);
    }

    /**
     * When the EC2 state changes went through: polls the proxy's counts every 20 ms and notes the first call and
     * the last one that was not rate-limited (only StopInstances/StartInstances are rate-limited here).
     */
    static final class StopTimes {
        private final Thread thread;
        private volatile boolean running = true;
        private long first = -1;
        private long lastAccepted = -1;
        private long accepted;

        private StopTimes(FaultProxy proxy, String op) {
            thread = new Thread(() -> {
                while (running) {
                    long now = System.nanoTime();
                    long calls = proxy.counts().getOrDefault(op, 0L);
                    long ok = calls - proxy.faults().getOrDefault("rateLimited", 0L);
                    synchronized (this) {
                        if (calls > 0 && first < 0) {
                            first = now;
                        }
                        if (ok > accepted) {
                            accepted = ok;
                            lastAccepted = now;
                        }
                    }
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            thread.setDaemon(true);
            thread.start();
        }

        static StopTimes watch(FaultProxy proxy, String op) {
            return new StopTimes(proxy, op);
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join();
        }

        synchronized String summary() {
            return first < 0 ? "EC2 state changes: none"
                    : String.format("EC2: the last region's EC2 target reported done %.1f s after the first state-change call",
                            (lastEc2Done - first) / 1e9);
        }
    }

    /** Per region; {@code added}: how many of each kind issue #16 added ({@link #seedAdded}). */
    record Sizes(int regions, int ec2, int rds, int ecs, int clusters, int asgs, int added, int stillBilling,
            List<String> services) {
        /** Whether the launcher's request covers this service: every one when {@code services} is empty (all). */
        boolean covers(String service) {
            return services.isEmpty() || services.contains(service);
        }
    }

    record Run(double seconds, long peakRssKb, int exit, String output, int records) {
    }

    /** Seeds every region through its own endpoint, the regions in parallel. */
    static void seed(Map<String, URI> endpoints, Sizes sizes, int perReservation) {
        List<Runnable> regions = new ArrayList<>();
        endpoints.forEach((region, endpoint) -> regions.add(() -> seed(endpoint, List.of(region), sizes, perReservation)));
        allAtOnce(regions.size(), regions, "seeding");
    }

    /** Runs the tasks on {@code threads} threads and returns when all have ended; the first failure is thrown. */
    private static void allAtOnce(int threads, List<Runnable> tasks, String what) {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> running = new ArrayList<>();
            tasks.forEach(t -> running.add(pool.submit(t)));
            for (Future<?> f : running) {
                f.get();
            }
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(what + " failed: " + e, e);
        } finally {
            pool.shutdown();
        }
    }

    /**
     * Seeds regions; instances are launched {@code perReservation} to a RunInstances call (default 1, as
     * instances launched one by one or by Auto Scaling are: moto counts DescribeInstances' MaxResults in
     * reservations and EC2 in instances, so only then are moto's pages the size EC2's would be).
     */
    static void seed(URI endpoint, List<String> regions, Sizes sizes, int perReservation) {
        try (MixedAccount account = new MixedAccount(endpoint)) {
            for (String region : regions) {
                // a fresh moto's first DescribeImages loads its image catalogue: on a loaded machine longer than the
                // SDK's default 30 s socket timeout, so seeding waits for it longer (seeding is not measured)
                try (Ec2Client ec2 = Ec2Client.builder().region(Region.of(region)).endpointOverride(endpoint)
                        .httpClientBuilder(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.builder()
                                .socketTimeout(Duration.ofMinutes(5)))
                        .credentialsProvider(CREDS).build()) {
                    String ami = ec2.describeImages(b -> b.owners("amazon")).images().stream()
                            .filter(i -> "x86_64".equals(i.architectureAsString()) && "ebs".equals(i.rootDeviceTypeAsString()))
                            .findFirst().orElseThrow().imageId();
                    List<Runnable> launches = new ArrayList<>();
                    for (int left = sizes.ec2(); left > 0; left -= perReservation) {
                        int n = Math.min(perReservation, left);
                        launches.add(() -> ec2.runInstances(
                                b -> b.imageId(ami).instanceType(InstanceType.T3_MICRO).minCount(n).maxCount(n)));
                    }
                    allAtOnce(6, launches, "seeding EC2 in " + region);
                }
                String suffix = region.replace("-", "");
                for (int i = 0; i < sizes.rds(); i++) {
                    account.rdsInstance(region, "db" + i + "-" + suffix, true, Map.of());
                }
                int perCluster = Math.max(1, sizes.ecs() / Math.max(1, sizes.clusters()));
                for (int i = 0; i < sizes.ecs(); i++) {
                    account.ecsService(region, "cluster" + (i / perCluster), "svc" + i, 1, Optional.empty(), Map.of());
                }
                for (int i = 0; i < sizes.asgs(); i++) {
                    account.autoScalingGroup(region, "asg" + i + "-" + suffix, 0, 2, 1, List.of(), Map.of());
                }
                for (int i = 0; i < sizes.added(); i++) {
                    seedAdded(account, region, i + "-" + suffix);
                }
                for (int i = 0; i < sizes.stillBilling(); i++) {
                    seedStillBilling(endpoint, region, i);
                }
            }
        }
    }

    /**
     * One of each kind issue #16 added, as {@link AddedKinds#ALL} seeds them (same shapes), named with {@code tag} so
     * that several fit in one region: an EKS node group 1/4/2 (t3.medium) in cluster {@code k8s}, an available
     * single-node dc2.large Redshift cluster, an InService ml.t3.medium notebook instance, a Running warm pool (min 2) on a
     * group of desired 0, a maintained Spot Fleet of 2, a function with reserved concurrency 7, an SQS and a Kinesis
     * event source mapping (each with a function of its own, which lambda-throttle throttles too), a REST stage without
     * throttling and an HTTP stage with 50/20.
     */
    static void seedAdded(MixedAccount account, String region, String tag) {
        account.eksNodegroup(region, "k8s", "ng" + tag, 1, 4, 2, List.of("t3.medium"), "ON_DEMAND", Map.of());
        account.redshiftCluster(region, "warehouse" + tag, true, Map.of());
        account.notebookInstance(region, "notebook" + tag, true, Map.of());
        account.warmPool(region, "warm" + tag, 2, null, "Running", true, Map.of("team", "web"));
        account.spotFleet(region, 2, Map.of("team", "batch"));
        account.lambdaFunction(region, "throttled" + tag, 7, Map.of());
        account.lambdaEventSourceMapping(region, "consumer" + tag, 345600, true, Map.of(), Map.of());
        account.lambdaKinesisEventSourceMapping(region, "reader" + tag, 48, Map.of());
        account.restApiStage(region, "shop" + tag, "prod", Map.of());
        account.v2ApiStage(region, "pets" + tag, false, "$default", 50.0, 20, Map.of());
    }

    /**
     * What still bills (issue #17), as the demo seeds it: a VPC with two subnets, a NAT gateway with its Elastic IP, an
     * application load balancer, a spare Elastic IP and two unattached volumes (gp3 100 GiB, io1 50 GiB 1000 IOPS).
     */
    static void seedStillBilling(URI endpoint, String region, int i) {
        try (Ec2Client ec2 = Ec2Client.builder().region(Region.of(region)).endpointOverride(endpoint).credentialsProvider(CREDS)
                .httpClientBuilder(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.builder()).build();
                dev.awshitbreaks.aws.AwsClients clients = new dev.awshitbreaks.aws.AwsClients(new dev.awshitbreaks.aws.AwsSettings(
                        endpoint, region, "unused", "unused"), CREDS)) {
            String vpc = ec2.createVpc(b -> b.cidrBlock("10." + (100 + i) + ".0.0/16")).vpc().vpcId();
            List<String> subnets = new ArrayList<>();
            for (String zone : List.of("a", "b")) {
                String cidr = "10." + (100 + i) + "." + (zone.equals("a") ? 1 : 2) + ".0/24";
                subnets.add(ec2.createSubnet(b -> b.vpcId(vpc).cidrBlock(cidr).availabilityZone(region + zone)).subnet().subnetId());
            }
            String eip = ec2.allocateAddress(b -> b.domain("vpc")).allocationId();
            ec2.createNatGateway(b -> b.subnetId(subnets.get(0)).allocationId(eip));
            ec2.allocateAddress(b -> b.domain("vpc"));
            ec2.createVolume(b -> b.availabilityZone(region + "a").volumeType("gp3").size(100));
            ec2.createVolume(b -> b.availabilityZone(region + "a").volumeType("io1").size(50).iops(1000));
            clients.elasticLoadBalancingV2(region).call("CreateLoadBalancer", Map.of("Name", "alb" + i, "Type", "application",
                    "Subnets.member.1", subnets.get(0), "Subnets.member.2", subnets.get(1)));
        }
    }

    /** The launcher in a child JVM, its peak resident set read from /proc while it runs. */
    static Run launcher(FaultProxy proxy, List<String> regions, String action, String heap, List<String> services)
            throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx" + heap));
        String extra = System.getenv("BENCH_LAUNCHER_JVM_OPTS"); // e.g. a flight recording, to see where time goes
        if (extra != null && !extra.isBlank()) {
            cmd.addAll(List.of(extra.trim().split("\\s+")));
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.awshitbreaks.launcher.Main", "--" + action, "--local", "--endpoint-url", proxy.endpoint().toString(),
                "--yes", "--output", "json", "--table", "bench-snapshots", "--bucket", "bench-snapshots",
                "--state-region", "us-east-1"));
        for (String r : regions) {
            cmd.addAll(List.of("--region", r));
        }
        if (action.equals("pause")) {
            for (String service : services) {
                cmd.addAll(List.of("--service", service));
            }
        }
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().keySet().removeIf(k -> k.startsWith("AWS_"));
        pb.environment().putAll(Map.of("AWS_ACCESS_KEY_ID", "testing", "AWS_SECRET_ACCESS_KEY", "testing",
                "AWS_REGION", "us-east-1", "AWS_EC2_METADATA_DISABLED", "true", "HITBREAKS_STDIN_IS_TTY", "0"));
        Path out = Files.createTempFile("bench-" + action, ".json");
        pb.redirectOutput(out.toFile());
        // all else in this JVM's environment (HITBREAKS_API_*_TIMEOUT_SECONDS too) is inherited as it is
        long start = System.nanoTime();
        Process p = pb.start();
        long[] ec2Done = {-1};
        Thread progress = new Thread(() -> { // the launcher's progress on stderr, echoed; notes when EC2 is done
            try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    System.err.printf("%6.1fs %s%n", (System.nanoTime() - start) / 1e9, line);
                    if (line.matches("\\s*\\[\\d+/\\d+\\]\\s+\\S+\\s+ec2\\s.*")) {
                        synchronized (ec2Done) {
                            ec2Done[0] = System.nanoTime();
                        }
                    }
                }
            } catch (java.io.IOException ignored) {
                // the launcher ended
            }
        });
        progress.start();
        long peak = 0;
        Path status = Path.of("/proc", Long.toString(p.pid()), "status");
        while (p.isAlive()) {
            try {
                for (String line : Files.readAllLines(status)) {
                    if (line.startsWith("VmHWM:")) {
                        peak = Math.max(peak, Long.parseLong(line.replaceAll("\\D", "")));
                    }
                }
            } catch (java.io.IOException | RuntimeException gone) {
                // exited between the check and the read
            }
            Thread.sleep(50);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        progress.join();
        lastEc2Done = ec2Done[0];
        String text = Files.readString(out, StandardCharsets.UTF_8);
        Files.delete(out);
        int records = 0;
        try {
            var doc = dev.awshitbreaks.core.Json.mapper().readTree(text);
            var counts = doc.path("counts");
            records = counts.path("paused").asInt() + counts.path("resumed").asInt() + counts.path("failed").asInt()
                    + counts.path("skipped").asInt();
        } catch (Exception notJson) {
            // reported below
        }
        return new Run(seconds, peak, p.exitValue(), text, records);
    }

    static void report(String action, Run run, Map<String, Long> calls, Map<String, Long> floor, Map<String, Long> faults) {
        System.out.printf("%n== %s: exit %d, %.1f s, peak RSS %d MB (launcher JVM), %d resources in its report%n", action,
                run.exit(), run.seconds(), run.peakRssKb() / 1024, run.records());
        if (run.exit() != 0) {
            System.out.println(run.output().length() > 2000 ? run.output().substring(0, 2000) : run.output());
        }
        System.out.println("| operation | calls | floor |");
        System.out.println("|---|---:|---:|");
        long total = 0;
        long floorTotal = 0;
        TreeSet<String> ops = new TreeSet<>(calls.keySet());
        ops.addAll(floor.keySet());
        for (String op : ops) {
            long c = calls.getOrDefault(op, 0L);
            Long f = floor.get(op);
            if (c == 0 && f != null && f == 0) {
                continue; // a kind the account does not hold: nothing called, nothing due
            }
            total += c;
            floorTotal += f == null ? 0 : f;
            System.out.printf("| %s | %d | %s |%n", op, c, f == null ? "-" : f.toString());
        }
        System.out.printf("| **total** | **%d** | **%d** |%n", total, floorTotal);
        System.out.printf("calls / floor = %.2f; proxy: %s%n", floorTotal == 0 ? 0.0 : (double) total / floorTotal, faults);
    }
}
