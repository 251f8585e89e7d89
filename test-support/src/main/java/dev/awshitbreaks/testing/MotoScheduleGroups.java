package dev.awshitbreaks.testing;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;

/**
 * EventBridge Scheduler's CreateScheduleGroup against moto ({@code POST /schedule-groups/{Name}}, signed by hand: the
 * project has no scheduler SDK module). moto has only the {@code default} group until one is created, as the stack
 * creates {@code ResumeScheduleGroup}. Test scope only.
 */
public final class MotoScheduleGroups {
    private MotoScheduleGroups() {
    }

    /** Creates the group in {@code region}; fails unless moto answers 200. */
    public static void create(URI endpoint, AwsCredentialsProvider credentials, String region, String name) {
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        SdkHttpFullRequest unsigned = SdkHttpFullRequest.builder().method(SdkHttpMethod.POST)
                .uri(endpoint.resolve("/schedule-groups/" + name)).putHeader("Content-Type", "application/json").build();
        var signed = AwsV4HttpSigner.create().sign(r -> r.identity(credentials.resolveIdentity().join())
                .request(unsigned).payload(ContentStreamProvider.fromByteArray(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "scheduler").putProperty(AwsV4HttpSigner.REGION_NAME, region));
        try (var http = UrlConnectionHttpClient.create()) {
            int status = http.prepareRequest(HttpExecuteRequest.builder().request(signed.request())
                    .contentStreamProvider(ContentStreamProvider.fromByteArray(body)).build()).call().httpResponse().statusCode();
            if (status != 200) {
                throw new IllegalStateException("CreateScheduleGroup " + name + " answered HTTP " + status);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
