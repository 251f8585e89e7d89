package dev.awshitbreaks.snapshot;

import dev.awshitbreaks.snapshot.memory.InMemoryStorage;

/** {@link StorageContract} against the in-memory adapters (no AWS, no moto). */
class InMemoryStorageContractTest extends StorageContract {
    private InMemoryStorage memory;

    @Override
    Storage newStorage() {
        memory = InMemoryStorage.create();
        return new Storage(memory.store(), memory.operations(), memory.lock(), memory.records(), memory.documents());
    }

    @Override
    void storeUnreadableHeader(String operationId) {
        memory.operations().putUnreadableHeader(operationId, "its 'request' is missing or not a string");
    }

    @Override
    void storeUnreadableRecord(String snapshotId, String key) {
        memory.records().putUnreadable(snapshotId, key, unreadableReason());
    }

    @Override
    void storeUnreadableLock() {
        memory.lock().damage("its 'holder' is missing");
    }

    @Override
    void pointActiveAt(String raw) {
        memory.operations().pointActiveAt(raw);
    }
}
