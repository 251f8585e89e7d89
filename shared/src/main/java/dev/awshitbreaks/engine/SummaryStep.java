package dev.awshitbreaks.engine;

import dev.awshitbreaks.core.Action;
import dev.awshitbreaks.core.Json;
import dev.awshitbreaks.core.OperationReport;
import dev.awshitbreaks.core.OperationReport.FailedTarget;
import dev.awshitbreaks.core.Outcome;
import dev.awshitbreaks.core.ResourceResult;
import dev.awshitbreaks.core.ServiceKind;
import dev.awshitbreaks.core.SnapshotNotFoundException;
import dev.awshitbreaks.core.TargetResult;
import dev.awshitbreaks.snapshot.OperationHeader;
import dev.awshitbreaks.snapshot.SnapshotRecord;
import dev.awshitbreaks.snapshot.SnapshotStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The state machine's {@code Summarize} task (and the end of an in-process run): gathers every target's result, writes
 * the report (JSON, CSV, HTML) and the snapshot document, sets the statuses and the active-snapshot pointer, and
 * releases the account lock.
 */
public final class SummaryStep {
    private final SnapshotStore store;
    private final Clock clock;
    private final LockLease lease;

    public SummaryStep(SnapshotStore store, Clock clock, LockLease lease) {
        this.store = store;
        this.clock = clock;
        this.lease = lease;
    }

    /**
     * Summarises targets whose full results were stored in S3 by {@link TargetStep#runTarget}: the state machine
     * passes only (region, service, error) references.
     */
    public OperationReport summarizeStored(Plan plan, List<TargetRef> refs) {
        List<TargetResult> results = new ArrayList<>();
        List<FailedTarget> failed = new ArrayList<>();
        try {
            lease.renew(plan);
            for (TargetRef ref : refs) {
                if (ref.error() != null) {
                    failed.add(new FailedTarget(ref.region(), ref.service().id(), ref.error()));
                    continue;
                }
                StoredRead read = readStoredResult(plan, ref);
                if (read.result() != null) {
                    results.add(read.result());
                } else {
                    failed.add(read.failure());
                }
            }
        } catch (RuntimeException e) {
            // nothing above may keep the account locked: summarize() releases it, and this is the only way past it
            if (plan.changesResources()) {
                store.releaseLock(plan.operationId());
            }
            throw e;
        }
        return summarize(plan, results, failed);
    }

    /** A target's stored result as read: the result, or the failed target saying why there is none. */
    private record StoredRead(TargetResult result, FailedTarget failure) {
        static StoredRead failed(TargetRef ref, String why) {
            return new StoredRead(null, new FailedTarget(ref.region(), ref.service().id(), why));
        }
    }

    /**
     * One target's stored result, or the failed target saying why it cannot be read: missing, unreadable, or refused
     * by S3. Without {@code s3:ListBucket} S3 answers a missing key with 403 AccessDenied rather than 404 NoSuchKey
     * (S3 GetObject API reference), so an AWS error here is a failed target of the report, never an exception.
     */
    private StoredRead readStoredResult(Plan plan, TargetRef ref) {
        String key = SnapshotStore.targetKey(plan.operationId(), ref.region(), ref.service());
        String where = "s3://" + store.bucket() + "/" + key;
        Optional<String> doc;
        try {
            doc = store.getDocument(key);
        } catch (RuntimeException e) {
            return StoredRead.failed(ref, "its result could not be read from " + where + ": "
                    + Failures.describe(e) + (e instanceof software.amazon.awssdk.awscore.exception.AwsServiceException ase
                            && ase.statusCode() == 403 ? " (S3 answers 403 for a missing object when s3:ListBucket is not"
                                    + " granted: the target may have ended before storing it)" : ""));
        }
        if (doc.isEmpty()) {
            return StoredRead.failed(ref, "its result is missing from " + where);
        }
        try {
            return new StoredRead(Json.mapper().readValue(doc.get(), TargetResult.class), null);
        } catch (java.io.IOException | RuntimeException e) {
            return StoredRead.failed(ref, "its stored result is unreadable: " + e.getMessage());
        }
    }

