package dev.awshitbreaks.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.awshitbreaks.testing.MixedAccount;
import dev.awshitbreaks.testing.MotoServer;
import dev.awshitbreaks.testing.RecordingProxy;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The catalogue of malformed launcher options, {@code src/test/resources/bad-input/launcher-options.tsv}: each is
 * refused with its exit code (2 for invalid input, 5 for a pause or resume that no one can confirm), a message on
 * stderr naming the bad value, no stack trace, no terminal control character, within ten seconds, and <em>before the
 * first AWS call</em>: every AWS endpoint is a loopback {@link RecordingProxy} in front of a seeded moto account, and
 * no call may reach it; the account is observed unchanged after each case.
 */
class BadLauncherOptionsTest {
    private static final List<String> REGIONS = List.of("us-east-1", "eu-west-1");
    private static final Pattern REPEAT = Pattern.compile("\\{repeat:(\\d+):([^}]*)}");
    private static MixedAccount account;
    private static RecordingProxy proxy;
    private static Map<String, String> before;

    @BeforeAll
    static void seed() {
        MotoServer moto = MotoServer.get();
        moto.reset();
        account = new MixedAccount(moto.endpoint());
        account.ec2Instance("us-east-1", "t3.micro", true, Map.of());
        account.ec2Instance("eu-west-1", "t3.micro", true, Map.of("env", "prod"));
        account.ec2Instance("us-east-1", "t3.micro", false, Map.of());
        account.rdsInstance("us-east-1", "orders", true, Map.of());
        proxy = RecordingProxy.forwardingTo(moto.endpoint());
        before = account.observe(REGIONS);
    }

    @AfterAll
    static void close() {
        proxy.close();
        account.close();
    }

    record Run(int exit, String out, String err) {
    }

    static Stream<Arguments> cases() throws IOException {
        return catalogue().stream();
    }

    static List<Arguments> catalogue() throws IOException {
        List<Arguments> out = new ArrayList<>();
        try (InputStream in = BadLauncherOptionsTest.class.getResourceAsStream("/bad-input/launcher-options.tsv")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                List<String> args = Arrays.stream(f, 3, f.length).map(BadLauncherOptionsTest::unescape).toList();
                out.add(Arguments.of(f[0], Integer.parseInt(f[1]), f[2], args));
            }
        }
        return out;
    }

    /** {@code \n \t \e \\uXXXX} and {@code {repeat:N:text}}. */
    static String unescape(String s) {
        Matcher m = REPEAT.matcher(s);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, Matcher.quoteReplacement(m.group(2).repeat(Integer.parseInt(m.group(1)))));
        }
        m.appendTail(sb);
        String r = sb.toString().replace("\\n", "\n").replace("\\t", "\t").replace("\\e", "\u001b");
        Matcher u = Pattern.compile("\\\\u([0-9a-fA-F]{4})").matcher(r);
        StringBuilder out = new StringBuilder();
        while (u.find()) {
            u.appendReplacement(out, Matcher.quoteReplacement(String.valueOf((char) Integer.parseInt(u.group(1), 16))));
        }
        u.appendTail(out);
        return out.toString();
    }

    private static Run run(List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Map<String, String> env = Map.of("AWS_ACCESS_KEY_ID", "testing", "AWS_SECRET_ACCESS_KEY", "testing",
                "AWS_REGION", "us-east-1", "AWS_ENDPOINT_URL", proxy.endpoint().toString());
        Terminal t = new Terminal(new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env, false);
        int code = Launcher.run(t, args.toArray(String[]::new));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void isRefusedNamingTheProblemBeforeAnyAwsCall(String name, int exit, String fragment, List<String> args) {
        proxy.clear();

        Run r = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> run(args), name + " did not end within 10 s");

        assertThat(r.exit()).as(name + ": " + r.err()).isEqualTo(exit);
        assertThat(r.err()).as(name).contains(fragment);
        assertThat(r.out() + r.err()).as(name + ": no stack trace").doesNotContain("\tat ").doesNotContain("Caused by")
                .doesNotContain("Exception");
        assertThat(r.err().chars().filter(c -> c < 0x20 && c != '\n').boxed().toList())
                .as(name + ": no control character reaches the terminal").isEmpty();
        assertThat(proxy.calls()).as(name + ": AWS calls made").isEmpty();
        assertThat(account.observe(REGIONS)).as(name + ": the account").isEqualTo(before);
    }

    /** The config file ({@code ~/.aws-hit-breaks/config.json}) with each field replaced by each JSON type it is not. */
    static Stream<Arguments> wronglyTypedConfigFiles() {
        Map<String, String> fields = new java.util.LinkedHashMap<>();
        fields.put("version", "1");
        fields.put("mode", "\"local\"");
        fields.put("stackName", "\"aws-hit-breaks\"");
        fields.put("region", "\"us-east-1\"");
        fields.put("stateMachineArn", "\"arn:aws:states:us-east-1:123456789012:stateMachine:brake\"");
        fields.put("tableName", "\"aws-hit-breaks-snapshots\"");
        fields.put("bucketName", "\"aws-hit-breaks-bucket\"");
        fields.put("updatedAt", "\"2026-11-25T18:19:21Z\"");
        List<Arguments> out = new ArrayList<>();
        for (String field : fields.keySet()) {
            boolean number = field.equals("version");
            for (String wrong : number ? List.of("\"1\"", "1.5", "true", "{}", "[1]") : List.of("7", "1.5", "true", "{}", "[\"x\"]")) {
                StringBuilder doc = new StringBuilder("{");
                fields.forEach((k, v) -> doc.append(doc.length() > 1 ? ", " : "").append('"').append(k).append("\": ")
                        .append(k.equals(field) ? wrong : v));
                out.add(Arguments.of(field, wrong, doc.append('}').toString()));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("wronglyTypedConfigFiles")
    void aWronglyTypedConfigFileIsRefusedNamingTheFieldBeforeAnyAwsCall(String field, String wrong, String config,
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path home) throws IOException {
        java.nio.file.Files.createDirectories(home.resolve(ConfigFile.DIR));
        java.nio.file.Files.writeString(home.resolve(ConfigFile.DIR).resolve(ConfigFile.NAME), config);
        proxy.clear();

        InProcess.Run r = new InProcess(home).env("AWS_REGION", "us-east-1").env("AWS_ENDPOINT_URL", proxy.endpoint().toString())
                .run("--status");

        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCode.INVALID_INPUT);
        assertThat(r.err()).contains("'" + field + "'").doesNotContain("\tat ");
        assertThat(proxy.calls()).as("AWS calls made").isEmpty();
    }

    @Test
    void theCatalogueCoversAtLeastFortyKindsOfBadOptions() throws IOException {
        List<Arguments> all = catalogue();
        assertThat(all).hasSizeGreaterThanOrEqualTo(40);
        assertThat(all.stream().map(a -> (String) a.get()[0]).distinct()).hasSameSizeAs(all);
    }

    @Test
    void theProxyRecordsCallsSoAnEmptyRecordMeansNoCall() {
        proxy.clear();
        Run r = run(List.of("--local", "--status"));
        assertThat(r.exit()).as(r.err()).isIn(ExitCode.OK, ExitCode.AWS_ERROR);
        assertThat(proxy.calls()).as("a valid --status reads the account through the proxy").isNotEmpty();
        assertThat(proxy.mutatingCalls()).as("and changes nothing").isEmpty();
    }
}
