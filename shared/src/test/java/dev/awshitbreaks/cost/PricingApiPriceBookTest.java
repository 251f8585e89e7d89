package dev.awshitbreaks.cost;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;

/**
 * The Pricing API price book against {@link PricingApiStub}, <strong>a stub</strong> (moto has no Pricing
 * API) that answers with real GetProducts documents.
 */
class PricingApiPriceBookTest {
    private static final SdkHttpClient HTTP = UrlConnectionHttpClient.create();
    private static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret"));

    @BeforeEach
    void fresh() {
        PricingApiPriceBook.resetForTests();
    }

    @AfterAll
    static void close() {
        HTTP.close();
    }

    @Test
    void pricesAnInstanceFromTheRealGetProductsDocumentWithASignedCallForThePricingService() {
        try (PricingApiStub stub = PricingApiStub.serving()) {
            PricingApiPriceBook book = new PricingApiPriceBook(HTTP, CREDENTIALS, stub.endpoint(), "us-east-1");

            Optional<Price> t3micro = book.price(PriceQuery.ec2("us-east-1", "t3.micro"));

            assertThat(t3micro).contains(new Price(new BigDecimal("0.0104"), "pricing-api"));
            PricingApiStub.Received call = stub.received.get(0);
            assertThat(call.headers().get("x-amz-target")).isEqualTo("AWSPriceListService.GetProducts");
            assertThat(call.headers().get("content-type")).isEqualTo("application/x-amz-json-1.1");
            assertThat(call.headers().get("authorization"))
                    .startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/")
                    .contains("/us-east-1/pricing/aws4_request");
            assertThat(call.body().path("ServiceCode").asText()).isEqualTo("AmazonEC2");
            assertThat(call.filter("instanceType")).isEqualTo("t3.micro");
            assertThat(call.filter("regionCode")).isEqualTo("us-east-1");
            assertThat(call.filter("operatingSystem")).isEqualTo("Linux");
            assertThat(call.filter("tenancy")).isEqualTo("Shared");
            assertThat(call.filter("preInstalledSw")).isEqualTo("NA");
            assertThat(call.filter("capacitystatus")).isEqualTo("Used");
        }
    }

    @Test
    void pricesRdsAndAuroraByEngineAndDeployment() {
        try (PricingApiStub stub = PricingApiStub.serving()) {
            PricingApiPriceBook book = new PricingApiPriceBook(HTTP, CREDENTIALS, stub.endpoint(), "us-east-1");

            assertThat(book.price(PriceQuery.rds("us-east-1", "db.t3.micro", "postgres", false)).map(Price::usd))
                    .contains(new BigDecimal("0.018"));
            assertThat(book.price(PriceQuery.rds("us-east-1", "db.t3.micro", "mysql", false)).map(Price::usd))
                    .contains(new BigDecimal("0.017"));
            assertThat(book.price(PriceQuery.aurora("us-east-1", "db.r6g.large", "aurora-postgresql")).map(Price::usd))
                    .contains(new BigDecimal("0.26"));
            assertThat(stub.received.get(0).filter("databaseEngine")).isEqualTo("PostgreSQL");
            assertThat(stub.received.get(0).filter("deploymentOption")).isEqualTo("Single-AZ");
            assertThat(stub.received.get(2).filter("databaseEngine")).isEqualTo("Aurora PostgreSQL");
            // licensed engines are not asked: their price depends on the licence model
            assertThat(book.price(PriceQuery.rds("us-east-1", "db.m5.large", "oracle-ee", false))).isEmpty();
            assertThat(stub.received).hasSize(3);
        }
    }

    @Test
    void answersAreCachedForTheJvmSoTheSameQueryIsAskedOnce() {
        try (PricingApiStub stub = PricingApiStub.serving()) {
            PricingApiPriceBook first = new PricingApiPriceBook(HTTP, CREDENTIALS, stub.endpoint(), "us-east-1");
            PricingApiPriceBook second = new PricingApiPriceBook(HTTP, CREDENTIALS, stub.endpoint(), "us-east-1");

            for (int i = 0; i < 20; i++) {
                assertThat(first.price(PriceQuery.ec2("us-east-1", "m5.large")).map(Price::usd)).contains(new BigDecimal("0.096"));
                assertThat(second.price(PriceQuery.ec2("us-east-1", "m5.large")).map(Price::usd)).contains(new BigDecimal("0.096"));
                assertThat(first.price(PriceQuery.ec2("us-east-1", "z9.unheard")).isEmpty()).isTrue();
            }

            assertThat(stub.received).hasSize(2);
        }
    }