    /** A target as the summary step receives it: where, and the error if the whole target failed. */
    public record TargetRef(String region, ServiceKind service, String error) {
    }

    /**
     * Ends the operation: the report (JSON, CSV and an HTML page) and the snapshot document to S3, the snapshot's
     * status, the active-snapshot pointer, and the lock released. Failures are carried into the report.
     */
    public OperationReport summarize(Plan plan, List<TargetResult> results, List<FailedTarget> failedTargets) {
        return summarize(plan, results, failedTargets, null);
    }

    /**
     * As {@link #summarize(Plan, List, List)}; {@code held}: the records an in-process resume holds. When every target
     * ended (none failed), each one's records were written as held, so they are the table's and are not read again;
     * after a failed target the table may hold what was not kept, and is read.
     */
    OperationReport summarize(Plan plan, List<TargetResult> results, List<FailedTarget> failedTargets,
            ResumeRecords held) {
        try {
            List<ResourceResult> resources = new ArrayList<>();
            results.forEach(r -> resources.addAll(r.resources()));
            List<ResourceResult> sorted = OperationReport.sorted(resources);
            boolean failures = !failedTargets.isEmpty() || sorted.stream().anyMatch(r -> r.outcome() == Outcome.FAILED);
            Instant now = clock.instant();
            // every target has ended: the snapshot's records are read once, for the status and the S3 document
            List<SnapshotRecord> records = !plan.changesResources() ? List.of()
                    : held != null && failedTargets.isEmpty() ? held.all() : store.records(plan.snapshotId(), null, null);
            String status;
            if (!plan.changesResources()) {
                status = failures ? OperationHeader.PARTIAL : OperationHeader.COMPLETED;
            } else if (plan.action() == Action.PAUSE) {
                status = failures ? OperationHeader.PARTIAL : OperationHeader.PAUSED;
            } else {
                boolean remaining = records.stream().anyMatch(SnapshotRecord::needsResume);
                status = !remaining ? OperationHeader.RESUMED : failures ? OperationHeader.PARTIAL : OperationHeader.PAUSED;
            }
            OperationReport report = report(plan, status, now, sorted, failedTargets);
            store.putDocument(SnapshotStore.reportKey(plan.operationId(), "json"), Json.writePretty(report), "application/json");
            store.putDocument(SnapshotStore.reportKey(plan.operationId(), "csv"), ReportCsv.write(report), "text/csv");
            store.putDocument(SnapshotStore.reportKey(plan.operationId(), "html"), ReportHtml.write(report),
                    "text/html; charset=utf-8");
            if (plan.changesResources()) {
                OperationHeader snapshot = store.header(plan.snapshotId())
                        .orElseThrow(() -> new SnapshotNotFoundException("snapshot " + plan.snapshotId() + " has no header"))
                        .withStatus(status, now);
                store.putHeader(snapshot);
                store.putDocument(SnapshotStore.snapshotKey(plan.snapshotId()), Json.writePretty(new SnapshotDocument(
                        SnapshotDocument.FORMAT_VERSION, snapshot, records)),
                        "application/json");
                if (OperationHeader.RESUMED.equals(status)) {
                    store.clearActiveSnapshot(plan.snapshotId());
                }
            }
            if (!plan.operationId().equals(plan.snapshotId())) {
                store.header(plan.operationId()).ifPresent(h -> store.putHeader(h.withStatus(
                        failures ? OperationHeader.PARTIAL : OperationHeader.COMPLETED, now)));
            }
            return report;
        } finally {
            if (plan.changesResources()) {
                store.releaseLock(plan.operationId());
            }
        }
    }

    static OperationReport report(Plan plan, String status, Instant now, List<ResourceResult> sorted,
            List<FailedTarget> failedTargets) {
        return new OperationReport(plan.operationId(), plan.snapshotId(), plan.action(), plan.dryRun(),
                status, plan.request().trigger(), plan.startedAt(), now, plan.request().regions(),
                OperationReport.countOutcomes(sorted), sorted, failedTargets);
    }
}
