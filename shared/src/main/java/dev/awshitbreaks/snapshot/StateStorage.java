package dev.awshitbreaks.snapshot;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.BucketLocationConstraint;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * The snapshot table and bucket for local mode (the stack creates them when deployed): checks whether
 * they exist and creates them as the template would: encrypted, private, versioned, TLS only.
 */
public final class StateStorage {
    private final DynamoDbClient dynamoDb;
    private final S3Client s3;
    private final String region;

    public StateStorage(DynamoDbClient dynamoDb, S3Client s3, String region) {
        this.dynamoDb = dynamoDb;
        this.s3 = s3;
        this.region = region;
    }

    public boolean tableExists(String table) {
        try {
            dynamoDb.describeTable(b -> b.tableName(table));
            return true;
        } catch (ResourceNotFoundException e) {
            return false;
        }
    }

    public boolean bucketExists(String bucket) {
        try {
            s3.headBucket(b -> b.bucket(bucket));
            return true;
        } catch (NoSuchBucketException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    /**
     * Creates the table. A table that already exists (a retried CreateTable whose first answer was lost, or
     * another run creating it at the same moment) is fine: the wait below finds it.
     */
    public void createTable(String table) {
        try {
            create(table);
        } catch (ResourceInUseException alreadyThere) {
            // exists: waited for below
        }
        dynamoDb.waiter().waitUntilTableExists(b -> b.tableName(table));
        dynamoDb.updateContinuousBackups(b -> b.tableName(table)
                .pointInTimeRecoverySpecification(p -> p.pointInTimeRecoveryEnabled(true)));
    }

    private void create(String table) {
        dynamoDb.createTable(b -> b.tableName(table)
                .attributeDefinitions(
                        AttributeDefinition.builder().attributeName(DynamoDbItems.PK).attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName(DynamoDbItems.SK).attributeType(ScalarAttributeType.S).build())
                .keySchema(
                        KeySchemaElement.builder().attributeName(DynamoDbItems.PK).keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName(DynamoDbItems.SK).keyType(KeyType.RANGE).build())
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .sseSpecification(s -> s.enabled(true)));
    }

    /**
     * Creates the bucket private, encrypted and versioned; with {@code requireTls} (always, against AWS) a
     * bucket policy also refuses any request not made over TLS. A plain-HTTP emulator endpoint on loopback
     * cannot satisfy that policy, so local runs against one leave it out.
     */
    public void createBucket(String bucket, boolean requireTls) {
        try {
            s3.createBucket(b -> {
                b.bucket(bucket);
                if (!"us-east-1".equals(region)) {
                    b.createBucketConfiguration(c -> c.locationConstraint(BucketLocationConstraint.fromValue(region)));
                }
            });
        } catch (BucketAlreadyOwnedByYouException alreadyOurs) {
            // a retried CreateBucket whose first answer was lost: ours, configured below
        }
        s3.putPublicAccessBlock(b -> b.bucket(bucket).publicAccessBlockConfiguration(c -> c
                .blockPublicAcls(true).ignorePublicAcls(true).blockPublicPolicy(true).restrictPublicBuckets(true)));
        s3.putBucketEncryption(b -> b.bucket(bucket).serverSideEncryptionConfiguration(c -> c.rules(r -> r
                .applyServerSideEncryptionByDefault(d -> d.sseAlgorithm(ServerSideEncryption.AES256)))));
        s3.putBucketVersioning(b -> b.bucket(bucket).versioningConfiguration(v -> v.status("Enabled")));
        if (!requireTls) {
            return;
        }
        s3.putBucketPolicy(b -> b.bucket(bucket).policy("""
                {"Version":"2012-10-17","Statement":[{"Sid":"DenyInsecureTransport","Effect":"Deny","Principal":"*",\
                "Action":"s3:*","Resource":["arn:aws:s3:::%1$s","arn:aws:s3:::%1$s/*"],\
                "Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}""".formatted(bucket)));
    }
}
