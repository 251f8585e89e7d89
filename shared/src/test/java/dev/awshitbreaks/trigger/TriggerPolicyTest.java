package dev.awshitbreaks.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.awshitbreaks.core.Json;
import dev.awshitbreaks.core.Request;
import dev.awshitbreaks.trigger.TriggerPolicy.Decision;
import dev.awshitbreaks.trigger.TriggerPolicy.Verdict;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TriggerPolicyTest {
    private static final String TOPIC = TriggerConfigTest.TOPIC;
    private static final Instant NOV = Instant.parse("2026-11-25T15:56:27.357Z");

    /** A policy whose budgets are all monthly (as DescribeBudget would say; the decision itself makes no call). */
    private static TriggerPolicy policy(String... env) {
        return new TriggerPolicy(TriggerConfig.fromEnvironment(TriggerConfigTest.env(env)),
                name -> BudgetPeriod.Lookup.found(BudgetPeriod.MONTHLY));
    }

    @Test
    void aBudgetWhosePeriodIsUnknownIsDeDuplicatedPerDayAndSaysSo() {
        Decision d = new TriggerPolicy(TriggerConfig.fromEnvironment(TriggerConfigTest.env()))
                .decide(sns(budget("prod-monthly", "ACTUAL")));
        assertThat(d.executionName()).isEqualTo("budget-prod-monthly-actual-1000p00-2026-11-25");
        assertThat(d.reason()).contains("taken as a day");
    }

    @Test
    void withResumeAtNextPeriodABudgetPauseCarriesTheNextPeriodsStartAndNothingElseDoes() throws Exception {
        Decision d = policy(TriggerConfig.RESUME_AT_NEXT_PERIOD, "true").decide(sns(budget("prod-monthly", "ACTUAL")));
        assertThat(Json.mapper().readTree(d.input()).path("resumeAt").asText()).isEqualTo("2026-12-01T00:00:00Z");
        assertThat(d.reason()).contains("resume at the next period's start, 2026-12-01T00:00:00Z");

        // off (the default), a dry run, or a budget whose time unit is unknown: no resume time
        assertThat(Json.mapper().readTree(policy().decide(sns(budget("prod-monthly", "ACTUAL"))).input()).has("resumeAt")).isFalse();
        assertThat(Json.mapper().readTree(policy(TriggerConfig.RESUME_AT_NEXT_PERIOD, "true", TriggerConfig.DRY_RUN, "true")
                .decide(sns(budget("prod-monthly", "ACTUAL"))).input()).has("resumeAt")).isFalse();
        Decision unknown = new TriggerPolicy(TriggerConfig.fromEnvironment(TriggerConfigTest.env(TriggerConfig.RESUME_AT_NEXT_PERIOD, "true")))
                .decide(sns(budget("prod-monthly", "ACTUAL")));
        assertThat(Json.mapper().readTree(unknown.input()).has("resumeAt")).isFalse();
        assertThat(unknown.reason()).contains("no resume scheduled: the budget's time unit is unknown");
    }

    @Test
    void eachTimeUnitNamesItsCalendarPeriod() {
        java.time.LocalDate day = java.time.LocalDate.of(2026, 2, 28);
        assertThat(BudgetPeriod.DAILY.label(day)).isEqualTo("2026-02-28");
        assertThat(BudgetPeriod.MONTHLY.label(day)).isEqualTo("2026-02");
        assertThat(BudgetPeriod.QUARTERLY.label(day)).isEqualTo("2026-Q1");
        assertThat(BudgetPeriod.QUARTERLY.label(java.time.LocalDate.of(2026, 10, 1))).isEqualTo("2026-Q4");
        assertThat(BudgetPeriod.ANNUALLY.label(day)).isEqualTo("2026");
        assertThat(BudgetPeriod.ofTimeUnit("QUARTERLY")).contains(BudgetPeriod.QUARTERLY);
        assertThat(BudgetPeriod.ofTimeUnit("CUSTOM")).isEmpty();
    }

    private static SnsNotification sns(String message) {
        return new SnsNotification(TOPIC, "m-1", null, message, NOV);
    }

    private static String budget(String name, String type) {
        return "AWS Budget Notification November 25, 2026\nAWS Account 123456789012\n\nBudget Name: " + name
                + "\nBudget Type: Cost\nAlert Type: " + type + "\nAlert Threshold: > $1,000.00\n" + type + " Amount: $1,036.69\n";
    }

    @Test
    void anActualBudgetStartsAPauseNamedAfterBudgetTypeThresholdAndMonth() throws Exception {
        Decision d = policy().decide(sns(budget("prod-monthly", "ACTUAL")));
        assertThat(d.verdict()).isEqualTo(Verdict.START);
        assertThat(d.executionName()).isEqualTo("budget-prod-monthly-actual-1000p00-2026-11");
        assertThat(d.trigger()).isEqualTo("budget:prod-monthly");
        JsonNode input = Json.mapper().readTree(d.input());
        assertThat(input.path("action").asText()).isEqualTo("pause");
        assertThat(input.path("regions").toString()).isEqualTo("[\"all\"]");
        assertThat(input.path("services")).as("every service").hasSize(dev.awshitbreaks.core.ServiceKind.values().length);
        assertThat(input.path("dryRun").asBoolean()).isFalse();
        assertThat(Request.fromJson(d.input()).validated().trigger()).as("a valid request document").isEqualTo("budget:prod-monthly");
    }

    @Test
    void theSameAlertNextMonthOrAtAnotherThresholdIsAnotherPause() {
        TriggerPolicy p = policy();
        String nov = p.decide(sns(budget("b", "ACTUAL"))).executionName();
        String dec = p.decide(new SnsNotification(TOPIC, "m-2", null, budget("b", "ACTUAL"), Instant.parse("2026-12-01T00:00:01Z")))
                .executionName();
        String other = p.decide(sns(budget("b", "ACTUAL").replace("> $1,000.00", "> $2,000.00"))).executionName();
        assertThat(nov).isNotEqualTo(dec).isNotEqualTo(other);
        assertThat(p.decide(sns(budget("b", "ACTUAL"))).executionName()).isEqualTo(nov);
    }

    @Test
    void withoutAnSnsTimestampTheNotificationDateGivesThePeriod() {
        Decision d = policy().decide(new SnsNotification(TOPIC, "m", null, budget("b", "ACTUAL"), null));
        assertThat(d.executionName()).endsWith("-2026-11");
        Decision none = policy().decide(new SnsNotification(TOPIC, "m", null, "Budget Name: b\nAlert Type: ACTUAL\n", null));
        assertThat(none.verdict()).isEqualTo(Verdict.UNREADABLE);
        assertThat(none.reason()).contains("budget period");
    }

    @Test
    void forecastedAlertsStartOnlyWhenConfigured() {
        assertThat(policy().decide(sns(budget("b", "FORECASTED"))).verdict()).isEqualTo(Verdict.IGNORED);
        Decision d = policy(TriggerConfig.ALERT_TYPES, "ACTUAL,FORECASTED").decide(sns(budget("b", "FORECASTED")));
        assertThat(d.verdict()).isEqualTo(Verdict.START);
        assertThat(d.executionName()).contains("forecasted");
    }

    @Test
    void utilizationBudgetsNeverStart() {
        String ri = budget("ri", "ACTUAL").replace("Budget Type: Cost", "Budget Type: RI Utilization");
        assertThat(policy().decide(sns(ri)).verdict()).isEqualTo(Verdict.IGNORED);
    }

    @Test
    void theNameListFiltersBudgetsAlarmsAndAnomalyMonitors() {
        TriggerPolicy p = policy(TriggerConfig.BUDGETS, "prod-monthly,billing-over-100,services-monitor");
        assertThat(p.decide(sns(budget("prod-monthly", "ACTUAL"))).verdict()).isEqualTo(Verdict.START);
        Decision other = p.decide(sns(budget("sandbox", "ACTUAL")));
        assertThat(other.verdict()).isEqualTo(Verdict.IGNORED);
        assertThat(other.reason()).contains("TRIGGER_BUDGETS");
        assertThat(p.decide(sns(alarm("billing-over-100", "ALARM"))).verdict()).isEqualTo(Verdict.START);
        assertThat(p.decide(sns(alarm("cpu-high", "ALARM"))).verdict()).isEqualTo(Verdict.IGNORED);
        assertThat(p.decide(sns("{\"anomalyId\":\"a1\",\"monitorName\":\"services-monitor\"}")).verdict()).isEqualTo(Verdict.START);
        assertThat(p.decide(sns("{\"anomalyId\":\"a1\",\"monitorName\":\"tag-monitor\"}")).verdict()).isEqualTo(Verdict.IGNORED);
    }

    private static String alarm(String name, String state) {
        return "{\"AlarmName\":\"" + name + "\",\"AWSAccountId\":\"123456789012\",\"NewStateValue\":\"" + state
                + "\",\"StateChangeTime\":\"2026-11-25T15:06:12.345+0000\",\"Trigger\":{\"MetricName\":\"EstimatedCharges\"}}";
    }

    @Test
    void alarmsStartOnlyInAlarmStateNamedByTheirStateChangeTime() {
        Decision d = policy().decide(sns(alarm("billing-over-100", "ALARM")));
        assertThat(d.verdict()).isEqualTo(Verdict.START);
        assertThat(d.executionName()).isEqualTo("alarm-billing-over-100-20261125T150612345Z");
        assertThat(d.trigger()).isEqualTo("alarm:billing-over-100");
        assertThat(policy().decide(sns(alarm("billing-over-100", "OK"))).verdict()).isEqualTo(Verdict.IGNORED);
        assertThat(policy().decide(sns(alarm("billing-over-100", "INSUFFICIENT_DATA"))).verdict()).isEqualTo(Verdict.IGNORED);
    }

    @Test
    void anomaliesStartNamedByTheirId() {
        Decision d = policy().decide(sns("{\"accountId\":\"123456789012\",\"anomalyId\":\"12345678-abcd\",\"impact\":{\"totalImpact\":1001}}"));
        assertThat(d.verdict()).isEqualTo(Verdict.START);
        assertThat(d.executionName()).isEqualTo("anomaly-12345678-abcd");
        assertThat(d.trigger()).isEqualTo("anomaly:12345678-abcd");
        assertThat(d.reason()).contains("1001");
    }

    @Test
    void anotherTopicOrAnotherAccountIsRefused() {
        Decision topic = policy().decide(new SnsNotification("arn:aws:sns:us-east-1:123456789012:other", "m", null,
                budget("b", "ACTUAL"), NOV));
        assertThat(topic.verdict()).isEqualTo(Verdict.REFUSED);
        assertThat(topic.reason()).contains(":other");
        Decision account = policy().decide(sns(budget("b", "ACTUAL").replace("123456789012", "210987654321")));
        assertThat(account.verdict()).isEqualTo(Verdict.REFUSED);
        assertThat(account.reason()).contains("210987654321");
    }

    @Test
    void dryRunConfigurationMakesEveryStartADryRunWithTheConfiguredScope() throws Exception {
        Decision d = policy(TriggerConfig.DRY_RUN, "true", TriggerConfig.REGIONS, "eu-west-1", TriggerConfig.SERVICES, "ec2")
                .decide(sns(budget("b", "ACTUAL")));
        JsonNode input = Json.mapper().readTree(d.input());
        assertThat(input.path("dryRun").asBoolean()).isTrue();
        assertThat(input.path("regions").toString()).isEqualTo("[\"eu-west-1\"]");
        assertThat(input.path("services").toString()).isEqualTo("[\"ec2\"]");
    }

    @Test
    void triggersKeepToTheRequestsAllowedCharacters() {
        Decision d = policy().decide(sns(budget("Prod (EU) — 2026", "ACTUAL")));
        assertThat(d.verdict()).isEqualTo(Verdict.START);
        assertThat(d.trigger()).isEqualTo("budget:Prod -EU- - 2026");
        assertThat(d.executionName()).matches("budget-Prod-EU-2026-actual-1000p00-2026-11-[0-9a-f]{8}");
    }

    @Test
    void unreadableMessagesAreUnreadable() {
        Decision d = policy().decide(sns("Hello from a test publish"));
        assertThat(d.verdict()).isEqualTo(Verdict.UNREADABLE);
        assertThat(d.reason()).contains("Budget Name");
    }
}
