package dev.awshitbreaks.snapshot;

import static software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS;

import dev.awshitbreaks.aws.AwsClients;
import dev.awshitbreaks.aws.AwsSettings;
import dev.awshitbreaks.testing.MotoAccount;
import dev.awshitbreaks.testing.MotoServer;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;

/** {@link StorageContract} against the DynamoDB and S3 adapters, over the real SDK and moto server. */
class DynamoDbStorageContractTest extends StorageContract {
    private static final String TABLE = "storage-contract";
    private static final String BUCKET = "storage-contract-bucket";
    private AwsClients clients;

    @Override
    Storage newStorage() {
        MotoServer moto = MotoServer.get();
        moto.reset();
        clients = new AwsClients(new AwsSettings(moto.endpoint(), "us-east-1", TABLE, BUCKET), MotoAccount.CREDENTIALS);
        StateStorage tables = new StateStorage(clients.dynamoDb(), clients.s3(), "us-east-1");
        tables.createTable(TABLE);
        tables.createBucket(BUCKET, false);
        var operations = new DynamoDbOperationStore(clients::dynamoDb, TABLE);
        var lock = new DynamoDbLockStore(clients::dynamoDb, TABLE);
        var records = new DynamoDbRecordStore(clients::dynamoDb, TABLE);
        var documents = new S3DocumentStore(clients::s3, BUCKET);
        return new Storage(new SnapshotStore(TABLE, BUCKET, operations, lock, records, documents), operations, lock, records, documents);
    }

    @AfterEach
    void closeClients() {
        clients.close();
    }

    @Override
    void storeUnreadableHeader(String operationId) {
        put(Map.of("pk", fromS("OPERATION"), "sk", fromS(operationId), "action", fromS("pause"), "status", fromS("paused")));
    }

    @Override
    void storeUnreadableRecord(String snapshotId, String key) {
        put(Map.of("pk", fromS("SNAPSHOT#" + snapshotId), "sk", fromS(key), "original", fromS("{}")));
    }

    @Override
    void storeUnreadableLock() {
        // no holder; a lease far ahead, so no condition on the item holds (moto answers 500 where DynamoDB compares
        // a string expiresAt with a number as false, so the damage is a missing holder here)
        put(Map.of("pk", fromS("LOCK"), "sk", fromS("ACCOUNT"), "action", fromS("pause"), "owner", fromS("process:h:1:1"),
                "expiresAt", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromN("4102444800")));
    }

    @Override
    void pointActiveAt(String raw) {
        put(Map.of("pk", fromS("ACTIVE"), "sk", fromS("SNAPSHOT"), "snapshotId", fromS(raw)));
    }

    private void put(Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> item) {
        clients.dynamoDb().putItem(b -> b.tableName(TABLE).item(item));
    }
}
