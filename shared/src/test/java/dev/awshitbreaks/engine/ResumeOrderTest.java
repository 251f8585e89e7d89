package dev.awshitbreaks.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awshitbreaks.services.PausedResource;
import dev.awshitbreaks.core.Action;
import dev.awshitbreaks.core.OperationReport;
import dev.awshitbreaks.core.Request;
import dev.awshitbreaks.core.ResourceResult;
import dev.awshitbreaks.core.ServiceKind;
import dev.awshitbreaks.services.Discovered;
import dev.awshitbreaks.services.ResourceFilter;
import dev.awshitbreaks.services.ResourcePauser;
import dev.awshitbreaks.testing.MixedAccount;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An in-process resume brings databases back first and resumes compute only once they are available (or
 * after the bounded wait). moto starts a database at once, so the RDS pauser's readiness answer is held
 * back ("starting") for the first checks, as RDS would for minutes; everything else is real.
 */
class ResumeOrderTest {
    private static final String US = "us-east-1";
    private EngineFixture f;
    private MixedAccount account;

    @BeforeEach
    void setUp() {
        f = new EngineFixture();
        account = new MixedAccount(f.moto.endpoint());
    }

    private final List<String> events = Collections.synchronizedList(new ArrayList<>());

    private BrakeEngine engine(int startingChecks) {
        AtomicInteger checks = new AtomicInteger();
        return f.engine(p -> new ResourcePauser() {
            @Override
            public ServiceKind kind() {
                return p.kind();
            }

            @Override
            public List<Discovered> discover(String region, ResourceFilter filter) {
                return p.discover(region, filter);
            }

            @Override
            public List<ResourceResult> pause(String region, List<Discovered> eligible) {
                events.add("pause " + kind().id());
                return p.pause(region, eligible);
            }

            @Override
            public List<ResourceResult> resume(String region, List<PausedResource> records, boolean dryRun) {
                events.add("resume " + kind().id());
                return p.resume(region, records, dryRun);
            }

            @Override
            public Map<String, String> notReady(String region, List<PausedResource> resumed) {
                events.add("check " + kind().id());
                Map<String, String> real = p.notReady(region, resumed);
                return checks.getAndIncrement() < startingChecks ? Map.of(resumed.get(0).id(), "starting") : real;
            }
        });
    }

    private static Request request(Action action) {
        return new Request(action, List.of(US), List.of("ec2", "rds"), null, null, null, false, null, null);
    }

    @Test
    void computeIsPausedBeforeDatabasesAndResumedOnlyAfterTheyAreAvailable() {
        account.rdsInstance(US, "orders-db", true, Map.of());
        String web = f.account.runInstance(US, "t3.micro");
        List<List<String>> waits = new ArrayList<>();
        ProgressListener listener = new ProgressListener() {
            @Override
            public void waitingForDatabases(List<String> pending, boolean givingUp) {
                waits.add(pending);
            }
        };

        engine(2).run(request(Action.PAUSE), listener);
        assertThat(events).containsExactly("pause ec2", "pause rds");
        events.clear();

        OperationReport resume = engine(2).run(request(Action.RESUME), listener);

        assertThat(events).containsExactly("resume rds", "check rds", "check rds", "check rds", "resume ec2");
        assertThat(waits).hasSize(2).allSatisfy(p -> assertThat(p).singleElement().asString().contains("orders-db: starting"));
        assertThat(resume.status()).isEqualTo("resumed");
        assertThat(f.account.state(US, web)).isEqualTo("running");
    }

    @Test
    void aDatabaseThatNeverComesBackDoesNotKeepComputePausedForever() {
        account.rdsInstance(US, "stuck-db", true, Map.of());
        String web = f.account.runInstance(US, "t3.micro");
        engine(0).run(request(Action.PAUSE), ProgressListener.NONE);
        List<Boolean> givingUp = new ArrayList<>();

        engine(Integer.MAX_VALUE).run(request(Action.RESUME), new ProgressListener() {
            @Override
            public void waitingForDatabases(List<String> pending, boolean gaveUp) {
                givingUp.add(gaveUp);
            }
        });

        assertThat(givingUp).isNotEmpty().endsWith(true);
        assertThat(f.account.state(US, web)).as("compute resumed after the bounded wait").isEqualTo("running");
    }
}
