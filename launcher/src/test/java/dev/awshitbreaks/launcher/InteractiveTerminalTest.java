package dev.awshitbreaks.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awshitbreaks.core.Json;
import dev.awshitbreaks.testing.MotoAccount;
import dev.awshitbreaks.testing.MotoServer;
import dev.awshitbreaks.testing.ProjectTools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The interactive brake pedal through a real pseudo-terminal: {@code bin/aws-hit-breaks} (which itself checks
 * that stdin is a terminal) runs under Python's {@code pty} module ({@code pty_session.py}), and the test types
 * answers at the prompts, against moto over HTTP.
 */
class InteractiveTerminalTest {
    /** pty_session.py removes a variable given this value from the environment. */
    private static final String UNSET = "__UNSET__";
    private MotoServer moto;
    private MotoAccount account;
    @TempDir
    Path home;
    @TempDir
    Path work;

    @BeforeEach
    void setUp() {
        moto = MotoServer.get();
        moto.reset();
        account = new MotoAccount(moto.endpoint());
    }

    record Transcript(int exit, String text) {
    }

    /** Runs bin/aws-hit-breaks ARGS in a pseudo-terminal, answering each prompt (regex) with its text. */
    private Transcript terminal(Map<String, String> extraEnv, List<String[]> steps, String... args) throws Exception {
        Path root = ProjectTools.root();
        List<String> argv = new ArrayList<>(List.of(root.resolve("bin/aws-hit-breaks").toString()));
        argv.addAll(List.of(args));
        Map<String, String> env = new HashMap<>();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        env.put("HITBREAKS_CLASSPATH", cp);
        env.put("HOME", home.toString());
        env.put("AWS_ACCESS_KEY_ID", "testing");
        env.put("AWS_SECRET_ACCESS_KEY", "testing");
        env.put("AWS_ENDPOINT_URL", UNSET);
        env.put("AWS_REGION", UNSET);
        env.put("AWS_DEFAULT_REGION", UNSET);
        env.put("AWS_PROFILE", UNSET);
        env.put("NO_COLOR", UNSET);
        env.put("TERM", "xterm");
        env.putAll(extraEnv);
        Map<String, Object> spec = Map.of("argv", argv, "env", env, "cwd", root.toString(), "timeout", 120,
                "steps", steps.stream().map(List::of).toList());
        Path specFile = work.resolve("spec.json");
        Files.writeString(specFile, Json.write(spec));
        Process p = new ProcessBuilder(python(), root.resolve("launcher/src/test/resources/pty_session.py").toString(),
                specFile.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(150, TimeUnit.SECONDS)).isTrue();
        Matcher m = Pattern.compile("\nEXIT (-?\\d+)\n$").matcher(out);
        assertThat(m.find()).as("the session ended; transcript:\n" + out).isTrue();
        return new Transcript(Integer.parseInt(m.group(1)), out);
    }

