package dev.awshitbreaks.core;

/**
 * A value that came from outside (an option, a request document, a stored item), made safe to repeat in a
 * message: quoted, control and invisible formatting characters escaped as {@code \\uXXXX} (so nothing can
 * move a terminal's cursor or hide text), and cut after {@value #MAX} characters with its full length said.
 */
public final class Shown {
    static final int MAX = 80;

    private Shown() {
    }

    /** {@code 'value'}, escaped and cut; {@code (none)} for null. */
    public static String quote(String value) {
        return value == null ? "(none)" : "'" + plain(value) + "'";
    }

    /** The value escaped and cut, without quotes. */
    public static String plain(String value) {
        return plain(value, MAX);
    }

    /** The value escaped and cut after {@code max} characters, without quotes. */
    public static String plain(String value, int max) {
        if (value == null) {
            return "(none)";
        }
        StringBuilder sb = new StringBuilder();
        int i = 0;
        for (; i < value.length() && sb.length() < max; i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT
                    || c == '\u2028' || c == '\u2029' || Character.isSurrogate(c) && !wellPaired(value, i)) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        if (i < value.length() && i > 0 && Character.isHighSurrogate(value.charAt(i - 1))
                && Character.isLowSurrogate(value.charAt(i))) {
            sb.append(value.charAt(i++)); // never cut a character in half
        }
        if (i < value.length()) {
            sb.append("... (").append(value.length()).append(" characters)");
        }
        return sb.toString();
    }

    private static boolean wellPaired(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }
}
