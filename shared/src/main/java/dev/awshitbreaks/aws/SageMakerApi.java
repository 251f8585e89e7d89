package dev.awshitbreaks.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.awshitbreaks.core.Json;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;

/**
 * The few operations of SageMaker's JSON 1.1 API the brake uses on notebook instances, signed by hand with
 * {@link SignedJsonCall} because the SDK's {@code sagemaker} module is not served by the repository this project
 * builds from (as for the Pricing API and AWS Budgets): ListNotebookInstances (every page), ListTags (every page),
 * DescribeNotebookInstance, StopNotebookInstance, StartNotebookInstance; and, read only, for what still bills,
 * ListEndpoints (every page), DescribeEndpoint and DescribeEndpointConfig. Throttling, HTTP 5xx and I/O errors are
 * retried as the SDK clients retry ({@link JsonApi}); any other error is thrown as a {@link Failure} with SageMaker's
 * error code and message.
 */
public final class SageMakerApi {
    /** SageMaker's signing name and X-Amz-Target prefix. */
    static final String SIGNING_NAME = "sagemaker";
    private static final String TARGET = "SageMaker.";
    private static final int PAGE = 100;

    private final JsonApi api;

    /** An error SageMaker answered (or the endpoint, when it is not SageMaker's), after the retries. */
    public static final class Failure extends JsonApi.Failure {
        public Failure(int status, String code, String message) {
            super(status, code, message);
        }

        /** SageMaker's answer for a notebook instance that does not exist: ValidationException "RecordNotFound". */
        public boolean notFound() {
            String m = String.valueOf(getMessage()).toLowerCase(java.util.Locale.ROOT);
            return "ResourceNotFound".equals(code()) || ("ValidationException".equals(code())
                    && (m.contains("recordnotfound") || m.contains("does not exist")));
        }
    }

    /** One notebook instance as ListNotebookInstances or DescribeNotebookInstance shows it. */
    public record NotebookInstance(String name, String arn, String status, String instanceType) {
        static NotebookInstance of(JsonNode n) {
            return new NotebookInstance(n.path("NotebookInstanceName").asText(null), n.path("NotebookInstanceArn").asText(null),
                    n.path("NotebookInstanceStatus").asText(null), n.path("InstanceType").asText(null));
        }
    }

    SageMakerApi(SdkHttpClient http, AwsCredentialsProvider credentials, URI endpoint, String region, RetrySettings retry) {
        this.api = new JsonApi(http, credentials, endpoint, SIGNING_NAME, region, TARGET, "application/x-amz-json-1.1", retry);
    }

    /** SageMaker's API endpoint in a region of the aws partition. */
    static URI endpointOf(String region) {
        return JsonApi.endpointOf("api.sagemaker", region);
    }

    /** Every notebook instance of the region (ListNotebookInstances, 100 a page, every page). */
    public List<NotebookInstance> listNotebookInstances() {
        List<NotebookInstance> out = new ArrayList<>();
        String token = null;
        do {
            ObjectNode req = Json.mapper().createObjectNode().put("MaxResults", PAGE);
            if (token != null) {
                req.put("NextToken", token);
            }
            JsonNode page = call("ListNotebookInstances", req);
            page.path("NotebookInstances").forEach(n -> out.add(NotebookInstance.of(n)));
            token = page.path("NextToken").asText(null);
        } while (token != null && !token.isEmpty());
        return out;
    }

    /** One endpoint as ListEndpoints shows it. */
    public record EndpointSummary(String name, String arn, String status) {
    }

    /** One production variant of an endpoint: its instances now (DescribeEndpoint), or serverless. */
    public record EndpointVariant(String name, Integer currentInstanceCount, boolean serverless) {
    }

    /** One endpoint as DescribeEndpoint shows it. */
    public record Endpoint(String name, String status, String configName, List<EndpointVariant> variants) {
    }

