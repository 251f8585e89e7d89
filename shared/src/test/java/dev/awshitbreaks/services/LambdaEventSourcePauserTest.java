package dev.awshitbreaks.services;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awshitbreaks.aws.AwsClients;
import dev.awshitbreaks.aws.AwsSettings;
import dev.awshitbreaks.testing.MotoAccount;
import java.net.URI;
import org.junit.jupiter.api.Test;

/**
 * The retention line of the sources whose retention is not read from an API (Kafka, MQ, DocumentDB, self-managed,
 * DynamoDB Streams' fixed 24 hours), and how a retention in seconds reads. No AWS call is made for these (the
 * client points at a closed port).
 */
class LambdaEventSourcePauserTest {
    private final LambdaEventSourcePauser pauser = new LambdaEventSourcePauser(new AwsClients(
            new AwsSettings(URI.create("http://127.0.0.1:9"), "us-east-1", "t", "b"), MotoAccount.CREDENTIALS));

    @Test
    void sourcesWithoutARetentionApiSayTheirOwnSettingsDecide() {
        assertThat(pauser.retention("arn:aws:kafka:us-east-1:123456789012:cluster/events/abc-1"))
                .isEqualTo("the Amazon MSK topic keeps records as its own retention (retention.ms) says");
        assertThat(pauser.retention("arn:aws:mq:us-east-1:123456789012:broker:orders:b-1"))
                .isEqualTo("the Amazon MQ broker keeps messages as its own settings say");
        assertThat(pauser.retention("arn:aws:rds:us-east-1:123456789012:cluster:docs"))
                .contains("change_stream_log_retention_duration");
        assertThat(pauser.retention(null)).startsWith("the self-managed source keeps records as its own retention says");
        assertThat(pauser.retention("arn:aws:dynamodb:us-east-1:123456789012:table/carts/stream/2026-01-01T00:00:00.000"))
                .isEqualTo("the DynamoDB stream of table carts keeps records 24 hours (fixed), then trims them");
    }

    @Test
    void aRetentionReadsInDaysHoursAndMinutes() {
        assertThat(LambdaEventSourcePauser.span(345600)).isEqualTo("4 days");
        assertThat(LambdaEventSourcePauser.span(5400)).isEqualTo("1 hour 30 minutes");
        assertThat(LambdaEventSourcePauser.span(60)).isEqualTo("1 minute");
        assertThat(LambdaEventSourcePauser.span(1209600)).isEqualTo("14 days");
        assertThat(LambdaEventSourcePauser.span(86400 + 3600)).isEqualTo("1 day 1 hour");
        assertThat(LambdaEventSourcePauser.sourceType("arn:aws:dynamodb:us-east-1:1:table/t/stream/x")).isEqualTo("dynamodb-streams");
        assertThat(LambdaEventSourcePauser.sourceType(null)).isEqualTo("self-managed");
    }
}
