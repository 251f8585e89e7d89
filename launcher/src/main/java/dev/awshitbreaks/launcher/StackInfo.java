package dev.awshitbreaks.launcher;

/** A deployed aws-hit-breaks stack, from its CloudFormation outputs. */
record StackInfo(String name, String region, String stateMachineArn, String tableName, String bucketName) {
}
