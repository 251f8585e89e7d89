package dev.awshitbreaks.trigger;

import com.fasterxml.jackson.databind.JsonNode;
import dev.awshitbreaks.aws.SignedJsonCall;
import dev.awshitbreaks.core.Json;
import dev.awshitbreaks.core.Shown;
import java.net.URI;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;

/**
 * Reads a budget's {@code TimeUnit} with AWS Budgets' {@code DescribeBudget} (IAM action {@code budgets:ViewBudget}
 * on {@code arn:aws:budgets::<account>:budget/<name>}): a SigV4-signed JSON 1.1 call to the global endpoint
 * {@code budgets.amazonaws.com} (signing region us-east-1), made by hand because the SDK's {@code budgets} module is
 * not served by the repository this project builds from (as for the Pricing API). Never throws: an error is an
 * unknown period with the reason.
 */
public final class BudgetDescriber implements BudgetPeriod.Finder {
    /** The global endpoint of the aws partition. */
    public static final URI ENDPOINT = URI.create("https://budgets.amazonaws.com");
    private static final String SIGNING_REGION = "us-east-1";

    private final SdkHttpClient http;
    private final AwsCredentialsProvider credentials;
    private final URI endpoint;
    private final String accountId;

    /** @param endpointOverride moto's endpoint in tests, or null for AWS */
    public BudgetDescriber(SdkHttpClient http, AwsCredentialsProvider credentials, URI endpointOverride, String accountId) {
        this.http = Objects.requireNonNull(http, "http");
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.endpoint = endpointOverride != null ? endpointOverride : ENDPOINT;
        this.accountId = Objects.requireNonNull(accountId, "accountId");
    }

    @Override
    public BudgetPeriod.Lookup find(String budgetName) {
        try {
            JsonNode answer = describeBudget(budgetName);
            String unit = answer.path("Budget").path("TimeUnit").asText(null);
            return BudgetPeriod.ofTimeUnit(unit).map(BudgetPeriod.Lookup::found).orElseGet(() -> BudgetPeriod.Lookup.unknown(
                    "DescribeBudget gave budget " + Shown.quote(budgetName) + " the time unit " + Shown.quote(unit)));
        } catch (RuntimeException | java.io.IOException e) {
            return BudgetPeriod.Lookup.unknown("DescribeBudget failed: " + Shown.plain(String.valueOf(e.getMessage())));
        }
    }

    private JsonNode describeBudget(String budgetName) throws java.io.IOException {
        SignedJsonCall.Answer answer = SignedJsonCall.post(http, credentials, endpoint, "budgets", SIGNING_REGION,
                "AWSBudgetServiceGateway.DescribeBudget", Json.write(Map.of("AccountId", accountId, "BudgetName", budgetName)));
        String body = answer.body();
        int status = answer.status();
        if (status != 200) {
            String type = "";
            try {
                type = Json.mapper().readTree(body).path("__type").asText("");
            } catch (java.io.IOException notJson) {
                // the status says enough
            }
            throw new IllegalStateException("HTTP " + status + (type.isEmpty() ? "" : " " + type.replaceAll(".*#", "")));
        }
        return Json.mapper().readTree(body);
    }
}
