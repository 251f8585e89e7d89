package dev.awshitbreaks.core;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.regex.Pattern;
import java.util.random.RandomGenerator;

/**
 * Operation ids: {@code <kind>-yyyyMMdd-HHmmss-<6 hex>}, kind one of pause, resume, discover, dryrun.
 * A pause's id is its snapshot id. The shape is strict so an id can never name a path or a foreign key.
 */
public final class OperationId {
    private static final Pattern OPERATION = Pattern.compile("(pause|resume|discover|dryrun)-\\d{8}-\\d{6}-[0-9a-f]{6}");
    private static final Pattern SNAPSHOT = Pattern.compile("pause-\\d{8}-\\d{6}-[0-9a-f]{6}");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private OperationId() {
    }

    public static String next(String kind, Instant now, RandomGenerator random) {
        String id = kind + "-" + STAMP.format(now) + "-" + String.format("%06x", random.nextInt(1 << 24));
        if (!OPERATION.matcher(id).matches()) {
            throw new IllegalArgumentException("bad operation kind " + kind);
        }
        return id;
    }

    public static boolean isOperationId(String id) {
        return id != null && OPERATION.matcher(id).matches();
    }

    public static boolean isSnapshotId(String id) {
        return id != null && SNAPSHOT.matcher(id).matches();
    }

    /**
     * Every snapshot id that comes in (an option, a request document, a handler's input, a stored item) and
     * every S3 key built from one passes here: only {@code pause-yyyyMMdd-HHmmss-<6 hex>}, so no id can be a
     * path ({@code ../x}), an encoded path ({@code %2e%2e%2f}), a URL or another bucket's key.
     */
    public static void requireSnapshotId(String id) {
        if (!isSnapshotId(id)) {
            throw new InvalidRequestException("invalid snapshot id " + Shown.quote(id)
                    + ": expected the id of a pause, such as pause-20261125-181921-3fa9c1");
        }
    }

    /** As {@link #requireSnapshotId} for operation ids ({@code pause|resume|discover|dryrun-...}). */
    public static void requireOperationId(String id) {
        if (!isOperationId(id)) {
            throw new InvalidRequestException("invalid operation id " + Shown.quote(id)
                    + ": expected an id such as resume-20261125-181921-3fa9c1");
        }
    }
}
