package dev.awshitbreaks.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.awshitbreaks.testing.EveryServiceAccount;
import dev.awshitbreaks.testing.FaultProxy;
import dev.awshitbreaks.testing.FaultProxy.HoldPoint;
import dev.awshitbreaks.testing.MixedAccount;
import dev.awshitbreaks.testing.MotoServer;
import dev.awshitbreaks.testing.ProvisionedConcurrencyStub;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Races between launcher runs in one account: two pauses started at once, a resume during a pause, a pause during
 * a resume. A run that is running is held still by the {@link FaultProxy} at its first resource-changing call, so
 * "during" is certain, not a matter of timing.
 */
class RacesTest {
    private static final List<String> REGIONS = List.of("us-east-1");
    private static final Duration WAIT = Duration.ofMinutes(3);

    private ProvisionedConcurrencyStub stub;
    private FaultProxy proxy;
    private MixedAccount account;
    private EveryServiceAccount every;
    private Map<String, String> before;

    @BeforeEach
    void setUp() {
        MotoServer moto = MotoServer.get();
        moto.reset();
        stub = ProvisionedConcurrencyStub.start(moto.endpoint());
        proxy = FaultProxy.builder(stub.endpoint()).start();
        account = new MixedAccount(stub.endpoint());
        every = new EveryServiceAccount(account);
        every.seed(REGIONS);
        before = account.observe(REGIONS);
        // the table and bucket exist before the races start
        assertThat(LauncherRun.local(proxy.endpoint(), "--discover", "--region", "us-east-1", "--yes").exit()).isZero();
    }

    @AfterEach
    void tearDown() {
        proxy.close();
        account.close();
        stub.close();
    }

    private CompletableFuture<LauncherRun> async(String... args) {
        return CompletableFuture.supplyAsync(() -> LauncherRun.local(proxy.endpoint(), args));
    }

    @Test
    void twoPausesStartedAtOnceLeaveOneSetOfOriginalStatesAndResumeRestoresThem() throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<LauncherRun>> runs = List.of(1, 2).stream().map(i -> CompletableFuture.supplyAsync(() -> {
            try {
                go.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return LauncherRun.local(proxy.endpoint(), EveryServiceAccount.pauseArgs("--region", "us-east-1", "--yes", "--output", "json"));
        })).toList();
        go.countDown();
        LauncherRun a = runs.get(0).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        LauncherRun b = runs.get(1).get(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertThat(List.of(a.exit(), b.exit())).as("%s%n%s", a.err(), b.err()).contains(ExitCode.OK)
                .allMatch(code -> code == ExitCode.OK || code == ExitCode.CONFLICT);
        for (LauncherRun r : List.of(a, b)) {
            if (r.exit() == ExitCode.CONFLICT) {
                assertThat(r.err()).contains("a pause is already running").containsPattern("operation pause-\\d{8}-\\d{6}-[0-9a-f]{6}")
                        .contains("since");
            }
        }
        assertThat(account.observe(REGIONS)).isEqualTo(every.expectedWhilePaused(before));
        JsonNode status = LauncherRun.local(proxy.endpoint(), "--status", "--output", "json").json();
        assertThat(status.path("operations")).filteredOn(op -> op.path("active").asBoolean()).hasSize(1);

        LauncherRun resume = LauncherRun.local(proxy.endpoint(), "--resume", "--yes");
        assertThat(resume.exit()).as(resume.err()).isEqualTo(ExitCode.OK);
        assertThat(account.observe(REGIONS)).as("exactly the one set of original states").isEqualTo(before);
    }

    @Test
    void aSecondPauseDuringAPauseIsRefusedSayingWhatRuns() throws Exception {
        FaultProxy.Hold hold = proxy.holdNth(1, FaultProxy.RESOURCE_CHANGING, HoldPoint.BEFORE_FORWARD);
        CompletableFuture<LauncherRun> first = async(EveryServiceAccount.pauseArgs("--region", "us-east-1", "--yes", "--output", "json"));
        assertThat(hold.awaitHeld(WAIT)).isTrue();

        LauncherRun second = LauncherRun.local(proxy.endpoint(), EveryServiceAccount.pauseArgs("--region", "us-east-1", "--yes"));
        hold.release();
        LauncherRun done = first.get(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertThat(second.exit()).as(second.err()).isEqualTo(ExitCode.CONFLICT);
        assertThat(second.err()).contains("a pause is already running in this account")
                .contains("operation " + done.json().path("operationId").asText()).contains("since").contains("process ");
        assertThat(done.exit()).as(done.err()).isEqualTo(ExitCode.OK);
        assertThat(account.observe(REGIONS)).isEqualTo(every.expectedWhilePaused(before));
        assertThat(LauncherRun.local(proxy.endpoint(), "--resume", "--yes").exit()).isZero();
        assertThat(account.observe(REGIONS)).isEqualTo(before);
    }

    @Test
    void aResumeDuringAPauseIsRefusedWithExitThreeSayingWhatRuns() throws Exception {
        FaultProxy.Hold hold = proxy.holdNth(1, FaultProxy.RESOURCE_CHANGING, HoldPoint.BEFORE_FORWARD);
        CompletableFuture<LauncherRun> pause = async(EveryServiceAccount.pauseArgs("--region", "us-east-1", "--yes", "--output", "json"));
        assertThat(hold.awaitHeld(WAIT)).isTrue();

        LauncherRun resume = LauncherRun.local(proxy.endpoint(), "--resume", "--yes");
        hold.release();
        LauncherRun paused = pause.get(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertThat(resume.exit()).as(resume.err()).isEqualTo(ExitCode.CONFLICT);
        assertThat(resume.err()).contains("a pause is already running in this account")
                .contains("operation " + paused.json().path("operationId").asText()).contains("since");
        assertThat(paused.exit()).as(paused.err()).isEqualTo(ExitCode.OK);
        assertThat(account.observe(REGIONS)).as("the refused resume changed nothing").isEqualTo(every.expectedWhilePaused(before));

        assertThat(LauncherRun.local(proxy.endpoint(), "--resume", "--yes").exit()).isZero();
        assertThat(account.observe(REGIONS)).isEqualTo(before);
    }

    @Test
    void aPauseDuringAResumeIsRefusedWithExitThreeSayingWhatRuns() throws Exception {
        assertThat(LauncherRun.local(proxy.endpoint(), EveryServiceAccount.pauseArgs("--region", "us-east-1", "--yes")).exit()).isZero();
        FaultProxy.Hold hold = proxy.holdNth(1, FaultProxy.RESOURCE_CHANGING, HoldPoint.BEFORE_FORWARD);
        CompletableFuture<LauncherRun> resume = async("--resume", "--yes", "--output", "json");
        assertThat(hold.awaitHeld(WAIT)).isTrue();

        LauncherRun pause = LauncherRun.local(proxy.endpoint(), EveryServiceAccount.pauseArgs("--region", "us-east-1", "--yes"));
        hold.release();
        LauncherRun resumed = resume.get(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertThat(pause.exit()).as(pause.err()).isEqualTo(ExitCode.CONFLICT);
        assertThat(pause.err()).contains("a resume is already running in this account")
                .contains("operation " + resumed.json().path("operationId").asText()).contains("since");
        assertThat(resumed.exit()).as(resumed.err()).isEqualTo(ExitCode.OK);
        assertThat(account.observe(REGIONS)).as("the refused pause changed nothing").isEqualTo(before);
    }
}
