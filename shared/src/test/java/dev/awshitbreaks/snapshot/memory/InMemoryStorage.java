package dev.awshitbreaks.snapshot.memory;

import dev.awshitbreaks.snapshot.SnapshotStore;

/**
 * A {@link SnapshotStore} over in-memory adapters (no AWS, no moto: a test of the engine's storage logic runs in
 * milliseconds), with the parts at hand for the test hooks that damage what is stored. {@code StorageContract} runs
 * the same assertions against these and the DynamoDB/S3 adapters, so what passes here holds there.
 */
public record InMemoryStorage(InMemoryOperationStore operations, InMemoryLockStore lock, InMemoryRecordStore records,
        InMemoryDocumentStore documents, SnapshotStore store) {
    public static final String TABLE = "in-memory-table";
    public static final String BUCKET = "in-memory-bucket";

    public static InMemoryStorage create() {
        InMemoryOperationStore operations = new InMemoryOperationStore(TABLE);
        InMemoryLockStore lock = new InMemoryLockStore(TABLE);
        InMemoryRecordStore records = new InMemoryRecordStore();
        InMemoryDocumentStore documents = new InMemoryDocumentStore();
        return new InMemoryStorage(operations, lock, records, documents,
                new SnapshotStore(TABLE, BUCKET, operations, lock, records, documents));
    }
}
