package dev.awshitbreaks.trigger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.awshitbreaks.trigger.AlarmMessage.BudgetAlert;
import dev.awshitbreaks.trigger.AlarmMessage.CloudWatchAlarm;
import dev.awshitbreaks.trigger.AlarmMessage.CostAnomaly;
import dev.awshitbreaks.trigger.TriggerConfig.AlertType;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class AlarmMessageTest {
    /** As AWS Budgets publishes it (plain text; this is the documented layout). */
    static final String BUDGET_ACTUAL = """
            AWS Budget Notification October 28, 2019
            AWS Account 123456789012

            Dear AWS Customer,

            You requested that we alert you when the ACTUAL Cost associated with your billingThree budget is greater than $24.00 \
            for the current month. The ACTUAL Cost associated with this budget is $36.69. You can find additional details below \
            and by accessing the AWS Budgets dashboard [1].

            Budget Name: billingThree
            Budget Type: Cost
            Budgeted Amount: $30.00
            Alert Type: ACTUAL
            Alert Threshold: > $24.00
            ACTUAL Amount: $36.69

            [1] https://console.aws.amazon.com/billing/home#/budgets
            """;

    @Test
    void readsAnActualBudgetNotification() {
        BudgetAlert b = (BudgetAlert) AlarmMessage.parse(BUDGET_ACTUAL);
        assertThat(b.budgetName()).isEqualTo("billingThree");
        assertThat(b.budgetType()).isEqualTo("Cost");
        assertThat(b.alertType()).isEqualTo(AlertType.ACTUAL);
        assertThat(b.threshold()).isEqualTo("> $24.00");
        assertThat(b.thresholdValue()).isEqualByComparingTo("24.00");
        assertThat(b.thresholdPercent()).isFalse();
        assertThat(b.budgetedAmount()).isEqualByComparingTo("30.00");
        assertThat(b.amount()).isEqualByComparingTo("36.69");
        assertThat(b.notificationDate()).isEqualTo(LocalDate.of(2019, 10, 28));
        assertThat(b.accountId()).contains("123456789012");
        assertThat(b.name()).isEqualTo("billingThree");
    }

    @Test
    void readsAForecastedBudgetWithSpacesInItsNameAndCommasInItsAmounts() {
        String text = "AWS Budget Notification May 04, 2020\r\nAWS Account 123456789012\r\n\r\n"
                + "Budget Name: Development EC2 Monthly Budget\r\nBudget Type: Cost\r\nBudgeted Amount: $12,500.00\r\n"
                + "Alert Type: FORECASTED\r\nAlert Threshold: > $10,000.00\r\nFORECASTED Amount: $1,234,567.89 \r\n";
        BudgetAlert b = (BudgetAlert) AlarmMessage.parse(text);
        assertThat(b.budgetName()).isEqualTo("Development EC2 Monthly Budget");
        assertThat(b.alertType()).isEqualTo(AlertType.FORECASTED);
        assertThat(b.thresholdValue()).isEqualByComparingTo("10000.00");
        assertThat(b.budgetedAmount()).isEqualByComparingTo("12500.00");
        assertThat(b.amount()).isEqualByComparingTo(new BigDecimal("1234567.89"));
        assertThat(b.notificationDate()).isEqualTo(LocalDate.of(2020, 5, 4));
    }

    @Test
    void toleratesExtraWhitespaceAndLowerCaseValues() {
        String text = "\n\n   Budget Name:     prod-monthly   \n  Budget   Type :  Cost\n\tAlert Type:   actual  \n"
                + "   Alert Threshold :   >   $ 1,000   \n  ACTUAL Amount:$1,036.69\n";
        BudgetAlert b = (BudgetAlert) AlarmMessage.parse(text);
        assertThat(b.budgetName()).isEqualTo("prod-monthly");
        assertThat(b.budgetType()).isEqualTo("Cost");
        assertThat(b.alertType()).isEqualTo(AlertType.ACTUAL);
        assertThat(b.thresholdValue()).isEqualByComparingTo("1000");
        assertThat(b.amount()).isEqualByComparingTo("1036.69");
        assertThat(b.accountId()).isEmpty();
        assertThat(b.notificationDate()).isNull();
    }

    @Test
    void aPercentageThresholdIsReadAsOne() {
        BudgetAlert b = (BudgetAlert) AlarmMessage.parse("Budget Name: b\nAlert Type: ACTUAL\nAlert Threshold: > 80%\n");
        assertThat(b.thresholdValue()).isEqualByComparingTo("80");
        assertThat(b.thresholdPercent()).isTrue();
    }

    @Test
    void missingOptionalBudgetFieldsAreNull() {
        BudgetAlert b = (BudgetAlert) AlarmMessage.parse("Budget Name: b\nAlert Type: FORECASTED\nFORECASTED Amount: soon\n");
        assertThat(b.threshold()).isNull();
        assertThat(b.thresholdValue()).isNull();
        assertThat(b.budgetType()).isNull();
        assertThat(b.amount()).as("an unreadable amount is dropped, not fatal").isNull();
    }

    @Test
    void aBudgetWithoutNameOrAlertTypeIsUnreadable() {
        assertThatThrownBy(() -> AlarmMessage.parse("Budget Type: Cost\nAlert Type: ACTUAL\n"))
                .isInstanceOf(UnreadableMessageException.class).hasMessageContaining("Budget Name");
        assertThatThrownBy(() -> AlarmMessage.parse("Budget Name:   \nAlert Type: ACTUAL\n"))
                .isInstanceOf(UnreadableMessageException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> AlarmMessage.parse("Budget Name: b\nBudget Type: Cost\n"))
                .isInstanceOf(UnreadableMessageException.class).hasMessageContaining("Alert Type");
        assertThatThrownBy(() -> AlarmMessage.parse("Budget Name: b\nAlert Type: SOMETIMES\n"))
                .isInstanceOf(UnreadableMessageException.class).hasMessageContaining("SOMETIMES");
    }

    @Test
    void utilizationAndCoverageBudgetsAreRecognised() {
        BudgetAlert b = (BudgetAlert) AlarmMessage.parse("Budget Name: ri\nBudget Type: RI Utilization\nAlert Type: ACTUAL\n");
        assertThat(b.isUtilizationOrCoverage()).isTrue();
        assertThat(((BudgetAlert) AlarmMessage.parse(BUDGET_ACTUAL)).isUtilizationOrCoverage()).isFalse();
    }

    @Test
    void readsACloudWatchBillingAlarm() {
        String json = """
                {"AlarmName":"billing-over-100","AlarmDescription":null,"AWSAccountId":"123456789012",
                 "NewStateValue":"ALARM","NewStateReason":"Threshold Crossed","StateChangeTime":"2026-11-25T15:06:12.345+0000",
                 "Region":"US East (N. Virginia)","OldStateValue":"OK",
                 "Trigger":{"MetricName":"EstimatedCharges","Namespace":"AWS/Billing","Threshold":100.0}}
                """;
        CloudWatchAlarm a = (CloudWatchAlarm) AlarmMessage.parse(json);
        assertThat(a.alarmName()).isEqualTo("billing-over-100");
        assertThat(a.isAlarm()).isTrue();
        assertThat(a.oldState()).isEqualTo("OK");
        assertThat(a.stateChangeTime()).isEqualTo(Instant.parse("2026-11-25T15:06:12.345Z"));
        assertThat(a.metricName()).isEqualTo("EstimatedCharges");
        assertThat(a.namespace()).isEqualTo("AWS/Billing");
        assertThat(a.accountId()).contains("123456789012");
    }

    @Test
    void anOkAlarmIsReadButIsNotAnAlarm() {
        CloudWatchAlarm a = (CloudWatchAlarm) AlarmMessage.parse(
                "{\"AlarmName\":\"x\",\"NewStateValue\":\"OK\",\"StateChangeTime\":\"2026-11-25T15:06:12Z\"}");
        assertThat(a.isAlarm()).isFalse();
        assertThat(a.stateChangeTime()).isEqualTo(Instant.parse("2026-11-25T15:06:12Z"));
        assertThat(a.metricName()).isNull();
    }

    @Test
    void anAlarmMissingItsNameStateOrTimeIsUnreadable() {
        assertThatThrownBy(() -> AlarmMessage.parse("{\"NewStateValue\":\"ALARM\",\"StateChangeTime\":\"2026-11-25T15:06:12Z\"}"))
                .isInstanceOf(UnreadableMessageException.class).hasMessageContaining("AlarmName");
        assertThatThrownBy(() -> AlarmMessage.parse("{\"AlarmName\":\"x\",\"StateChangeTime\":\"2026-11-25T15:06:12Z\"}"))
                .isInstanceOf(UnreadableMessageException.class).hasMessageContaining("NewStateValue");
        assertThatThrownBy(() -> AlarmMessage.parse("{\"AlarmName\":\"x\",\"NewStateValue\":\"ALARM\"}"))
                .isInstanceOf(UnreadableMessageException.class).hasMessageContaining("StateChangeTime");
        assertThatThrownBy(() -> AlarmMessage.parse("{\"AlarmName\":\"x\",\"NewStateValue\":\"ALARM\",\"StateChangeTime\":\"yesterday\"}"))
                .isInstanceOf(UnreadableMessageException.class).hasMessageContaining("yesterday");
    }

    @Test
    void readsACostAnomalyAlertEvenWithTheTrailingCommaOfAwsDocumentedExample() {
        String json = """
                {
                    "accountId": "123456789012",
                    "anomalyId": "12345678-abcd-ef12-3456-987654321a12",
                    "anomalyStartDate": "2021-05-25T00:00:00Z",
                    "impact": {"maxImpact": 151, "totalImpact": 1001.5, "totalImpactPercentage": 333.67},
                    "rootCauses": [{"service": "AnomalousServiceName", "impact": {"contribution": 601,}}],
                    "subscriptionName": "alertSubscription"
                }
                """;
        CostAnomaly c = (CostAnomaly) AlarmMessage.parse(json);
        assertThat(c.anomalyId()).isEqualTo("12345678-abcd-ef12-3456-987654321a12");
        assertThat(c.totalImpact()).isEqualByComparingTo("1001.5");
        assertThat(c.anomalyStartDate()).isEqualTo("2021-05-25T00:00:00Z");
        assertThat(c.monitorName()).isNull();
        assertThat(c.name()).as("without monitorName, the subscription names it").isEqualTo("alertSubscription");
        assertThat(c.accountId()).contains("123456789012");
    }

    @Test
    void anAnomalyWithAnEmptyIdIsUnreadable() {
        assertThatThrownBy(() -> AlarmMessage.parse("{\"anomalyId\":\"  \",\"monitorName\":\"m\"}"))
                .isInstanceOf(UnreadableMessageException.class).hasMessageContaining("anomalyId");
    }

    @Test
    void anythingElseIsUnreadableWithItsReason() {
        assertThatThrownBy(() -> AlarmMessage.parse(null)).hasMessageContaining("empty");
        assertThatThrownBy(() -> AlarmMessage.parse("   ")).hasMessageContaining("empty");
        assertThatThrownBy(() -> AlarmMessage.parse("Hello from a test publish")).hasMessageContaining("not an AWS Budgets notification");
        assertThatThrownBy(() -> AlarmMessage.parse("{\"AlarmName\": ")).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> AlarmMessage.parse("{\"detail-type\":\"Anomaly Detected\"}"))
                .hasMessageContaining("neither a CloudWatch alarm");
        assertThatThrownBy(() -> AlarmMessage.parse("{\"password\":\"hunter2\"}"))
                .as("the reason never quotes the body").message().doesNotContain("hunter2");
    }
}
