package dev.awshitbreaks.snapshot;

import java.util.Optional;

/**
 * Whole documents by key (snapshot copies, reports, target results): a put replaces the whole document, a get
 * returns it byte for byte as put, however malformed (its reader judges it), or empty when there is none. Adapters:
 * {@link S3DocumentStore}, and an in-memory one for tests; {@code StorageContract} holds both to the same rules.
 */
public interface DocumentStore {
    void put(String key, String body, String contentType);

    Optional<String> get(String key);
}
