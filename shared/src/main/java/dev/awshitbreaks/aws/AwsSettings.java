package dev.awshitbreaks.aws;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * Where and how the engine talks to AWS: an optional endpoint override (moto, LocalStack), the region
 * that holds the snapshot table and bucket, and how calls retry
 * and time out ({@link RetrySettings}). Names only, never credentials.
 */
public record AwsSettings(
        URI endpointOverride,
        String stateRegion,
        String tableName,
        String bucketName,
        RetrySettings retry) {

    public AwsSettings {
        Objects.requireNonNull(stateRegion, "stateRegion");
        Objects.requireNonNull(tableName, "tableName");
        Objects.requireNonNull(bucketName, "bucketName");
        Objects.requireNonNull(retry, "retry");
    }

    public AwsSettings(URI endpointOverride, String stateRegion, String tableName, String bucketName) {
        this(endpointOverride, stateRegion, tableName, bucketName, RetrySettings.defaults());
    }

    /** These settings with other retries and timeouts. */
    public AwsSettings withRetry(RetrySettings other) {
        return new AwsSettings(endpointOverride, stateRegion, tableName, bucketName, other);
    }

    public Optional<URI> endpoint() {
        return Optional.ofNullable(endpointOverride);
    }
}
