package dev.awshitbreaks.launcher;

import dev.awshitbreaks.core.InvalidRequestException;
import dev.awshitbreaks.core.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * {@code $HOME/.aws-hit-breaks/config.json}: the directory is created 0700, the file written 0600 through a
 * temporary file in the same directory and an atomic rename, so a reader never sees half a file.
 */
final class ConfigFile {
    static final String DIR = ".aws-hit-breaks";
    static final String NAME = "config.json";

    private final Path path;

    ConfigFile(Path home) {
        this.path = home.resolve(DIR).resolve(NAME);
    }

    static ConfigFile of(Terminal terminal) {
        return new ConfigFile(home(terminal));
    }

    static Path home(Terminal terminal) {
        String home = terminal.env("HOME");
        return Path.of(home != null ? home : System.getProperty("user.home"));
    }

    Path path() {
        return path;
    }

    Optional<LauncherConfig> load() {
        if (!Files.exists(path)) {
            return Optional.empty();
        }
        try {
            LauncherConfig c = Json.mapper().readValue(Files.readString(path, StandardCharsets.UTF_8), LauncherConfig.class);
            if (c == null || c.version() != LauncherConfig.VERSION
                    || !(LauncherConfig.REMOTE.equals(c.mode()) || LauncherConfig.LOCAL.equals(c.mode()))) {
                throw new InvalidRequestException("the config file " + path + " is not one this version writes"
                        + " (expected version " + LauncherConfig.VERSION + ", mode remote or local); delete it and run"
                        + " aws-hit-breaks in a terminal to set it up again");
            }
            return Optional.of(c);
        } catch (com.fasterxml.jackson.databind.exc.MismatchedInputException e) {
            throw new InvalidRequestException("the config file " + path + " is unreadable (" + Json.wrongType(e)
                    + "); delete it and run aws-hit-breaks in a terminal to set it up again");
        } catch (IOException e) {
            throw new InvalidRequestException("the config file " + path + " is unreadable (" + e.getMessage().lines().findFirst().orElse("")
                    + "); delete it and run aws-hit-breaks in a terminal to set it up again");
        }
    }

    void save(LauncherConfig config) {
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        try {
            Path dir = path.getParent();
            if (!Files.isDirectory(dir)) {
                if (posix) {
                    Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                } else {
                    Files.createDirectories(dir);
                }
            }
            Path tmp = posix
                    ? Files.createTempFile(dir, NAME, ".tmp", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                    : Files.createTempFile(dir, NAME, ".tmp");
            try {
                Files.writeString(tmp, Json.writePretty(config) + "\n", StandardCharsets.UTF_8);
                try {
                    Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + path + ": " + e.getMessage(), e);
        }
    }
}
