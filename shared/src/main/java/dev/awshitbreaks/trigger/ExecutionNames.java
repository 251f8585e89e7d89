package dev.awshitbreaks.trigger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Execution names derived from an alarm's identity, so a repeated alarm maps to the same name and Step
 * Functions refuses to start it twice. Names keep to letters, digits, {@code -} and {@code _}, 1-80
 * characters (inside Step Functions' rules for every workflow type). When a part had to be changed
 * (characters replaced) or the name had to be cut, an 8-hex SHA-256 suffix of the unchanged identity is
 * appended, so two different identities never share a name.
 */
public final class ExecutionNames {
    public static final int MAX_LENGTH = 80;
    private static final Pattern NOT_ALLOWED = Pattern.compile("[^A-Za-z0-9_-]+");
    private static final Pattern DASHES = Pattern.compile("-{2,}");
    private static final int HASH_CHARS = 8;

    private ExecutionNames() {
    }

    /** {@code kind-part1-part2...}, sanitised; the same parts always give the same name. */
    public static String of(String kind, List<String> parts) {
        String raw = kind + "-" + String.join("-", parts);
        String clean = DASHES.matcher(NOT_ALLOWED.matcher(raw).replaceAll("-")).replaceAll("-");
        clean = strip(clean);
        if (clean.equals(raw) && clean.length() <= MAX_LENGTH) {
            return clean;
        }
        String suffix = "-" + hash(raw);
        String head = clean.length() > MAX_LENGTH - suffix.length() ? clean.substring(0, MAX_LENGTH - suffix.length()) : clean;
        return strip(head) + suffix;
    }

    /**
     * The name of the {@code attempt}-th start of one alarm: the alarm's own name for attempt 0, then
     * {@code <name>-r<attempt>} (cut to fit, with the 8-hex hash of the whole name before the suffix when it had to
     * be cut), so every delivery of the alarm derives the same sequence of names and no two alarms share one.
     */
    public static String attempt(String name, int attempt) {
        if (attempt < 0) {
            throw new IllegalArgumentException("attempt " + attempt + " is negative");
        }
        if (attempt == 0) {
            return name;
        }
        String suffix = "-r" + attempt;
        if (name.length() + suffix.length() <= MAX_LENGTH) {
            return name + suffix;
        }
        String hashed = "-" + hash(name) + suffix;
        return strip(name.substring(0, MAX_LENGTH - hashed.length())) + hashed;
    }

    private static String strip(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && s.charAt(start) == '-') {
            start++;
        }
        while (end > start && s.charAt(end - 1) == '-') {
            end--;
        }
        return s.substring(start, end);
    }

    private static String hash(String raw) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(raw.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, HASH_CHARS);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
