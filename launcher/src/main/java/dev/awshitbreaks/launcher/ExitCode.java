package dev.awshitbreaks.launcher;

/** The launcher's exit codes, documented in the README. */
public final class ExitCode {
    /** Every targeted resource reached the requested state or was deliberately skipped. */
    public static final int OK = 0;
    /** At least one resource or target failed; the report lists each. */
    public static final int FAILURES = 1;
    /** Invalid input (options, request, snapshot id); nothing was touched. */
    public static final int INVALID_INPUT = 2;
    /** Another pause or resume is running in this account; nothing was touched. */
    public static final int CONFLICT = 3;
    /** AWS could not be reached or refused (credentials, permissions, endpoint). */
    public static final int AWS_ERROR = 4;
    /** Not confirmed: the user said no, or no one was at a terminal to ask and --yes was not given. */
    public static final int NOT_CONFIRMED = 5;
    /** The stack's execution was still running when --timeout ran out; it goes on. */
    public static final int STILL_RUNNING = 6;
    /** A bug in aws-hit-breaks. */
    public static final int INTERNAL = 70;

    /** Every exit code and what it means, for the help: one line each, in order. */
    static final java.util.Map<Integer, String> MEANINGS = meanings();

    private static java.util.Map<Integer, String> meanings() {
        java.util.Map<Integer, String> m = new java.util.LinkedHashMap<>();
        m.put(OK, "done: every targeted resource reached the requested state or was deliberately skipped");
        m.put(FAILURES, "some resource or target failed (the report lists each), or a local file could not be written");
        m.put(INVALID_INPUT, "invalid input (an option, the request, a snapshot id), named; nothing was touched");
        m.put(CONFLICT, "another pause or resume is running in this account; nothing was touched");
        m.put(AWS_ERROR, "AWS could not be reached or refused (credentials, permissions, endpoint), no stack was found,"
                + " or the snapshot is damaged (see --rebuild-from)");
        m.put(NOT_CONFIRMED, "not confirmed: declined, or no one at a terminal and no --yes; nothing was changed");
        m.put(STILL_RUNNING, "the stack's execution was still running when --timeout ran out; it goes on");
        m.put(INTERNAL, "a bug in aws-hit-breaks (please report it)");
        return java.util.Collections.unmodifiableMap(m);
    }

    private ExitCode() {
    }
}
