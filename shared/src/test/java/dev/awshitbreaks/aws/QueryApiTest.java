package dev.awshitbreaks.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.awshitbreaks.testing.FaultProxy;
import dev.awshitbreaks.testing.MotoAccount;
import dev.awshitbreaks.testing.MotoServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The hand-signed Query-protocol client against moto (ElastiCache's DescribeCacheClusters), and, through a proxy,
 * answers moto does not give: AWS's error shape, an answer that is not the service's, and an answer with a DTD.
 */
class QueryApiTest {
    private static final RetrySettings QUICK = RetrySettings.defaults().withMaxAttempts(3).withMaxBackoff(Duration.ofMillis(20));

    @BeforeEach
    void reset() {
        MotoServer.get().reset();
    }

    private static AwsClients clients(java.net.URI endpoint) {
        return new AwsClients(new AwsSettings(endpoint, "us-east-1", "t", "b").withRetry(QUICK), MotoAccount.CREDENTIALS);
    }

    @Test
    void aCallIsSignedFormEncodedAndItsXmlAnswerRead() {
        try (AwsClients clients = clients(MotoServer.get().endpoint())) {
            QueryApi api = clients.elastiCache("eu-west-1");
            api.call("CreateCacheCluster", Map.of("CacheClusterId", "a b&c", "Engine", "redis", "CacheNodeType", "cache.t3.micro",
                    "NumCacheNodes", "1"));
            var result = QueryApi.result(api.call("DescribeCacheClusters", Map.of()), "DescribeCacheClusters");
            var clusters = QueryApi.children(QueryApi.child(result, "CacheClusters"), "CacheCluster");
            assertThat(clusters).hasSize(1);
            assertThat(QueryApi.text(clusters.get(0), "CacheClusterId")).as("encoded and decoded unchanged").isEqualTo("a b&c");
            assertThat(QueryApi.text(clusters.get(0), "CacheNodeType")).isEqualTo("cache.t3.micro");
            assertThat(QueryApi.text(result, "Marker")).as("no next page").isNull();
            assertThat(QueryApi.result(clients.elastiCache("us-east-1").call("DescribeCacheClusters", Map.of()),
                    "DescribeCacheClusters").getTextContent()).as("another region, signed for it: empty").isBlank();
        }
    }

    @Test
    void aServiceErrorIsThrownAtOnceWithItsCodeAndMessage() {
        try (AwsClients clients = clients(MotoServer.get().endpoint())) {
            assertThatThrownBy(() -> clients.elastiCache("us-east-1").call("DescribeCacheClusters", Map.of("CacheClusterId", "nope")))
                    .isInstanceOfSatisfying(QueryApi.Failure.class, f -> {
                        assertThat(f.code()).isEqualTo("CacheClusterNotFound");
                        assertThat(f.status()).isEqualTo(404);
                        assertThat(f.getMessage()).isEqualTo("CacheClusterNotFound: Cache cluster nope not found.");
                    });
        }
    }

    /** moto's answer to an operation it lacks is an HTML page with HTTP 500: retried as a server error, then named. */
    @Test
    void anAnswerThatIsNotTheServicesIsRetriedThenThrownWithItsStatus() {
        try (FaultProxy proxy = FaultProxy.builder(MotoServer.get().endpoint()).start();
                AwsClients clients = clients(proxy.endpoint())) {
            proxy.respondInstead(c -> c.operation().equals("DescribeCacheClusters"), 10, c -> new FaultProxy.Answer(500,
                    "text/html", "<!doctype html><title>500 Internal Server Error</title>"));
            assertThatThrownBy(() -> clients.elastiCache("us-east-1").call("DescribeCacheClusters", Map.of()))
                    .isInstanceOfSatisfying(QueryApi.Failure.class, f -> {
                        assertThat(f.status()).isEqualTo(500);
                        assertThat(f.getMessage()).startsWith("HTTP 500: <!doctype html>");
                    });
            assertThat(proxy.counts().get("elasticache:DescribeCacheClusters")).as("every attempt").isEqualTo(3L);
        }
    }

    /** An answer carrying a DTD (an external entity here) is refused, never expanded. */
    @Test
    void anAnswerWithADoctypeIsRefused() {
        try (FaultProxy proxy = FaultProxy.builder(MotoServer.get().endpoint()).start();
                AwsClients clients = clients(proxy.endpoint())) {
            proxy.respondInstead(c -> c.operation().equals("DescribeCacheClusters"), 1, c -> new FaultProxy.Answer(200, "text/xml",
                    "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><DescribeCacheClustersResponse>"
                            + "<DescribeCacheClustersResult><Marker>&e;</Marker></DescribeCacheClustersResult>"
                            + "</DescribeCacheClustersResponse>"));
            assertThatThrownBy(() -> clients.elastiCache("us-east-1").call("DescribeCacheClusters", Map.of()))
                    .isInstanceOf(QueryApi.Failure.class).hasMessageContaining("the answer is not XML")
                    .hasMessageContaining("DOCTYPE");
        }
    }
}
