package dev.awshitbreaks.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.awshitbreaks.aws.AwsClients;
import dev.awshitbreaks.aws.AwsSettings;
import dev.awshitbreaks.core.EngineLog;
import dev.awshitbreaks.core.Json;
import dev.awshitbreaks.trigger.BudgetDescriber;
import dev.awshitbreaks.trigger.BudgetPeriod;
import dev.awshitbreaks.trigger.TriggerConfig;
import dev.awshitbreaks.trigger.TriggerStarter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * Subscribed to the alarm topic: an SNS event in, the brake state machine started (or not) per record,
 * the outcomes out (SNS ignores them; they are for logs and tests). The configuration is read at init,
 * so a bad {@code TRIGGER_*} variable fails the function's initialisation, naming the variable. A bad
 * message never throws (see {@link TriggerStarter}).
 */
public final class TriggerHandler implements RequestStreamHandler {
    static {
        SnapStartPriming.register();
    }

    private final TriggerStarter starter;

    public TriggerHandler() {
        this(System.getenv());
    }

    TriggerHandler(Map<String, String> env) {
        this(TriggerConfig.fromEnvironment(env), env);
    }

    private TriggerHandler(TriggerConfig config, Map<String, String> env) {
        this(config, clients(config, env));
    }

    private TriggerHandler(TriggerConfig config, AwsClients clients) {
        this(config, clients.sfn(), budgetPeriods(config, clients), FunctionLog.runtime());
    }

    /** A trigger that does not look budgets up: each budget's period is taken as a day. */
    public TriggerHandler(TriggerConfig config, SfnClient sfn, EngineLog log) {
        this(config, sfn, BudgetPeriod.Finder.NONE, log);
    }

    public TriggerHandler(TriggerConfig config, SfnClient sfn, BudgetPeriod.Finder budgetPeriods, EngineLog log) {
        this.starter = new TriggerStarter(sfn, config, budgetPeriods, log);
    }

    /** DescribeBudget in the topic's account, through the endpoint override for local runs. */
    static BudgetPeriod.Finder budgetPeriods(TriggerConfig config, AwsClients clients) {
        return new BudgetDescriber(clients.httpClient(), clients.credentialsProvider(), clients.settings().endpoint().orElse(null),
                config.topicAccount());
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        String event = new String(input.readAllBytes(), StandardCharsets.UTF_8);
        output.write(Json.write(Map.of("outcomes", starter.handle(event))).getBytes(StandardCharsets.UTF_8));
    }

    /** Step Functions in the state machine's own region; the endpoint override for local runs. */
    private static AwsClients clients(TriggerConfig config, Map<String, String> env) {
        String endpoint = env.get("HITBREAKS_ENDPOINT_URL");
        // The trigger touches neither table nor bucket; the names are carried only because AwsSettings requires them.
        return new AwsClients(new AwsSettings(endpoint == null || endpoint.isBlank() ? null : URI.create(endpoint),
                config.stateMachineRegion(), env.getOrDefault("SNAPSHOT_TABLE", "unused"),
                env.getOrDefault("SNAPSHOT_BUCKET", "unused")));
    }
}
