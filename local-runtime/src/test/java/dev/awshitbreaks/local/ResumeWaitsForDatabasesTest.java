package dev.awshitbreaks.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import dev.awshitbreaks.core.Json;
import dev.awshitbreaks.testing.MixedAccount;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The resume's wait loop in the real definition: compute is resumed only once the databases the resume
 * started are available, or after the loop's bound. moto starts a database at once, so a readiness
 * handler in front of the real one answers "starting" for the first checks, as RDS would for minutes.
 */
class ResumeWaitsForDatabasesTest {
    private static final String US = "us-east-1";
    private StateMachineFixture fx;
    private MixedAccount account;

    @BeforeEach
    void setUp() {
        fx = new StateMachineFixture();
        account = new MixedAccount(fx.moto.endpoint());
        System.setProperty(LocalStateMachine.WAIT_OVERRIDES_PROPERTY, "{\"WaitForDatabases\": 10}");
    }

    @AfterEach
    void tearDown() {
        System.clearProperty(LocalStateMachine.WAIT_OVERRIDES_PROPERTY);
        account.close();
        fx.close();
    }

    private static String request(String action) {
        return "{\"action\":\"" + action + "\",\"regions\":[\"" + US + "\"],\"services\":[\"ec2\",\"rds\"],\"trigger\":\"manual\"}";
    }

    @Test
    void computeIsResumedOnlyAfterTheDatabasesAreAvailable() {
        String db = account.rdsInstance(US, "orders-db", true, Map.of());
        String web = account.ec2Instance(US, "t3.micro", true, Map.of());
        ExecutionResult pause = fx.run(request("pause"));
        assertThat(pause.succeeded()).as("%s", pause).isTrue();
        assertThat(pause.count("StateEntered", "CheckDatabases")).as("a pause never waits").isZero();

        Map<String, RequestStreamHandler> handlers = fx.handlers();
        handlers.put(LocalStateMachine.READINESS_FUNCTION, new StartingFor(2, handlers.get(LocalStateMachine.READINESS_FUNCTION)));
        ExecutionResult resume = fx.run(request("resume"), handlers);

        assertThat(resume.succeeded()).as("%s", resume).isTrue();
        assertThat(resume.output().path("status").asText()).isEqualTo("resumed");
        assertThat(resume.count("StateEntered", "CheckDatabases")).isEqualTo(3);
        assertThat(resume.count("StateEntered", "WaitForDatabases")).isEqualTo(2);
        assertThat(order(resume, "RunFirstTargets")).isLessThan(lastCheck(resume));
        assertThat(lastCheck(resume)).as("compute only after the last check").isLessThan(order(resume, "RunSecondTargets"));
        assertThat(account.rds(US).describeDBInstances(b -> b.dbInstanceIdentifier(db)).dbInstances().get(0).dbInstanceStatus())
                .isEqualTo("available");
        assertThat(account.ec2(US).describeInstances(b -> b.instanceIds(web)).reservations().get(0).instances().get(0)
                .state().nameAsString()).isEqualTo("running");
    }

    @Test
    void aDatabaseThatNeverComesBackDoesNotKeepComputePausedForever() {
        account.rdsInstance(US, "stuck-db", true, Map.of());
        String web = account.ec2Instance(US, "t3.micro", true, Map.of());
        assertThat(fx.run(request("pause")).succeeded()).isTrue();

        Map<String, RequestStreamHandler> handlers = fx.handlers();
        handlers.put(LocalStateMachine.READINESS_FUNCTION, new StartingFor(Integer.MAX_VALUE, null));
        ExecutionResult resume = fx.run(request("resume"), handlers);

        assertThat(resume.succeeded()).as("%s", resume).isTrue();
        assertThat(resume.count("StateEntered", "CheckDatabases")).as("the loop's bound").isEqualTo(40);
        assertThat(account.ec2(US).describeInstances(b -> b.instanceIds(web)).reservations().get(0).instances().get(0)
                .state().nameAsString()).isEqualTo("running");
    }

    private static int order(ExecutionResult r, String state) {
        List<ExecutionResult.Event> h = r.history();
        for (int i = 0; i < h.size(); i++) {
            if ("StateEntered".equals(h.get(i).type()) && state.equals(h.get(i).state())) {
                return i;
            }
        }
        throw new AssertionError(state + " never entered");
    }

    private static int lastCheck(ExecutionResult r) {
        List<ExecutionResult.Event> h = r.history();
        int last = -1;
        for (int i = 0; i < h.size(); i++) {
            if ("StateExited".equals(h.get(i).type()) && "CheckDatabases".equals(h.get(i).state())) {
                last = i;
            }
        }
        return last;
    }

    /** Answers "still starting" for the first n checks, as RDS does while a database starts; then the real check. */
    private static final class StartingFor implements RequestStreamHandler {
        private final int n;
        private final RequestStreamHandler real;
        private final AtomicInteger calls = new AtomicInteger();

        StartingFor(int n, RequestStreamHandler real) {
            this.n = n;
            this.real = real;
        }

        @Override
        public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
            byte[] in = input.readAllBytes();
            if (calls.getAndIncrement() >= n) {
                real.handleRequest(new ByteArrayInputStream(in), output, context);
                return;
            }
            JsonNode req = Json.mapper().readTree(in);
            output.write(Json.write(Map.of("ready", false, "pending", List.of(US + "/rds/db: starting"),
                    "checks", req.path("checks").asInt() + 1)).getBytes(StandardCharsets.UTF_8));
        }
    }
}
