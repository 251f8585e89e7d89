package dev.awshitbreaks.launcher;

/** A text progress bar, {@code [#####.....] 5/10}; ASCII, so it reads the same with NO_COLOR and in logs. */
record Bar(int width) {
    static final Bar DEFAULT = new Bar(20);

    String render(int done, int total) {
        int filled = total <= 0 ? 0 : (int) Math.round((double) width * Math.min(done, total) / total);
        return "[" + "#".repeat(filled) + ".".repeat(width - filled) + "] " + done + "/" + total;
    }
}
