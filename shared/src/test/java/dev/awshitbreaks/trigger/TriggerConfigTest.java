package dev.awshitbreaks.trigger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.awshitbreaks.trigger.TriggerConfig.AlertType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TriggerConfigTest {
    static final String TOPIC = "arn:aws:sns:us-east-1:123456789012:aws-hit-breaks-alarms";
    static final String MACHINE = "arn:aws:states:us-east-1:123456789012:stateMachine:brake";

    static Map<String, String> env(String... pairs) {
        Map<String, String> env = new HashMap<>(Map.of(TriggerConfig.TOPIC_ARN, TOPIC, TriggerConfig.STATE_MACHINE_ARN, MACHINE));
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    @Test
    void defaultsAreActualOnlyRealPauseAllRegionsAllServicesAnyName() {
        TriggerConfig c = TriggerConfig.fromEnvironment(env());
        assertThat(c.alertTypes()).containsExactly(AlertType.ACTUAL);
        assertThat(c.dryRun()).isFalse();
        assertThat(c.regions()).containsExactly("all");
        assertThat(c.services()).isEmpty();
        assertThat(c.names()).isEmpty();
        assertThat(c.allowsName("anything")).isTrue();
        assertThat(c.topicAccount()).isEqualTo("123456789012");
        assertThat(c.stateMachineRegion()).isEqualTo("us-east-1");
        assertThat(c.executionArn("n")).isEqualTo("arn:aws:states:us-east-1:123456789012:execution:brake:n");
    }

    @Test
    void readsListsTrimmedAndCaseInsensitiveFlags() {
        TriggerConfig c = TriggerConfig.fromEnvironment(env(TriggerConfig.BUDGETS, " prod-monthly , My Budget ,,",
                TriggerConfig.ALERT_TYPES, "actual, Forecasted", TriggerConfig.DRY_RUN, "TRUE",
                TriggerConfig.REGIONS, "eu-west-1, us-east-1", TriggerConfig.SERVICES, "ec2,rds"));
        assertThat(c.names()).containsExactly("prod-monthly", "My Budget");
        assertThat(c.allowsName(" My Budget ")).isTrue();
        assertThat(c.allowsName("other")).isFalse();
        assertThat(c.alertTypes()).containsExactlyInAnyOrder(AlertType.ACTUAL, AlertType.FORECASTED);
        assertThat(c.dryRun()).isTrue();
        assertThat(c.regions()).containsExactly("eu-west-1", "us-east-1");
        assertThat(c.services()).containsExactly("ec2", "rds");
        assertThat(TriggerConfig.fromEnvironment(env(TriggerConfig.REGIONS, "all", TriggerConfig.DRY_RUN, "false")).regions())
                .containsExactly("all");
    }

    @Test
    void invalidConfigurationNamesTheVariableAndTheValue() {
        assertThatThrownBy(() -> TriggerConfig.fromEnvironment(Map.of(TriggerConfig.STATE_MACHINE_ARN, MACHINE)))
                .isInstanceOf(TriggerConfigurationException.class).hasMessageContaining("TRIGGER_TOPIC_ARN");
        assertThatThrownBy(() -> TriggerConfig.fromEnvironment(env(TriggerConfig.STATE_MACHINE_ARN, " ")))
                .hasMessageContaining("STATE_MACHINE_ARN");
        assertThatThrownBy(() -> TriggerConfig.fromEnvironment(env(TriggerConfig.TOPIC_ARN, "alarms")))
                .hasMessageContaining("TRIGGER_TOPIC_ARN").hasMessageContaining("alarms");
        assertThatThrownBy(() -> TriggerConfig.fromEnvironment(env(TriggerConfig.STATE_MACHINE_ARN,
                "arn:aws:lambda:us-east-1:123456789012:function:brake")))
                .hasMessageContaining("STATE_MACHINE_ARN");
        assertThatThrownBy(() -> TriggerConfig.fromEnvironment(env(TriggerConfig.ALERT_TYPES, "ACTUAL,EVENTUALLY")))
                .hasMessageContaining("TRIGGER_ALERT_TYPES").hasMessageContaining("EVENTUALLY");
        assertThatThrownBy(() -> TriggerConfig.fromEnvironment(env(TriggerConfig.DRY_RUN, "yes")))
                .hasMessageContaining("TRIGGER_DRY_RUN").hasMessageContaining("yes");
        assertThatThrownBy(() -> TriggerConfig.fromEnvironment(env(TriggerConfig.REGIONS, "us-east-1,mars-north-1")))
                .hasMessageContaining("TRIGGER_REGIONS").hasMessageContaining("mars-north-1");
        assertThatThrownBy(() -> TriggerConfig.fromEnvironment(env(TriggerConfig.REGIONS, "all,us-east-1")))
                .hasMessageContaining("TRIGGER_REGIONS");
        assertThatThrownBy(() -> TriggerConfig.fromEnvironment(env(TriggerConfig.SERVICES, "ec2,s3")))
                .hasMessageContaining("TRIGGER_SERVICES").hasMessageContaining("'s3'");
    }

    @Test
    void resumeAtNextPeriodIsOffUnlessTrueAndABadValueIsNamed() {
        assertThat(TriggerConfig.fromEnvironment(env()).resumeAtNextPeriod()).isFalse();
        assertThat(TriggerConfig.fromEnvironment(env(TriggerConfig.RESUME_AT_NEXT_PERIOD, "True")).resumeAtNextPeriod()).isTrue();
        assertThat(TriggerConfig.fromEnvironment(env(TriggerConfig.RESUME_AT_NEXT_PERIOD, "false")).resumeAtNextPeriod()).isFalse();
        assertThatThrownBy(() -> TriggerConfig.fromEnvironment(env(TriggerConfig.RESUME_AT_NEXT_PERIOD, "Enabled")))
                .isInstanceOf(TriggerConfigurationException.class)
                .hasMessage("TRIGGER_RESUME_AT_NEXT_PERIOD is 'Enabled': expected true or false");
    }

    @Test
    void theListsAreCopies() {
        TriggerConfig c = TriggerConfig.fromEnvironment(env(TriggerConfig.BUDGETS, "a"));
        assertThatThrownBy(() -> c.names().add("b")).isInstanceOf(UnsupportedOperationException.class);
        assertThat(c.names()).isEqualTo(List.of("a"));
    }
}
