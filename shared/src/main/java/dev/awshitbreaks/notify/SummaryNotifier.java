package dev.awshitbreaks.notify;

import dev.awshitbreaks.core.CostSummary;
import dev.awshitbreaks.core.OperationReport;
import dev.awshitbreaks.core.Outcome;
import dev.awshitbreaks.core.ResourceResult;
import dev.awshitbreaks.engine.BrakeEngine;
import dev.awshitbreaks.engine.BurnRateText;
import dev.awshitbreaks.snapshot.SnapshotStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * Tells the people who watch the notification topic what an operation did: counts, the estimated savings
 * (per hour and per month), every failure, where the full report is and a pre-signed link to its HTML page. A notification that cannot be sent never undoes or hides the operation: the
 * outcome says so, and the summary still carries everything.
 */
public final class SummaryNotifier {
    static final int MAX_LISTED_FAILURES = 50;
    private static final int MAX_SUBJECT = 100;

    /** How long the report link in the summary is valid at most: S3's limit for a pre-signed URL. */
    public static final Duration LINK_EXPIRY = Duration.ofDays(7);

    private final SnsClient sns;
    private final String topicArn;
    private final String bucket;
    private final S3Presigner presigner;

    /** A notifier whose summary names the report's S3 location but links nothing. */
    public SummaryNotifier(SnsClient sns, String topicArn, String bucket) {
        this(sns, topicArn, bucket, null);
    }

    /** A notifier whose summary carries a pre-signed GET link to the HTML report. */
    public SummaryNotifier(SnsClient sns, String topicArn, String bucket, S3Presigner presigner) {
        this.sns = sns;
        this.topicArn = topicArn;
        this.bucket = bucket;
        this.presigner = presigner;
    }

    /** Publishes the summary; returns "sent" or "failed: why". */
    public String publish(OperationReport report) {
        return publish(report, null);
    }

    /**
     * As {@link #publish(OperationReport)}, with the line saying when the scheduled resume will happen, or that none is
     * scheduled ({@code ResumeSchedule.Outcome#line}); null when the stack schedules no resumes.
     */
    public String publish(OperationReport report, String scheduledResume) {
        try {
            String link = reportLink(report.operationId()).orElse(null);
            sns.publish(b -> b.topicArn(topicArn).subject(subject(report)).message(message(report, bucket, link, scheduledResume)));
            return "sent";
        } catch (SdkException e) {
            return "failed: " + BrakeEngine.describe(e);
        }
    }

    /** At most 100 printable ASCII characters, no line breaks (SNS's rule for e-mail subjects). */
    static String subject(OperationReport r) {
        String what = (r.dryRun() ? "dry run of " : "") + r.action().id();
        int changed = r.counts().getOrDefault(r.action() == dev.awshitbreaks.core.Action.RESUME ? "resumed" : "paused", 0);
        String s = "aws-hit-breaks: " + what + " " + r.status() + ", " + changed + " "
                + (r.action() == dev.awshitbreaks.core.Action.RESUME ? "resumed" : "paused")
                + (r.hasFailures() ? ", with failures" : "");
        s = s.replaceAll("[^\\x20-\\x7E]", "?");
        return s.length() <= MAX_SUBJECT ? s : s.substring(0, MAX_SUBJECT);
    }

    /**
     * A pre-signed GET link to the HTML report, valid {@link #LINK_EXPIRY} at most. Signed with temporary
     * credentials (a Lambda role's), it stops working when they expire, whichever comes first.
     */
    public Optional<String> reportLink(String operationId) {
        if (presigner == null) {
            return Optional.empty();
        }
        try {
            String key = SnapshotStore.reportKey(operationId, "html");
            return Optional.of(presigner.presignGetObject(b -> b.signatureDuration(LINK_EXPIRY)
                    .getObjectRequest(g -> g.bucket(bucket).key(key))).url().toString());
        } catch (SdkException | IllegalArgumentException e) {
            return Optional.empty(); // the summary still names the report's S3 location
        }
    }

    static String message(OperationReport r, String bucket) {
        return message(r, bucket, null);
    }

    static String message(OperationReport r, String bucket, String link) {
        return message(r, bucket, link, null);
    }

