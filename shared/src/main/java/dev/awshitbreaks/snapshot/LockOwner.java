package dev.awshitbreaks.snapshot;

import java.time.Instant;
import java.util.Optional;

/**
 * Who holds the account lock, written into the lock item so another run can tell a live holder from a dead one.
 *
 * <ul>
 *   <li>{@code process:<host>:<pid>:<start epoch ms>}: an in-process run (the launcher's {@code --local}). It is
 *       <em>provably dead</em> when it ran on this same host and no process with that pid and start time exists
 *       any more; a run on another host is judged by its lease alone (renewed by a heartbeat while it runs).</li>
 *   <li>{@code execution:<execution ARN>}: a state machine execution. Never judged dead here; its lease ends it.
 *       A retried Plan of the same execution re-enters the lock (the operation id is derived from the execution).</li>
 * </ul>
 */
public final class LockOwner {
    private static final String PROCESS = "process:";
    private static final String EXECUTION = "execution:";

    private LockOwner() {
    }

    /** This JVM. */
    public static String thisProcess() {
        ProcessHandle self = ProcessHandle.current();
        long start = self.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
        return PROCESS + host() + ":" + self.pid() + ":" + start;
    }

    public static String execution(String executionId) {
        return EXECUTION + executionId;
    }

    /**
     * True only when {@code owner} is a process on this host that no longer runs (its pid is gone, or now belongs
     * to a process started at another time). Anything else (another host, an execution, an unreadable owner, or
     * a live process, this one included) is not provably dead.
     */
    public static boolean provablyDead(String owner) {
        Optional<long[]> p = parseProcess(owner);
        if (p.isEmpty()) {
            return false;
        }
        String[] parts = owner.substring(PROCESS.length()).split(":");
        if (!host().equals(parts[0]) || "unknown-host".equals(parts[0])) {
            return false;
        }
        long pid = p.get()[0];
        long start = p.get()[1];
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !handle.get().isAlive()) {
            return true;
        }
        Optional<Instant> actual = handle.get().info().startInstant();
        return start != 0 && actual.isPresent() && actual.get().toEpochMilli() != start;
    }

    /** A short description for messages: "process 1234 on host h" or "execution arn:...". */
    public static String describe(String owner) {
        if (owner == null) {
            return "an unknown owner";
        }
        if (owner.startsWith(EXECUTION)) {
            return "state machine execution " + owner.substring(EXECUTION.length());
        }
        Optional<long[]> p = parseProcess(owner);
        if (p.isPresent()) {
            return "process " + p.get()[0] + " on host " + owner.substring(PROCESS.length()).split(":")[0];
        }
        return owner;
    }

    private static Optional<long[]> parseProcess(String owner) {
        if (owner == null || !owner.startsWith(PROCESS)) {
            return Optional.empty();
        }
        String[] parts = owner.substring(PROCESS.length()).split(":");
        if (parts.length != 3) {
            return Optional.empty();
        }
        try {
            return Optional.of(new long[] {Long.parseLong(parts[1]), Long.parseLong(parts[2])});
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static String host() {
        String h = System.getenv("HOSTNAME");
        if (h == null || h.isBlank()) {
            try {
                h = java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.io.IOException | RuntimeException e) {
                h = "unknown-host";
            }
        }
        return h.replace(":", "_");
    }
}
