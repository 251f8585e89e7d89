package dev.awshitbreaks.launcher;

/** Entry point: the only place that calls {@link System#exit}. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(Launcher.run(Terminal.system(), args));
    }
}
