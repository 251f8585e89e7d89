package dev.awshitbreaks.launcher;

import dev.awshitbreaks.core.Shown;
import dev.awshitbreaks.core.InvalidRequestException;
import dev.awshitbreaks.core.Json;
import dev.awshitbreaks.core.OperationReport;
import dev.awshitbreaks.engine.ReportCsv;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * {@code --report FILE [--format json|csv]}: the operation's report, the same document the engine stores in S3
 * ({@code reports/<id>.json|csv}); the two formats carry the same rows (design property 12).
 */
record ReportFile(Path path, String format) {
    static ReportFile of(String file, String format) {
        if (file.isBlank()) {
            throw new InvalidRequestException("--report needs a file name");
        }
        Path path = Path.of(file).toAbsolutePath().normalize();
        String f = format != null ? format.toLowerCase(Locale.ROOT)
                : file.toLowerCase(Locale.ROOT).endsWith(".csv") ? "csv" : "json";
        if (!f.equals("json") && !f.equals("csv")) {
            throw new InvalidRequestException("invalid --format " + Shown.quote(format) + ": expected json or csv");
        }
        Path dir = path.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new InvalidRequestException("invalid --report " + Shown.quote(file) + ": the directory " + dir + " does not exist");
        }
        if (Files.isDirectory(path)) {
            throw new InvalidRequestException("invalid --report " + Shown.quote(file) + ": it is a directory");
        }
        return new ReportFile(path, f);
    }

    static String render(OperationReport report, String format) {
        return format.equals("csv") ? ReportCsv.write(report) : Json.writePretty(report) + "\n";
    }

    /** Written to a temporary file beside it, then renamed over it. */
    void write(OperationReport report) {
        try {
            Path tmp = Files.createTempFile(path.getParent(), path.getFileName().toString(), ".tmp");
            try {
                Files.writeString(tmp, render(report, format), StandardCharsets.UTF_8);
                Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the report to " + path + ": " + e.getMessage(), e);
        }
    }
}
