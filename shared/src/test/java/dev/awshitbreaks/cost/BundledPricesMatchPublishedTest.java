package dev.awshitbreaks.cost;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.awshitbreaks.core.Json;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The bundled price table against prices AWS published, for a sample of types, engines and regions: the real
 * GetProducts documents in {@code src/test/resources/pricing/} (see its README) and rates from AWS's pricing
 * pages, cited below.
 */
class BundledPricesMatchPublishedTest {
    private static final List<String> DOCUMENTS = List.of(
            "ec2-t3.micro-us-east-1.json",
            "ec2-t3.small-us-east-1.json",
            "ec2-m5.large-us-east-1.json",
            "ec2-m5.large-us-east-1-2020-with-reserved.json",
            "rds-db.t3.micro-postgresql-single-az-us-east-1.json",
            "rds-db.t3.micro-mysql-single-az-us-east-1.json",
            "rds-db.t3.micro-mariadb-single-az-us-east-1.json",
            "rds-db.r6g.large-aurora-postgresql-single-az-us-east-1.json",
            "rds-db.r6g.large-aurora-mysql-single-az-us-east-1.json");
    private static final Map<String, String> LOCATIONS = Map.of("US East (N. Virginia)", "us-east-1");
    private final BundledPriceBook table = BundledPriceBook.load();

    @Test
    void everyBundledPriceWithARealGetProductsDocumentIsTheDocumentsOnDemandPrice() throws IOException {
        for (String name : DOCUMENTS) {
            String body;
            try (InputStream in = getClass().getResourceAsStream("/pricing/" + name)) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            JsonNode product = Json.mapper().readTree(Json.mapper().readTree(body).path("PriceList").get(0).asText())
                    .path("product").path("attributes");
            PriceQuery q = query(product);
            Optional<BigDecimal> published = GetProductsParser.singleHourlyPrice(body);

            assertThat(published).as(name).isPresent();
            assertThat(table.price(q)).as("the table has %s (%s)", q.describe(), name).isPresent();
            assertThat(table.price(q).get().usd()).as("%s: table vs %s", q.describe(), name)
                    .isEqualByComparingTo(published.get());
        }
    }

    /** The query a product document answers, from its attributes. */
    static PriceQuery query(JsonNode a) {
        String region = a.hasNonNull("regionCode") ? a.path("regionCode").asText() : LOCATIONS.get(a.path("location").asText());
        String type = a.path("instanceType").asText();
        if (a.path("servicecode").asText().equals("AmazonEC2")) {
            return PriceQuery.ec2(region, type);
        }
        boolean multiAz = a.path("deploymentOption").asText().equals("Multi-AZ");
        return switch (a.path("databaseEngine").asText()) {
            case "MySQL" -> PriceQuery.rds(region, type, "mysql", multiAz);
            case "PostgreSQL" -> PriceQuery.rds(region, type, "postgres", multiAz);
            case "MariaDB" -> PriceQuery.rds(region, type, "mariadb", multiAz);
            case "Aurora MySQL" -> PriceQuery.aurora(region, type, "aurora-mysql");
            case "Aurora PostgreSQL" -> PriceQuery.aurora(region, type, "aurora-postgresql");
            default -> throw new IllegalArgumentException("no engine mapping for " + a.path("databaseEngine").asText());
        };
    }

    @Test
    void fargateAndProvisionedConcurrencyRatesAreThePublishedOnes() {
        // https://aws.amazon.com/fargate/pricing/ : Linux/x86, US East (N. Virginia):
        // USD 0.04048 per vCPU per hour, USD 0.004445 per GB per hour
        assertThat(rate(PriceQuery.Product.FARGATE_VCPU_HOUR, "us-east-1")).isEqualByComparingTo("0.04048");
        assertThat(rate(PriceQuery.Product.FARGATE_GB_HOUR, "us-east-1")).isEqualByComparingTo("0.004445");
        // https://aws.amazon.com/lambda/pricing/ : Provisioned Concurrency, x86, US East (N. Virginia):
        // USD 0.0000041667 per GB-second
        assertThat(rate(PriceQuery.Product.LAMBDA_PROVISIONED_GB_SECOND, "us-east-1")).isEqualByComparingTo("0.0000041667");
    }

