package dev.awshitbreaks.services;

import dev.awshitbreaks.aws.AwsClients;
import dev.awshitbreaks.core.Outcome;
import dev.awshitbreaks.core.ResourceResult;
import dev.awshitbreaks.core.ServiceKind;
import dev.awshitbreaks.services.OriginalState.ApiGatewayStage;
import dev.awshitbreaks.services.OriginalState.ApiGatewayStage.Throttle;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.GetAccountResponse;
import software.amazon.awssdk.services.apigateway.model.MethodSetting;
import software.amazon.awssdk.services.apigateway.model.Op;
import software.amazon.awssdk.services.apigateway.model.PatchOperation;
import software.amazon.awssdk.services.apigateway.model.RestApi;
import software.amazon.awssdk.services.apigateway.model.Stage;
import software.amazon.awssdk.services.apigatewayv2.ApiGatewayV2Client;
import software.amazon.awssdk.services.apigatewayv2.model.Api;
import software.amazon.awssdk.services.apigatewayv2.model.GetApisResponse;
import software.amazon.awssdk.services.apigatewayv2.model.GetStagesResponse;
import software.amazon.awssdk.services.apigatewayv2.model.RouteSettings;

/**
 * API Gateway stages: REST APIs (apigateway) and HTTP and WebSocket APIs (apigatewayv2), paused by throttling the
 * stage to rate 0 and burst 0 and resumed to exactly the throttling they had.
 *
 * <p>A REST stage's throttling is in its method settings: the key {@code *}{@code /*} is the stage-wide one, and a
 * method with a setting of its own ({@code resourcePath/httpMethod}, as GetStage shows the key) is not governed by
 * it. So the pause sets rate and burst to 0 on the stage-wide key and on every method setting with throttling of its
 * own, one UpdateStage of {@code replace /{key}/throttling/rateLimit} and {@code .../burstLimit} operations (the key
 * used verbatim in the path, as AWS documents: {@code /{method_setting_key}/throttling/burstLimit}). A stage that had
 * no stage-wide setting gets it back by {@code remove /*}{@code /*}, unless the setting the pause created has since
 * had logging, metrics or caching turned on: then only its throttling is set back, to the account-level throttle
 * (GetAccount), which is what having none meant.
 *
 * <p>An HTTP or WebSocket stage's throttling is in DefaultRouteSettings and, per route, RouteSettings; the pause
 * sets both limits to 0 on the default and on every route with throttling of its own (one UpdateStage carrying the
 * DefaultRouteSettings and those routes' settings whole, only the throttling changed). AWS cannot unset a limit once set (an omitted one becomes 0), so
 * a limit the stage did not have is restored to the region's account-level throttle, recorded by the pause.
 *
 * <p>Skipped with a reason: a stage tagged (or whose API is tagged) with the protect or the stack tag, the other
 * filters, and a stage already at rate 0 and burst 0 everywhere. Requests are billed per use: the estimate is
 * unknown, with that reason. A region costs ceil(R/500) GetRestApis + R GetStages for R REST APIs, and
 * ceil(H/100) GetApis + H GetStages (more for over 100 stages) for H HTTP and WebSocket APIs, plus one GetAccount
 * when a v2 stage lacks a limit.
 */
public final class ApiGatewayStagePauser implements ResourcePauser {
    static final String REST = "REST";
    static final String HTTP = "HTTP";
    static final String WEBSOCKET = "WEBSOCKET";
    /** The REST method-setting key of the stage-wide setting. */
    static final String STAGE_WIDE = "*/*";
    private static final int REST_PAGE = 500;
    private static final String V2_PAGE = "100";

    private final AwsClients clients;

    public ApiGatewayStagePauser(AwsClients clients, WaitSettings settings) {
        this.clients = clients;
    }

    @Override
    public ServiceKind kind() {
        return ServiceKind.APIGATEWAY;
    }

    /** A stage's throttling as read: the stage-wide setting (present or not) and every key with its own. */
    private record Seen(boolean stageWidePresent, Throttle stageDefault, boolean stageWideHasOtherSettings,
            Map<String, Throttle> overrides, RouteSettings v2Default, Map<String, RouteSettings> v2Routes) {
        Throttle get(String key) {
            return overrides.getOrDefault(key, Throttle.NONE);
        }
    }

