package dev.awshitbreaks.aws;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * One SigV4-signed call of an AWS JSON API whose SDK module is not served here or not worth its size (the Pricing API's
 * GetProducts, AWS Budgets' DescribeBudget, {@link JsonApi}): {@code POST /} with the {@code X-Amz-Target} header, the body as given, the answer's
 * status and body as text. Retries and the meaning of the answer are the caller's.
 */
public final class SignedJsonCall {
    /** What the endpoint answered. */
    public record Answer(int status, String body) {
    }

    private SignedJsonCall() {
    }

    /**
     * @param signingName the service's SigV4 signing name ({@code pricing}, {@code budgets})
     * @param target the operation's {@code X-Amz-Target}, e.g. {@code AWSPriceListService.GetProducts}
     */
    public static Answer post(SdkHttpClient http, AwsCredentialsProvider credentials, URI endpoint, String signingName,
            String region, String target, String json) throws IOException {
        return post(http, credentials, endpoint, signingName, region, target, "application/x-amz-json-1.1", json);
    }

    /**
     * Any SigV4-signed request, for the protocols that are not JSON 1.x (Query with a form body and an XML answer,
     * REST-JSON with the operation in the method and path): {@code uri} is the full address, query included; the
     * headers are signed with the request; {@code body} may be empty.
     */
    public static Answer send(SdkHttpClient http, AwsCredentialsProvider credentials, SdkHttpMethod method, URI uri,
            String signingName, String region, java.util.Map<String, String> headers, byte[] body) throws IOException {
        SdkHttpFullRequest.Builder builder = SdkHttpFullRequest.builder().method(method).uri(uri);
        headers.forEach(builder::putHeader);
        return execute(http, credentials, builder.build(), signingName, region, body);
    }

    private static Answer execute(SdkHttpClient http, AwsCredentialsProvider credentials, SdkHttpFullRequest unsigned,
            String signingName, String region, byte[] payload) throws IOException {
        AwsCredentialsIdentity identity = credentials.resolveIdentity().join();
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r.identity(identity)
                .request(unsigned)
                .payload(ContentStreamProvider.fromByteArray(payload))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, signingName)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region));
        HttpExecuteRequest.Builder execute = HttpExecuteRequest.builder().request(signed.request());
        // A body stream makes the JDK's HttpURLConnection send output, which turns a GET into a POST: none for a GET, nor
        // for a DELETE without a body (EventBridge Scheduler's DeleteSchedule did not delete with one).
        if (payload.length > 0 || unsigned.method() != SdkHttpMethod.GET && unsigned.method() != SdkHttpMethod.DELETE) {
            execute.contentStreamProvider(signed.payload().orElse(ContentStreamProvider.fromByteArray(payload)));
        }
        HttpExecuteResponse response = http.prepareRequest(execute.build()).call();
        try (InputStream in = response.responseBody().map(s -> (InputStream) s)
                .orElseGet(() -> new ByteArrayInputStream(new byte[0]))) {
            return new Answer(response.httpResponse().statusCode(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /** As {@link #post(SdkHttpClient, AwsCredentialsProvider, URI, String, String, String, String)}, for a JSON 1.0 API too. */
    public static Answer post(SdkHttpClient http, AwsCredentialsProvider credentials, URI endpoint, String signingName,
            String region, String target, String contentType, String json) throws IOException {
        byte[] payload = json.getBytes(StandardCharsets.UTF_8);
        SdkHttpFullRequest unsigned = SdkHttpFullRequest.builder()
                .method(SdkHttpMethod.POST)
                .uri(endpoint.resolve("/"))
                .putHeader("Content-Type", contentType)
                .putHeader("X-Amz-Target", target)
                .build();
        return execute(http, credentials, unsigned, signingName, region, payload);
    }
}