    @Test
    void aProductTheApiDoesNotKnowIsUnknownThereAndTheBundledTableIsAskedNext() {
        try (PricingApiStub stub = PricingApiStub.serving()) {
            PriceBook book = new PricingApiPriceBook(HTTP, CREDENTIALS, stub.endpoint(), "us-east-1").orElse(PriceBooks.bundled());

            Optional<Price> fromTable = book.price(PriceQuery.ec2("eu-west-1", "t3.micro")); // the stub has no eu-west-1 document
            Optional<Price> nowhere = book.price(PriceQuery.ec2("eu-west-1", "z9.unheard"));

            assertThat(fromTable.map(Price::source)).contains(BundledPriceBook.load().source());
            assertThat(nowhere).isEmpty();
        }
    }

    @Test
    void aFailingEndpointCostsOneCallPerJvmAndThenTheTableAnswersEveryQuery() {
        try (PricingApiStub stub = PricingApiStub.failing()) {
            PricingApiPriceBook api = new PricingApiPriceBook(HTTP, CREDENTIALS, stub.endpoint(), "us-east-1");
            PriceBook book = api.orElse(PriceBooks.bundled());

            for (String type : new String[] {"t3.micro", "t3.small", "m5.large", "c5.large", "r5.large"}) {
                assertThat(book.price(PriceQuery.ec2("us-east-1", type)).map(Price::source))
                        .contains(BundledPriceBook.load().source());
            }
            PricingApiPriceBook again = new PricingApiPriceBook(HTTP, CREDENTIALS, stub.endpoint(), "us-east-1");
            assertThat(again.price(PriceQuery.rds("us-east-1", "db.t3.micro", "mysql", false))).isEmpty();

            assertThat(stub.received).hasSize(1);
            assertThat(api.off()).hasValueSatisfying(why -> assertThat(why).contains("HTTP 500"));
        }
    }

    @Test
    void anUnreachableEndpointIsTriedOnceAndFailsFast() {
        // a loopback port nobody listens on: connection refused at once
        java.net.URI closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = java.net.URI.create("http://127.0.0.1:" + s.getLocalPort());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        PricingApiPriceBook api = new PricingApiPriceBook(HTTP, CREDENTIALS, closed, "us-east-1");
        long start = System.nanoTime();
        for (int i = 0; i < 50; i++) {
            assertThat(api.price(PriceQuery.ec2("us-east-1", "t3.micro"))).isEmpty();
        }
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(5_000);
        assertThat(api.calls()).isEqualTo(1);
        assertThat(api.off()).isPresent();
    }

    @Test
    void theParserReadsTheOnDemandTermAndIgnoresReservedTerms() throws Exception {
        String doc = new String(getClass().getResourceAsStream("/pricing/ec2-m5.large-us-east-1-2020-with-reserved.json")
                .readAllBytes(), StandardCharsets.UTF_8);

        assertThat(GetProductsParser.hourlyPrices(doc)).containsExactly(new BigDecimal("0.096"));
        assertThat(GetProductsParser.singleHourlyPrice(doc)).contains(new BigDecimal("0.096"));
        assertThat(GetProductsParser.nextToken(doc)).isNull();
    }

    @Test
    void theParserGivesNoAnswerWhenTheDocumentsDisagree() throws Exception {
        var mapper = dev.awshitbreaks.core.Json.mapper();
        var small = mapper.readTree(getClass().getResourceAsStream("/pricing/ec2-t3.small-us-east-1.json"));
        var micro = mapper.readTree(getClass().getResourceAsStream("/pricing/ec2-t3.micro-us-east-1.json"));
        var both = mapper.createObjectNode();
        both.putArray("PriceList").add(small.get("PriceList").get(0)).add(micro.get("PriceList").get(0));

        assertThat(GetProductsParser.hourlyPrices(both.toString()))
                .containsExactly(new BigDecimal("0.0104"), new BigDecimal("0.0208"));
        assertThat(GetProductsParser.singleHourlyPrice(both.toString())).isEmpty();
    }
}
