package dev.awshitbreaks.services;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The pausers depend on neither the engine nor the snapshot storage: the engine uses {@code services}, never the
 * other way round (no cycle), and a pauser takes its settings as {@link WaitSettings} and its input as
 * {@link PausedResource}, not as the engine's settings or the store's records. Read from the sources.
 */
class ServicesDependencyTest {
    @Test
    void noServicesSourceNamesTheEngineOrTheSnapshotPackage() throws IOException {
        Path dir = Path.of("src/main/java/dev/awshitbreaks/services");
        List<String> offenders;
        try (Stream<Path> files = Files.list(dir)) {
            offenders = files.filter(f -> f.toString().endsWith(".java")).flatMap(f -> {
                try {
                    return Files.readAllLines(f).stream()
                            .filter(l -> l.contains("dev.awshitbreaks.engine.") || l.contains("dev.awshitbreaks.snapshot."))
                            .map(l -> f.getFileName() + ": " + l.strip());
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
        assertThat(Files.isDirectory(dir)).isTrue();
        assertThat(offenders).isEmpty();
    }
}
