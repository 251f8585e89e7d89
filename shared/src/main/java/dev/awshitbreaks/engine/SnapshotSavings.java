package dev.awshitbreaks.engine;

import dev.awshitbreaks.core.Outcome;
import dev.awshitbreaks.snapshot.SnapshotRecord;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What a snapshot has saved so far: each resource's hourly figure (recorded at the pause) times the hours it
 * has been paused, until now while it is still paused, until its resume once resumed. Resources without a
 * known price are counted in {@code unknown}, never as zero.
 *
 * @param hourlyWhilePaused what the resources still paused cost per hour when they run: saved each hour now
 * @param pausedSince       when the first resource still paused was paused (null when none is)
 * @param pausedFor         how long since then (zero when none is paused)
 * @param savedSoFar        USD saved so far, rounded to a millionth of a dollar
 */
public record SnapshotSavings(BigDecimal hourlyWhilePaused, Instant pausedSince, Duration pausedFor, BigDecimal savedSoFar,
        int paused, int unknown) {
    private static final BigDecimal SECONDS_PER_HOUR = BigDecimal.valueOf(3600);

    public static SnapshotSavings of(List<SnapshotRecord> records, Instant now) {
        BigDecimal hourly = BigDecimal.ZERO;
        BigDecimal saved = BigDecimal.ZERO;
        Instant since = null;
        int paused = 0;
        int unknown = 0;
        for (SnapshotRecord r : records) {
            Instant until;
            if (r.phase() == Outcome.PAUSED) {
                until = now;
                paused++;
                if (since == null || r.recordedAt().isBefore(since)) {
                    since = r.recordedAt();
                }
            } else if (r.phase() == Outcome.RESUMED) {
                until = r.updatedAt();
            } else {
                continue; // skipped or failed: never paused, so nothing saved
            }
            if (r.hourlyCost() == null) {
                unknown++;
                continue;
            }
            BigDecimal h = BigDecimal.valueOf(r.hourlyCost());
            if (r.phase() == Outcome.PAUSED) {
                hourly = hourly.add(h);
            }
            long seconds = Math.max(0, Duration.between(r.recordedAt(), until).getSeconds());
            saved = saved.add(h.multiply(BigDecimal.valueOf(seconds)).divide(SECONDS_PER_HOUR, 6, RoundingMode.HALF_UP));
        }
        Duration pausedFor = since == null ? Duration.ZERO : Duration.between(since, now).isNegative() ? Duration.ZERO
                : Duration.between(since, now);
        return new SnapshotSavings(hourly, since, pausedFor, saved.setScale(6, RoundingMode.HALF_UP), paused, unknown);
    }

    /** "3d 4h 12m" */
    public static String describe(Duration d) {
        long minutes = d.toMinutes();
        long days = minutes / (24 * 60);
        long hours = (minutes / 60) % 24;
        long mins = minutes % 60;
        return (days > 0 ? days + "d " : "") + (days > 0 || hours > 0 ? hours + "h " : "") + mins + "m";
    }
}
