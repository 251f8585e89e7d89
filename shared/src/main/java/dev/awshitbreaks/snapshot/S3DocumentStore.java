package dev.awshitbreaks.snapshot;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/** Documents as S3 objects in the snapshot bucket (SSE-S3); a missing key is empty, any other S3 error escapes. */
public final class S3DocumentStore implements DocumentStore {
    private final Supplier<S3Client> s3;
    private final String bucket;

    public S3DocumentStore(Supplier<S3Client> s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    /** Puts one document; S3 writes whole objects, so a reader never sees half of one. */
    @Override
    public void put(String key, String body, String contentType) {
        s3.get().putObject(b -> b.bucket(bucket).key(key).contentType(contentType)
                        .serverSideEncryption(ServerSideEncryption.AES256),
                RequestBody.fromBytes(body.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public Optional<String> get(String key) {
        try {
            return Optional.of(s3.get().getObjectAsBytes(b -> b.bucket(bucket).key(key)).asUtf8String());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        }
    }
}