    // ------------------------------------------------------------------ discovery

    @Override
    public List<Discovered> discover(String region, ResourceFilter filter) {
        List<Discovered> out = new ArrayList<>();
        ApiGatewayClient rest = clients.apiGateway(region);
        for (RestApi api : rest.getRestApisPaginator(b -> b.limit(REST_PAGE)).items()) {
            List<Stage> stages;
            try {
                stages = rest.getStages(b -> b.restApiId(api.id())).item();
            } catch (software.amazon.awssdk.services.apigateway.model.NotFoundException deletedSinceListed) {
                continue;
            }
            for (Stage stage : stages) {
                Map<String, String> tags = tags(api.tags(), stage.tags());
                if (!filter.selects(tags)) {
                    continue;
                }
                Seen seen = seen(stage);
                ApiGatewayStage original = new ApiGatewayStage(REST, api.id(), stage.stageName(), seen.stageDefault(),
                        seen.overrides(), null);
                out.add(discovered(region, filter, original, api.name(), tags, seen));
            }
        }
        ApiGatewayV2Client v2 = clients.apiGatewayV2(region);
        Throttle account = null;
        String accountUnreadable = null;
        String token = null;
        do {
            String page = token;
            GetApisResponse apis = v2.getApis(b -> b.maxResults(V2_PAGE).nextToken(page));
            for (Api api : apis.items()) {
                List<software.amazon.awssdk.services.apigatewayv2.model.Stage> stages;
                try {
                    stages = v2Stages(v2, api.apiId());
                } catch (software.amazon.awssdk.services.apigatewayv2.model.NotFoundException deletedSinceListed) {
                    continue;
                }
                String type = WEBSOCKET.equals(api.protocolTypeAsString()) ? WEBSOCKET : HTTP;
                for (var stage : stages) {
                    Map<String, String> tags = tags(api.tags(), stage.tags());
                    if (!filter.selects(tags)) {
                        continue;
                    }
                    Seen seen = seen(stage);
                    boolean needsAccount = hasUnset(seen.stageDefault()) || seen.overrides().values().stream().anyMatch(t -> hasUnset(t));
                    if (needsAccount && account == null && accountUnreadable == null) {
                        try {
                            account = accountThrottle(region);
                        } catch (SdkException e) {
                            accountUnreadable = ServiceErrors.describe(e);
                        }
                    }
                    ApiGatewayStage original = new ApiGatewayStage(type, api.apiId(), stage.stageName(), seen.stageDefault(),
                            seen.overrides(), needsAccount ? account : null);
                    Discovered d = discovered(region, filter, original, api.name(), tags, seen);
                    if (d.eligible() && needsAccount && account == null) {
                        d = new Discovered(d.service(), region, d.id(), d.type(), d.name(), tags, original,
                                "the stage has no throttling of its own, which AWS cannot take away again once set, and the "
                                        + "account-level throttle it would be restored to cannot be read (GetAccount: "
                                        + accountUnreadable + ")");
                    }
                    out.add(d);
                }
            }
            token = apis.nextToken();
        } while (token != null && !token.isEmpty());
        return out;
    }

    private static List<software.amazon.awssdk.services.apigatewayv2.model.Stage> v2Stages(ApiGatewayV2Client v2, String apiId) {
        List<software.amazon.awssdk.services.apigatewayv2.model.Stage> out = new ArrayList<>();
        String token = null;
        do {
            String page = token;
            GetStagesResponse r = v2.getStages(b -> b.apiId(apiId).maxResults(V2_PAGE).nextToken(page));
            out.addAll(r.items());
            token = r.nextToken();
        } while (token != null && !token.isEmpty());
        return out;
    }

    private static Discovered discovered(String region, ResourceFilter filter, ApiGatewayStage original, String apiName,
            Map<String, String> tags, Seen seen) {
        String id = id(original);
        String reason = filter.exclusion(id, tags).orElseGet(() -> stopped(original.apiType(), seen)
                ? "already throttled: rate 0 and burst 0 on the stage and on every " + (REST.equals(original.apiType())
                        ? "method" : "route") + " with throttling of its own"
                : null);
        return new Discovered(ServiceKind.APIGATEWAY, region, id, type(original.apiType()),
                (apiName == null ? original.apiId() : apiName) + "/" + original.stageName(), tags, original, reason);
    }