    static String message(OperationReport r, String bucket, String link, String scheduledResume) {
        StringBuilder sb = new StringBuilder();
        sb.append("aws-hit-breaks ").append(r.dryRun() ? "dry run of " : "").append(r.action().id())
                .append(": ").append(r.status()).append('\n');
        sb.append("Operation: ").append(r.operationId()).append('\n');
        if (r.snapshotId() != null) {
            sb.append("Snapshot:  ").append(r.snapshotId()).append('\n');
        }
        sb.append("Trigger:   ").append(r.trigger()).append('\n');
        sb.append("Regions:   ").append(String.join(", ", r.regions())).append('\n');
        sb.append("Started:   ").append(r.startedAt()).append("\nFinished:  ").append(r.finishedAt()).append("\n\n");
        Map<String, Map<String, Integer>> byService = new TreeMap<>();
        for (ResourceResult x : r.resources()) {
            byService.computeIfAbsent(x.service().id(), k -> new TreeMap<>()).merge(x.outcome().id(), 1, Integer::sum);
        }
        if (byService.isEmpty()) {
            sb.append("No resources were found.\n");
        }
        byService.forEach((service, counts) -> {
            List<String> parts = new ArrayList<>();
            counts.forEach((k, v) -> parts.add(v + " " + k));
            sb.append(String.format("  %-12s %s%n", service, String.join(", ", parts)));
        });
        CostSummary c = r.costs();
        sb.append("\nEstimated savings: USD ").append(money(c.hourly())).append(" per hour, USD ").append(money(c.monthly()))
                .append(" per month (730 h); ").append(c.basis()).append('.');
        if (c.unknown() > 0) {
            sb.append(' ').append(c.unknown()).append(" resource(s) with an unknown price are not counted.");
        }
        sb.append('\n');
        if (scheduledResume != null) {
            sb.append(scheduledResume).append('\n');
        }
        burnRate(sb, r);
        List<ResourceResult> failed = r.resources().stream().filter(x -> x.outcome() == Outcome.FAILED).toList();
        if (!failed.isEmpty() || !r.failedTargets().isEmpty()) {
            sb.append("\nFailures (").append(failed.size() + r.failedTargets().size()).append("):\n");
            failed.stream().limit(MAX_LISTED_FAILURES).forEach(x -> sb.append("  ").append(x.service().id()).append(' ')
                    .append(x.region()).append(' ').append(x.id()).append(": ").append(x.reason()).append('\n'));
            if (failed.size() > MAX_LISTED_FAILURES) {
                sb.append("  ... and ").append(failed.size() - MAX_LISTED_FAILURES).append(" more in the report\n");
            }
            r.failedTargets().forEach(t -> sb.append("  target ").append(t.service()).append(' ').append(t.region())
                    .append(": ").append(t.error()).append('\n'));
        }
        if (link != null) {
            sb.append("\nReport with charts (link valid up to ").append(LINK_EXPIRY.toDays())
                    .append(" days, or until the signing credentials expire):\n").append(link).append('\n');
        }
        sb.append("\nFull report: s3://").append(bucket).append('/').append(SnapshotStore.reportKey(r.operationId(), "json"))
                .append(" (and .csv, .html)\n");
        return sb.toString();
    }

    /** The biggest still-billing kinds the summary names. */
    static final int MAX_LISTED_KINDS = 5;

    /**
     * Did the bleeding stop: the burn rate's three figures (before, stops, still bills; per hour and per month, with
     * their unpriced counts) and the still-billing kinds that cost the most. A resume has none.
     */
    private static void burnRate(StringBuilder sb, OperationReport r) {
        if (r.burnRate() == null) {
            return;
        }
        sb.append("\nBurn rate (estimated on-demand cost per hour and per month):\n");
        BurnRateText.figures(r.burnRate()).forEach(line -> sb.append("  ").append(line).append('\n'));
        List<String> kinds = BurnRateText.biggestStillBillingKinds(r.resources(), MAX_LISTED_KINDS);
        if (!kinds.isEmpty()) {
            sb.append("Still billing, the biggest kinds (what to do about each is in the report):\n");
            kinds.forEach(k -> sb.append("  ").append(k).append('\n'));
        }
    }

    private static String money(java.math.BigDecimal usd) {
        return usd.stripTrailingZeros().toPlainString();
    }
}
