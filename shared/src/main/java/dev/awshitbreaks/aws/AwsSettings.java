package dev.awshitbreaks.aws;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Where and how the engine talks to AWS: an optional endpoint override (moto, LocalStack), the region
 * that holds the snapshot table and bucket, and the retry budget. Names only, never credentials.
 */
public record AwsSettings(
        URI endpointOverride,
        String stateRegion,
        String tableName,
        String bucketName,
        int maxAttempts,
        Duration apiCallTimeout) {

    public static final int DEFAULT_MAX_ATTEMPTS = 8;
    public static final Duration DEFAULT_API_CALL_TIMEOUT = Duration.ofSeconds(50);

    public AwsSettings {
        Objects.requireNonNull(stateRegion, "stateRegion");
        Objects.requireNonNull(tableName, "tableName");
        Objects.requireNonNull(bucketName, "bucketName");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        Objects.requireNonNull(apiCallTimeout, "apiCallTimeout");
    }

    public AwsSettings(URI endpointOverride, String stateRegion, String tableName, String bucketName) {
        this(endpointOverride, stateRegion, tableName, bucketName, DEFAULT_MAX_ATTEMPTS, DEFAULT_API_CALL_TIMEOUT);
    }

    public Optional<URI> endpoint() {
        return Optional.ofNullable(endpointOverride);
    }
}