    /** True when nothing gets through the stage: its stage-wide setting and every override at rate 0 and burst 0. */
    private static boolean stopped(String apiType, Seen seen) {
        return (seen.stageWidePresent() || !REST.equals(apiType)) && seen.stageDefault().isStopped()
                && seen.overrides().values().stream().allMatch(Throttle::isStopped);
    }

    // ------------------------------------------------------------------ pause

    @Override
    public List<ResourceResult> pause(String region, List<Discovered> eligible) {
        List<ResourceResult> out = new ArrayList<>();
        for (Discovered d : eligible) {
            ApiGatewayStage o = (ApiGatewayStage) d.original();
            try {
                // a REST stage is patched by key, as discovery saw it; a v2 stage's route settings are sent whole,
                // so they are read first
                Seen before = REST.equals(o.apiType()) ? null : read(region, o);
                if (!REST.equals(o.apiType()) && before == null) {
                    out.add(result(d, Outcome.FAILED, "the stage no longer exists; nothing changed"));
                    continue;
                }
                Map<String, Throttle> targets = new TreeMap<>();
                if (before != null) {
                    before.overrides().forEach((k, t) -> targets.put(k, Throttle.STOPPED));
                }
                o.overrides().keySet().forEach(k -> targets.put(k, Throttle.STOPPED));
                try {
                    write(region, o, before, Throttle.STOPPED, false, targets);
                } catch (software.amazon.awssdk.services.apigateway.model.NotFoundException gone) {
                    out.add(result(d, Outcome.FAILED, "the stage no longer exists; nothing changed ("
                            + ServiceErrors.describe(gone) + ")"));
                    continue;
                }
                Seen after = read(region, o);
                List<String> notStopped = new ArrayList<>();
                if (after == null) {
                    out.add(result(d, Outcome.FAILED, "UpdateStage was acknowledged, but the stage no longer exists"));
                    continue;
                }
                if (!after.stageDefault().isStopped()) {
                    notStopped.add("the stage (" + after.stageDefault() + ")");
                }
                targets.keySet().stream().filter(k -> !after.get(k).isStopped())
                        .forEach(k -> notStopped.add(k + " (" + after.get(k) + ")"));
                out.add(notStopped.isEmpty() ? result(d, Outcome.PAUSED, null)
                        : result(d, Outcome.FAILED, "UpdateStage was acknowledged, but GetStage shows throttling not at 0 on "
                                + String.join(", ", notStopped) + "; run the pause again"));
            } catch (SdkException e) {
                out.add(result(d, Outcome.FAILED, ServiceErrors.describe(e)));
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ resume

    @Override
    public List<ResourceResult> resume(String region, List<PausedResource> records, boolean dryRun) {
        List<ResourceResult> out = new ArrayList<>();
        for (PausedResource r : records) {
            ApiGatewayStage o = r.original(ApiGatewayStage.class);
            try {
                out.add(resumeOne(region, r, o, dryRun));
            } catch (SdkException e) {
                out.add(result(r, Outcome.FAILED, ServiceErrors.describe(e)));
            }
        }
        return out;
    }

    private ResourceResult resumeOne(String region, PausedResource r, ApiGatewayStage o, boolean dryRun) {
        boolean rest = REST.equals(o.apiType());
        if (!rest && !HTTP.equals(o.apiType()) && !WEBSOCKET.equals(o.apiType())) {
            return result(r, Outcome.FAILED, "the snapshot record's apiType " + o.apiType() + " is not REST, HTTP or WEBSOCKET; "
                    + "record left as it is");
        }
        Seen now = read(region, o);
        if (now == null) {
            return result(r, Outcome.SKIPPED, "drift: the stage no longer exists; nothing to resume");
        }
        // What each setting is to become, and which of them were changed since the pause (left as they are).
        Throttle account = o.accountDefault();
        boolean removeStageWide = false;
        Throttle stageTarget;
        List<String> drift = new ArrayList<>();
        List<String> toRestore = new ArrayList<>();
        if (rest && o.stageDefault().isNone()) {
            if (!now.stageWidePresent()) {
                stageTarget = null; // already as it was: no stage-wide setting
            } else if (!now.stageDefault().isStopped()) {
                drift.add("the stage-wide setting is now " + now.stageDefault());
                stageTarget = null;
            } else if (now.stageWideHasOtherSettings()) {
                account = account != null ? account : accountThrottle(region);
                stageTarget = account;
                toRestore.add("the stage (the account-level " + account + ": its stage-wide setting has other settings now)");
            } else {
                removeStageWide = true;
                stageTarget = null;
                toRestore.add("the stage (no stage-wide setting, as before)");
            }
        } else {
            Throttle want = filled(o.stageDefault(), account);
            if (want == null) {
                return result(r, Outcome.FAILED, "the snapshot record lacks the account-level throttle its unset limits are "
                        + "restored to (accountDefault); record left as it is");
            }
            if (same(now.stageDefault(), want)) {
                stageTarget = null;
            } else if (!now.stageDefault().isStopped()) {
                drift.add("the stage's throttling is now " + now.stageDefault());
                stageTarget = null;
            } else {
                stageTarget = want;
                toRestore.add("the stage (" + want + ")");
            }
        }
        Map<String, Throttle> targets = new TreeMap<>();
        for (Map.Entry<String, Throttle> e : o.overrides().entrySet()) {
            Throttle want = rest ? e.getValue() : filled(e.getValue(), account);
            if (want == null) {
                return result(r, Outcome.FAILED, "the snapshot record lacks the account-level throttle its unset limits are "
                        + "restored to (accountDefault); record left as it is");
            }
            Throttle current = now.get(e.getKey());
            if (sameSet(current, want)) {
                continue;
            }
            if (!current.isStopped()) {
                drift.add(e.getKey() + " is now " + current);
                continue;
            }
            targets.put(e.getKey(), want);
            toRestore.add(e.getKey() + " (" + want + ")");
        }
        String driftNote = drift.isEmpty() ? null : "drift: changed since the pause, left as they are: " + String.join("; ", drift);
        if (toRestore.isEmpty()) {
            if (!drift.isEmpty()) {
                return result(r, Outcome.SKIPPED, driftNote);
            }
            return result(r, dryRun ? Outcome.SKIPPED : Outcome.RESUMED, "already has the throttling it had before the pause");
        }
        if (dryRun) {
            return result(r, Outcome.WOULD_RESUME, driftNote);
        }
        write(region, o, now, stageTarget, removeStageWide, targets);
        Seen after = read(region, o);
        if (after == null) {
            return result(r, Outcome.FAILED, "UpdateStage was acknowledged, but the stage no longer exists");
        }
        List<String> wrong = new ArrayList<>();
        if (removeStageWide && after.stageWidePresent()) {
            wrong.add("the stage-wide setting is still there (" + after.stageDefault() + ")");
        }
        if (stageTarget != null && !same(after.stageDefault(), stageTarget)) {
            wrong.add("the stage shows " + after.stageDefault() + " (wanted " + stageTarget + ")");
        }
        targets.forEach((k, want) -> {
            if (!sameSet(after.get(k), want)) {
                wrong.add(k + " shows " + after.get(k) + " (wanted " + want + ")");
            }
        });
        if (!wrong.isEmpty()) {
            return result(r, Outcome.FAILED, "UpdateStage was acknowledged, but GetStage shows: " + String.join("; ", wrong)
                    + "; its record stays resumable");
        }
        return result(r, Outcome.RESUMED, driftNote);
    }

    // ------------------------------------------------------------------ reading and writing a stage

    /** The stage's throttling now, or null when the stage (or its API) no longer exists. */
    private Seen read(String region, ApiGatewayStage o) {
        if (REST.equals(o.apiType())) {
            try {
                var s = clients.apiGateway(region).getStage(b -> b.restApiId(o.apiId()).stageName(o.stageName()));
                return seen(Stage.builder().stageName(s.stageName()).methodSettings(s.methodSettings()).build());
            } catch (software.amazon.awssdk.services.apigateway.model.NotFoundException gone) {
                return null;
            }
        }
        try {
            var s = clients.apiGatewayV2(region).getStage(b -> b.apiId(o.apiId()).stageName(o.stageName()));
            return seen(software.amazon.awssdk.services.apigatewayv2.model.Stage.builder()
                    .defaultRouteSettings(s.defaultRouteSettings()).routeSettings(s.routeSettings()).build());
        } catch (software.amazon.awssdk.services.apigatewayv2.model.NotFoundException gone) {
            return null;
        }
    }

    /**
     * One UpdateStage: the stage-wide setting to {@code stageTarget} (unless null), or removed; each key of
     * {@code targets} to its throttle. A REST stage gets patch operations ({@code now} unused, may be null); an HTTP or
     * WebSocket stage gets its DefaultRouteSettings and the targeted routes' settings as {@code now} read them, only
     * these limits changed.
     */
    private void write(String region, ApiGatewayStage o, Seen now, Throttle stageTarget, boolean removeStageWide,
            Map<String, Throttle> targets) {
        if (REST.equals(o.apiType())) {
            List<PatchOperation> ops = new ArrayList<>();
            if (removeStageWide) {
                ops.add(PatchOperation.builder().op(Op.REMOVE).path("/" + STAGE_WIDE).build());
            } else if (stageTarget != null) {
                ops.addAll(throttleOps(STAGE_WIDE, stageTarget));
            }
            targets.forEach((k, t) -> ops.addAll(throttleOps(k, t)));
            if (!ops.isEmpty()) {
                clients.apiGateway(region).updateStage(b -> b.restApiId(o.apiId()).stageName(o.stageName()).patchOperations(ops));
            }
            return;
        }
        ApiGatewayV2Client v2 = clients.apiGatewayV2(region);
        RouteSettings defaults = now.v2Default() == null ? RouteSettings.builder().build() : now.v2Default();
        if (stageTarget != null) {
            defaults = defaults.toBuilder().throttlingRateLimit(stageTarget.rateLimit())
                    .throttlingBurstLimit(stageTarget.burstLimit()).build();
        }
        // UpdateStage merges RouteSettings by route key (a route left out keeps its settings; DeleteRouteSettings is
        // what removes one), so only the routes changed are sent, each with its other settings as they are.
        Map<String, RouteSettings> all = now.v2Routes() == null ? Map.of() : now.v2Routes();
        Map<String, RouteSettings> routes = new LinkedHashMap<>();
        targets.forEach((k, t) -> {
            RouteSettings was = all.getOrDefault(k, RouteSettings.builder().build());
            routes.put(k, was.toBuilder().throttlingRateLimit(t.rateLimit()).throttlingBurstLimit(t.burstLimit()).build());
        });
        RouteSettings d = defaults;
        v2.updateStage(b -> b.apiId(o.apiId()).stageName(o.stageName()).defaultRouteSettings(d).routeSettings(routes));
    }

    /** The two replace operations that set a REST method setting's limits (a null limit is left out). */
    private static List<PatchOperation> throttleOps(String key, Throttle t) {
        List<PatchOperation> ops = new ArrayList<>();
        if (t.rateLimit() != null) {
            ops.add(PatchOperation.builder().op(Op.REPLACE).path("/" + key + "/throttling/rateLimit")
                    .value(Double.toString(t.rateLimit())).build());
        }
        if (t.burstLimit() != null) {
            ops.add(PatchOperation.builder().op(Op.REPLACE).path("/" + key + "/throttling/burstLimit")
                    .value(Integer.toString(t.burstLimit())).build());
        }
        return ops;
    }

    private static Seen seen(Stage stage) {
        Map<String, MethodSetting> settings = stage.methodSettings() == null ? Map.of() : stage.methodSettings();
        MethodSetting wide = settings.get(STAGE_WIDE);
        Map<String, Throttle> overrides = new TreeMap<>();
        settings.forEach((k, m) -> {
            if (!STAGE_WIDE.equals(k) && m != null && (m.throttlingRateLimit() != null || m.throttlingBurstLimit() != null)) {
                overrides.put(k, new Throttle(m.throttlingRateLimit(), m.throttlingBurstLimit()));
            }
        });
        boolean other = wide != null && (Boolean.TRUE.equals(wide.metricsEnabled()) || Boolean.TRUE.equals(wide.dataTraceEnabled())
                || Boolean.TRUE.equals(wide.cachingEnabled())
                || (wide.loggingLevel() != null && !"OFF".equalsIgnoreCase(wide.loggingLevel())));
        return new Seen(wide != null, wide == null ? Throttle.NONE : new Throttle(wide.throttlingRateLimit(), wide.throttlingBurstLimit()),
                other, overrides, null, null);
    }

    private static Seen seen(software.amazon.awssdk.services.apigatewayv2.model.Stage stage) {
        RouteSettings d = stage.defaultRouteSettings();
        Map<String, Throttle> overrides = new TreeMap<>();
        if (stage.routeSettings() != null) {
            stage.routeSettings().forEach((k, s) -> {
                if (s != null && (s.throttlingRateLimit() != null || s.throttlingBurstLimit() != null)) {
                    overrides.put(k, new Throttle(s.throttlingRateLimit(), s.throttlingBurstLimit()));
                }
            });
        }
        return new Seen(true, d == null ? Throttle.NONE : new Throttle(d.throttlingRateLimit(), d.throttlingBurstLimit()), false,
                overrides, d, stage.routeSettings());
    }

    /** The region's account-level throttle (GetAccount). */
    private Throttle accountThrottle(String region) {
        GetAccountResponse a = clients.apiGateway(region).getAccount(b -> { });
        if (a.throttleSettings() == null || a.throttleSettings().rateLimit() == null || a.throttleSettings().burstLimit() == null) {
            throw SdkException.builder().message("GetAccount answered without throttleSettings").build();
        }
        return new Throttle(a.throttleSettings().rateLimit(), a.throttleSettings().burstLimit());
    }

    // ------------------------------------------------------------------ helpers

    private static boolean hasUnset(Throttle t) {
        return t.rateLimit() == null || t.burstLimit() == null;
    }

    /** The throttle with its unset limits taken from the account's; null when one is unset and the account's is unknown. */
    private static Throttle filled(Throttle t, Throttle account) {
        if (!hasUnset(t)) {
            return t;
        }
        if (account == null) {
            return null;
        }
        return new Throttle(t.rateLimit() != null ? t.rateLimit() : account.rateLimit(),
                t.burstLimit() != null ? t.burstLimit() : account.burstLimit());
    }

    private static boolean same(Throttle a, Throttle b) {
        return Objects.equals(a.rateLimit(), b.rateLimit()) && Objects.equals(a.burstLimit(), b.burstLimit());
    }

    /** Equal in every limit {@code want} sets (a REST override's unset limit is not written, so not compared). */
    private static boolean sameSet(Throttle current, Throttle want) {
        return (want.rateLimit() == null || Objects.equals(current.rateLimit(), want.rateLimit()))
                && (want.burstLimit() == null || Objects.equals(current.burstLimit(), want.burstLimit()));
    }

    /** The API's tags with the stage's over them: a protect tag on either protects the stage. */
    private static Map<String, String> tags(Map<String, String> api, Map<String, String> stage) {
        Map<String, String> out = new TreeMap<>();
        if (api != null) {
            out.putAll(api);
        }
        if (stage != null) {
            out.putAll(stage);
        }
        return out;
    }

    static String id(ApiGatewayStage o) {
        return o.apiId() + "/" + o.stageName();
    }

    static String type(String apiType) {
        return switch (apiType) {
            case REST -> "rest-api-stage";
            case WEBSOCKET -> "websocket-api-stage";
            default -> "http-api-stage";
        };
    }

    private static ResourceResult result(Discovered d, Outcome outcome, String reason) {
        return new ResourceResult(ServiceKind.APIGATEWAY, d.region(), d.id(), d.type(), d.name(), outcome, reason);
    }

    private static ResourceResult result(PausedResource r, Outcome outcome, String reason) {
        return new ResourceResult(ServiceKind.APIGATEWAY, r.region(), r.id(), r.type(), r.name(), outcome, reason);
    }
}
