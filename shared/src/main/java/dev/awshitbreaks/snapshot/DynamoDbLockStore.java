package dev.awshitbreaks.snapshot;

import static dev.awshitbreaks.snapshot.DynamoDbItems.PK;
import static dev.awshitbreaks.snapshot.DynamoDbItems.SK;
import static dev.awshitbreaks.snapshot.DynamoDbItems.n;
import static dev.awshitbreaks.snapshot.DynamoDbItems.s;
import static dev.awshitbreaks.snapshot.DynamoDbItems.str;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/** The lock item {@code LOCK / ACCOUNT} in DynamoDB: conditional PutItem, UpdateItem and DeleteItem on its holder. */
public final class DynamoDbLockStore implements LockStore {
    private static final String LOCK_PK = "LOCK";
    private static final String LOCK_SK = "ACCOUNT";

    private final Supplier<DynamoDbClient> dynamoDb;
    private final String table;

    public DynamoDbLockStore(Supplier<DynamoDbClient> dynamoDb, String table) {
        this.dynamoDb = dynamoDb;
        this.table = table;
    }

    @Override
    public Optional<SnapshotStore.LockHolder> read() {
        var item = dynamoDb.get().getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of(PK, s(LOCK_PK), SK, s(LOCK_SK)))).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new SnapshotStore.LockHolder(item.get("holder").s(), item.get("action").s(), str(item, "owner"),
                    item.containsKey("acquiredAt") ? Instant.parse(item.get("acquiredAt").s()) : Instant.EPOCH,
                    Instant.ofEpochSecond(Long.parseLong(item.get("expiresAt").n()))));
        } catch (RuntimeException e) {
            throw new CorruptSnapshotException("the account lock item is unreadable (" + e.getMessage()
                    + "); delete the item pk=LOCK, sk=ACCOUNT from table " + table + " once no pause or resume runs");
        }
    }

    @Override
    public boolean putIfFreeExpiredOrOurs(SnapshotStore.LockHolder wanted, Instant now) {
        return put(wanted, "attribute_not_exists(pk) OR holder = :me OR expiresAt < :now",
                Map.of(":me", s(wanted.operationId()), ":now", n(now.getEpochSecond())));
    }

    @Override
    public boolean putIfHeldBy(SnapshotStore.LockHolder wanted, String holder) {
        return put(wanted, "holder = :dead", Map.of(":dead", s(holder)));
    }

    private boolean put(SnapshotStore.LockHolder wanted, String condition, Map<String, AttributeValue> values) {
        try {
            dynamoDb.get().putItem(b -> b.tableName(table)
                    .item(Map.of(PK, s(LOCK_PK), SK, s(LOCK_SK), "holder", s(wanted.operationId()), "action", s(wanted.action()),
                            "owner", s(wanted.owner()), "acquiredAt", s(wanted.acquiredAt().toString()),
                            "expiresAt", n(wanted.expiresAt().getEpochSecond())))
                    .conditionExpression(condition)
                    .expressionAttributeValues(values));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public boolean renew(String operationId, Instant until) {
        try {
            dynamoDb.get().updateItem(b -> b.tableName(table).key(Map.of(PK, s(LOCK_PK), SK, s(LOCK_SK)))
                    .updateExpression("SET expiresAt = :until")
                    .conditionExpression("holder = :me")
                    .expressionAttributeValues(Map.of(":me", s(operationId), ":until", n(until.getEpochSecond()))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public void release(String operationId) {
        try {
            dynamoDb.get().deleteItem(b -> b.tableName(table).key(Map.of(PK, s(LOCK_PK), SK, s(LOCK_SK)))
                    .conditionExpression("holder = :me")
                    .expressionAttributeValues(Map.of(":me", s(operationId))));
        } catch (ConditionalCheckFailedException e) {
            // Not ours any more (lease expired and taken over, or already released): leave it alone.
        }
    }
}