    /** One production variant of an endpoint configuration: its instance type, or serverless. */
    public record ConfigVariant(String name, String instanceType, Integer initialInstanceCount, boolean serverless) {
    }

    /** Every real-time inference endpoint of the region (ListEndpoints, 100 a page, every page). */
    public List<EndpointSummary> listEndpoints() {
        List<EndpointSummary> out = new ArrayList<>();
        String token = null;
        do {
            ObjectNode req = Json.mapper().createObjectNode().put("MaxResults", PAGE);
            if (token != null) {
                req.put("NextToken", token);
            }
            JsonNode page = call("ListEndpoints", req);
            page.path("Endpoints").forEach(e -> out.add(new EndpointSummary(e.path("EndpointName").asText(null),
                    e.path("EndpointArn").asText(null), e.path("EndpointStatus").asText(null))));
            token = page.path("NextToken").asText(null);
        } while (token != null && !token.isEmpty());
        return out;
    }

    /** One endpoint: its configuration's name and each variant's current instance count (DescribeEndpoint). */
    public Endpoint describeEndpoint(String name) {
        JsonNode e = call("DescribeEndpoint", Json.mapper().createObjectNode().put("EndpointName", name));
        List<EndpointVariant> variants = new ArrayList<>();
        e.path("ProductionVariants").forEach(v -> variants.add(new EndpointVariant(v.path("VariantName").asText(null),
                v.hasNonNull("CurrentInstanceCount") ? v.path("CurrentInstanceCount").asInt() : null,
                v.hasNonNull("CurrentServerlessConfig") || v.hasNonNull("DesiredServerlessConfig"))));
        return new Endpoint(e.path("EndpointName").asText(name), e.path("EndpointStatus").asText(null),
                e.path("EndpointConfigName").asText(null), variants);
    }

    /** An endpoint configuration's variants and their instance types (DescribeEndpointConfig). */
    public List<ConfigVariant> describeEndpointConfig(String configName) {
        JsonNode c = call("DescribeEndpointConfig", Json.mapper().createObjectNode().put("EndpointConfigName", configName));
        List<ConfigVariant> out = new ArrayList<>();
        c.path("ProductionVariants").forEach(v -> out.add(new ConfigVariant(v.path("VariantName").asText(null),
                v.path("InstanceType").asText(null),
                v.hasNonNull("InitialInstanceCount") ? v.path("InitialInstanceCount").asInt() : null,
                v.hasNonNull("ServerlessConfig"))));
        return out;
    }

    /** A resource's tags (ListTags, every page). */
    public Map<String, String> listTags(String arn) {
        Map<String, String> out = new LinkedHashMap<>();
        String token = null;
        do {
            ObjectNode req = Json.mapper().createObjectNode().put("ResourceArn", arn).put("MaxResults", PAGE);
            if (token != null) {
                req.put("NextToken", token);
            }
            JsonNode page = call("ListTags", req);
            page.path("Tags").forEach(t -> out.put(t.path("Key").asText(), t.path("Value").asText("")));
            token = page.path("NextToken").asText(null);
        } while (token != null && !token.isEmpty());
        return out;
    }

    /** One notebook instance as it is now. */
    public NotebookInstance describeNotebookInstance(String name) {
        return NotebookInstance.of(call("DescribeNotebookInstance", nameOnly(name)));
    }

    public void stopNotebookInstance(String name) {
        call("StopNotebookInstance", nameOnly(name));
    }

    public void startNotebookInstance(String name) {
        call("StartNotebookInstance", nameOnly(name));
    }

    private static ObjectNode nameOnly(String name) {
        return Json.mapper().createObjectNode().put("NotebookInstanceName", name);
    }

    private JsonNode call(String operation, ObjectNode request) {
        try {
            return api.call(operation, request);
        } catch (Failure e) {
            throw e;
        } catch (JsonApi.Failure e) {
            throw new Failure(e.status(), e.code(), e.detail());
        }
    }
}
