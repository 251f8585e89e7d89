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

    private ExitCode() {
    }
}