    private static String python() {
        for (String candidate : List.of("/usr/bin/python3", "/usr/local/bin/python3")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        return "python3"; // fails loudly at start if missing: install Python 3 (scripts/setup needs it too)
    }

    private static String[] step(String prompt, String answer) {
        return new String[] {prompt, answer};
    }

    private void localConfig() {
        new ConfigFile(home).save(LauncherConfig.local("us-east-1", moto.endpoint().toString(), Instant.now()));
    }

    @Test
    void firstRunSetupInLocalModeThenDecliningThePauseChangesNothing() throws Exception {
        String a = account.runInstance("us-east-1", "t3.micro");
        String b = account.runInstance("us-east-1", "t3.small");

        Transcript t = terminal(Map.of("NO_COLOR", "1"), List.of(
                step("Choice \\[1\\]: ", "3\n"),
                step("Endpoint URL \\(empty for AWS itself\\): ", moto.endpoint() + "\n"),
                step("Region for the snapshot table and bucket \\[us-east-1\\]: ", "\n"),
                step("Regions to scan \\(comma-separated, or all\\) \\[all\\]: ", "us-east-1\n"),
                step("Continue\\? \\[y/N\\]: ", "n\n")));

        assertThat(t.exit()).as(t.text()).isEqualTo(ExitCode.NOT_CONFIRMED);
        assertThat(t.text()).contains("AWS Hit Breaks - Emergency Cost Control").contains("Scanning us-east-1")
                .contains("2 EC2 instances").containsPattern("Estimated cost: +\\$[0-9.]+/hour, \\$[0-9.,]+/month")
                .contains("This will PAUSE the 2 resources above").contains("nothing was changed")
                .doesNotContain("\u001b[");
        // first use: the scan ran before anything was created, and said so; declining created nothing
        assertThat(t.text()).contains("no report was stored").doesNotContain("Create them?")
                .containsSubsequence("Scanning us-east-1", "This will PAUSE");
        assertThat(account.state("us-east-1", a)).isEqualTo("running");
        assertThat(account.state("us-east-1", b)).isEqualTo("running");
        assertNoSnapshotStore();
        Path config = home.resolve(".aws-hit-breaks/config.json");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config.getParent()))).isEqualTo("rwx------");
        String saved = Files.readString(config);
        assertThat(saved).contains("\"mode\" : \"local\"").contains(moto.endpoint().toString()).doesNotContain("testing");
    }

    @Test
    void acceptingThePausePausesWithAProgressBarThenResumeIsOffered() throws Exception {
        localConfig();
        String a = account.runInstance("us-east-1", "t3.micro");
        String b = account.runInstance("eu-west-1", "t3.micro");
        String guarded = account.runInstance("us-east-1", "t3.micro", Map.of("aws-hit-breaks:protect", "true"));

        Transcript pause = terminal(Map.of(), List.of(
                step("Regions to scan \\(comma-separated, or all\\) \\[all\\]: ", "us-east-1, eu-west-1\n"),
                step("Continue\\? \\[y/N\\]: ", "y\n"),
                step("Create them\\? \\[y/N\\]: ", "y\n")));

        assertThat(pause.exit()).as(pause.text()).isEqualTo(ExitCode.OK);
        assertThat(account.state("us-east-1", a)).isEqualTo("stopped");
        assertThat(account.state("eu-west-1", b)).isEqualTo("stopped");
        assertThat(account.state("us-east-1", guarded)).isEqualTo("running");
        assertThat(pause.text()).contains("\u001b[1;31mAWS Hit Breaks") // colour when NO_COLOR is not set
                .containsPattern("\\[#{20}\\] \\[(\\d+)/\\1\\]")      // the progress bar, full at the end
                .contains("Paused 2 resources.").containsPattern("Estimated savings: \\$[0-9.]+/hour").containsPattern("Snapshot: pause-\\d{8}");
        // design property 2: the count shown is the number of resources listed as would-pause
        Matcher listed = Pattern.compile("(?m)^ec2\\s+[a-z0-9-]+\\s+i-[0-9a-f]+\\s.*\\swould-pause\\s").matcher(pause.text());
        int rows = 0;
        while (listed.find()) {
            rows++;
        }
        Matcher shown = Pattern.compile("\\* (\\d+) EC2 instances? ").matcher(pause.text());
        assertThat(shown.find()).as(pause.text()).isTrue();
        assertThat(rows).isEqualTo(Integer.parseInt(shown.group(1))).isEqualTo(2);
        System.out.println(pause.text());

        Transcript resume = terminal(Map.of(), List.of(
                step("\\[r\\]esume it, \\[p\\]ause more, \\[s\\]tatus, or \\[q\\]uit\\? \\[q\\]: ", "r\n"),
                step("Continue\\? \\[y/N\\]: ", "yes\n")));

        assertThat(resume.exit()).as(resume.text()).isEqualTo(ExitCode.OK);
        assertThat(resume.text()).contains("This will RESUME the 2 resources above").contains("Done resume: 2 resumed.");
        assertThat(account.state("us-east-1", a)).isEqualTo("running");
        assertThat(account.state("eu-west-1", b)).isEqualTo("running");
    }

    @Test
    void anyAnswerButYesAtTheResumeQuestionChangesNothing() throws Exception {
        localConfig();
        String a = account.runInstance("us-east-1", "t3.micro");
        assertThat(terminal(Map.of(), List.of(step("Regions to scan.*: ", "us-east-1\n"),
                step("Continue\\? \\[y/N\\]: ", "y\n"), step("Create them\\? \\[y/N\\]: ", "y\n"))).exit()).isEqualTo(ExitCode.OK);

        Transcript t = terminal(Map.of(), List.of(step("\\[q\\]uit\\? \\[q\\]: ", "r\n"), step("Continue\\? \\[y/N\\]: ", "yeah sure\n")));

        assertThat(t.exit()).as(t.text()).isEqualTo(ExitCode.NOT_CONFIRMED);
        assertThat(account.state("us-east-1", a)).isEqualTo("stopped");
    }

    @Test
    void confirmingThePauseButDecliningTheSnapshotStoreChangesNothing() throws Exception {
        localConfig();
        String a = account.runInstance("us-east-1", "t3.micro");

        Transcript t = terminal(Map.of(), List.of(step("Regions to scan.*: ", "us-east-1\n"),
                step("Continue\\? \\[y/N\\]: ", "y\n"), step("Create them\\? \\[y/N\\]: ", "n\n")));

        assertThat(t.exit()).as(t.text()).isEqualTo(ExitCode.NOT_CONFIRMED);
        assertThat(t.text()).contains("no report was stored").contains("This will PAUSE the 1 resource above")
                .contains("nothing was changed").doesNotContain("Pausing");
        assertThat(account.state("us-east-1", a)).isEqualTo("running");
        assertNoSnapshotStore();
    }

    @Test
    void theScanTheConfirmationAndTheResultShowWhatStillBills() throws Exception {
        localConfig();
        account.runInstance("us-east-1", "t3.micro");
        var ec2 = account.ec2("us-east-1");
        String vpc = ec2.createVpc(b -> b.cidrBlock("10.0.0.0/16")).vpc().vpcId();
        String subnet = ec2.createSubnet(b -> b.vpcId(vpc).cidrBlock("10.0.1.0/24")).subnet().subnetId();
        String eip = ec2.allocateAddress(b -> b.domain(software.amazon.awssdk.services.ec2.model.DomainType.VPC)).allocationId();
        String nat = ec2.createNatGateway(b -> b.subnetId(subnet).allocationId(eip)).natGateway().natGatewayId();

        Transcript t = terminal(Map.of("NO_COLOR", "1"), List.of(step("Regions to scan.*: ", "us-east-1\n"),
                step("Continue\\? \\[y/N\\]: ", "y\n"), step("Create them\\? \\[y/N\\]: ", "y\n")));

        assertThat(t.exit()).as(t.text()).isEqualTo(ExitCode.OK);
        assertThat(t.text()).containsSubsequence(
                // the scan: the still-billing row and the three figures
                nat, "still-billing",
                "before       USD 0.061496/hour, USD 44.89208/month (ran before the pause)",
                "stops        USD 0.0104/hour, USD 7.592/month (a pause would stop)",
                "still bills  USD 0.051096/hour, USD 37.30008/month (would still bill after a pause); unknown: 0 not priced",
                // the confirmation
                "Still billing after it:      USD 0.051096/hour, USD 37.30008/month; unknown: 0 not priced",
                "This will PAUSE the 1 resource above",
                // the result
                "Pausing", "stops        USD 0.0104/hour, USD 7.592/month (the pause stops)",
                "still bills  USD 0.051096/hour, USD 37.30008/month (still bills after the pause); unknown: 0 not priced");
        assertThat(account.ec2("us-east-1").describeNatGateways(b -> b.natGatewayIds(nat)).natGateways().get(0).stateAsString())
                .as("read back: the NAT gateway is left as it was").isEqualTo("available");
    }

    /** Nothing of the snapshot store exists in moto: no table, no bucket (moto was reset before the test). */
    private void assertNoSnapshotStore() {
        try (DynamoDbClient dynamo = DynamoDbClient.builder().endpointOverride(moto.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(MotoAccount.CREDENTIALS).httpClient(UrlConnectionHttpClient.create()).build();
                S3Client s3 = S3Client.builder().endpointOverride(moto.endpoint()).region(Region.US_EAST_1).forcePathStyle(true)
                        .credentialsProvider(MotoAccount.CREDENTIALS).httpClient(UrlConnectionHttpClient.create()).build()) {
            assertThat(dynamo.listTables().tableNames()).as("tables read back").isEmpty();
            assertThat(s3.listBuckets().buckets()).as("buckets read back").isEmpty();
        }
    }

    @Test
    void firstRunSetupFindsTheDeployedStackAndSavesItWithMode0600() throws Exception {
        MotoStack stack = new MotoStack(moto.endpoint());
        String arn = stack.deploy(StackLookup.DEFAULT_STACK, MotoStack.waitFor(0, null));

        Transcript t = terminal(Map.of("AWS_ENDPOINT_URL", moto.endpoint().toString(), "AWS_REGION", "us-east-1"), List.of(
                step("Choice \\[1\\]: ", "\n"),
                step("Stack name \\[aws-hit-breaks\\]: ", "\n"),
                step("Its region \\[us-east-1\\]: ", "\n"),
                step("Regions to scan \\(comma-separated, or all\\) \\[us-east-1\\]: ", "\u0004")));

        assertThat(t.exit()).as(t.text()).isEqualTo(ExitCode.NOT_CONFIRMED);
        assertThat(t.text()).contains("Found it: state machine " + arn).contains("on the deployed stack aws-hit-breaks (us-east-1)");
        Path config = home.resolve(".aws-hit-breaks/config.json");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config))).isEqualTo("rw-------");
        var saved = Json.mapper().readTree(Files.readString(config));
        assertThat(saved.path("mode").asText()).isEqualTo("remote");
        assertThat(saved.path("stackName").asText()).isEqualTo("aws-hit-breaks");
        assertThat(saved.path("stateMachineArn").asText()).isEqualTo(arn);
        assertThat(Files.readString(config)).doesNotContain("testing").doesNotContainIgnoringCase("secret");
    }

    @Test
    void withoutATerminalNoModeIsAnErrorNotAPrompt() throws IOException, InterruptedException {
        Path root = ProjectTools.root();
        ProcessBuilder pb = new ProcessBuilder(root.resolve("bin/aws-hit-breaks").toString()).redirectErrorStream(true);
        pb.environment().put("HITBREAKS_CLASSPATH", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        pb.environment().put("HOME", home.toString());
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).isEqualTo(ExitCode.INVALID_INPUT);
        assertThat(out).contains("needs a terminal").doesNotContain("Continue?");
    }
}