    @Test
    void redshiftNodeAndNotebookInstanceRatesAreThePublishedOnes() {
        // https://aws.amazon.com/redshift/pricing/ : provisioned, On-Demand, US East (N. Virginia), per node-hour:
        // dc2.large USD 0.25 ("start small at $0.25 per hour"), dc2.8xlarge 4.80, ra3.large 0.543, ra3.xlplus 1.086,
        // ra3.4xlarge 3.26, ra3.16xlarge 13.04
        assertThat(redshift("dc2.large")).isEqualByComparingTo("0.25");
        assertThat(redshift("dc2.8xlarge")).isEqualByComparingTo("4.80");
        assertThat(redshift("ra3.large")).isEqualByComparingTo("0.543");
        assertThat(redshift("ra3.xlplus")).isEqualByComparingTo("1.086");
        assertThat(redshift("ra3.4xlarge")).isEqualByComparingTo("3.26");
        assertThat(redshift("ra3.16xlarge")).isEqualByComparingTo("13.04");
        // https://aws.amazon.com/sagemaker/pricing/ : On-Demand, Notebook instances, US East (N. Virginia), per hour:
        // ml.t2.medium 0.0464, ml.t3.medium 0.05, ml.t3.large 0.10, ml.t3.xlarge 0.20, ml.t3.2xlarge 0.399, ml.m5.xlarge 0.23
        assertThat(notebook("ml.t2.medium")).isEqualByComparingTo("0.0464");
        assertThat(notebook("ml.t3.medium")).isEqualByComparingTo("0.05");
        assertThat(notebook("ml.t3.large")).isEqualByComparingTo("0.10");
        assertThat(notebook("ml.t3.xlarge")).isEqualByComparingTo("0.20");
        assertThat(notebook("ml.t3.2xlarge")).isEqualByComparingTo("0.399");
        assertThat(notebook("ml.m5.xlarge")).isEqualByComparingTo("0.23");
    }

    private BigDecimal redshift(String nodeType) {
        return table.price(PriceQuery.redshiftNode("us-east-1", nodeType)).map(Price::usd)
                .orElseThrow(() -> new AssertionError("the table has no Redshift " + nodeType + " in us-east-1"));
    }

    private BigDecimal notebook(String instanceType) {
        return table.price(PriceQuery.sageMakerNotebook("us-east-1", instanceType)).map(Price::usd)
                .orElseThrow(() -> new AssertionError("the table has no notebook instance " + instanceType + " in us-east-1"));
    }

    @Test
    void euWest1InstancesAreThePublishedOnDemandPrices() {
        // https://aws.amazon.com/ec2/pricing/on-demand/ : Linux, EU (Ireland); the price list's own line items read
        // "EU-BoxUsage:t3.micro ... $0.0114 per On Demand Linux t3.micro Instance Hour" and "$0.0912 per On Demand
        // Linux t3.large Instance Hour"
        assertThat(table.price(PriceQuery.ec2("eu-west-1", "t3.micro")).map(Price::usd)).hasValueSatisfying(
                p -> assertThat(p).isEqualByComparingTo("0.0114"));
        assertThat(table.price(PriceQuery.ec2("eu-west-1", "t3.large")).map(Price::usd)).hasValueSatisfying(
                p -> assertThat(p).isEqualByComparingTo("0.0912"));
    }

    private BigDecimal rate(PriceQuery.Product product, String region) {
        return table.price(PriceQuery.rate(product, region)).map(Price::usd)
                .orElseThrow(() -> new AssertionError("the table has no " + product + " rate in " + region));
    }
}
