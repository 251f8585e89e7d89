package dev.awshitbreaks.snapshot.memory;

import dev.awshitbreaks.snapshot.DocumentStore;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Documents in memory, as {@link dev.awshitbreaks.snapshot.S3DocumentStore} keeps them (whole, as UTF-8 bytes). */
public final class InMemoryDocumentStore implements DocumentStore {
    private final Map<String, byte[]> documents = new ConcurrentHashMap<>();
    private final Map<String, String> contentTypes = new ConcurrentHashMap<>();

    @Override
    public void put(String key, String body, String contentType) {
        documents.put(key, body.getBytes(StandardCharsets.UTF_8));
        contentTypes.put(key, contentType);
    }

    @Override
    public Optional<String> get(String key) {
        byte[] body = documents.get(key);
        return body == null ? Optional.empty() : Optional.of(new String(body, StandardCharsets.UTF_8));
    }

    /** The content type the document was put with, if there is one. */
    public Optional<String> contentType(String key) {
        return Optional.ofNullable(contentTypes.get(key));
    }
}
