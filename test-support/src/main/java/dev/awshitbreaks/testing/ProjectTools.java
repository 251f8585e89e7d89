package dev.awshitbreaks.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the tools that {@code scripts/setup} installs into the repository's {@code .tools/}. */
public final class ProjectTools {
    private ProjectTools() {
    }

    /** The repository root: the {@code hitbreaks.root} system property Maven passes, or a parent with .tools/. */
    public static Path root() {
        String prop = System.getProperty("hitbreaks.root");
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop).toAbsolutePath().normalize();
        }
        Path p = Path.of("").toAbsolutePath();
        while (p != null) {
            if (Files.isDirectory(p.resolve(".tools")) || Files.exists(p.resolve("template.yaml"))) {
                return p;
            }
            p = p.getParent();
        }
        throw new IllegalStateException("cannot find the repository root; run the tests through Maven from the repository");
    }

    /** An executable from {@code .tools/bin}, or a loud failure saying how to install it. */
    public static Path tool(String name) {
        Path tool = root().resolve(".tools/bin").resolve(name);
        if (!Files.isExecutable(tool)) {
            throw new IllegalStateException(name + " is not installed at " + tool
                    + ". Install the project's tools with: scripts/setup   (the README's test command, scripts/test, runs it for you)");
        }
        return tool;
    }
}
