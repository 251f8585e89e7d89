package dev.awshitbreaks.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import software.amazon.awssdk.profiles.ProfileFile;

/** The region the AWS CLI would use: {@code $AWS_REGION}, {@code $AWS_DEFAULT_REGION}, then the profile's in its config file. */
final class CliRegion {
    private CliRegion() {
    }

    /** @return the region, or null when none is configured */
    static String of(Terminal terminal, String profile) {
        for (String env : new String[] {"AWS_REGION", "AWS_DEFAULT_REGION"}) {
            if (terminal.env(env) != null) {
                return terminal.env(env);
            }
        }
        String file = terminal.env("AWS_CONFIG_FILE");
        Path config = file != null ? Path.of(file) : ConfigFile.home(terminal).resolve(".aws").resolve("config");
        if (!Files.isReadable(config)) {
            return null;
        }
        String name = profile != null ? profile : terminal.env("AWS_PROFILE") != null ? terminal.env("AWS_PROFILE") : "default";
        try {
            return ProfileFile.builder().content(config).type(ProfileFile.Type.CONFIGURATION).build()
                    .profile(name).flatMap(p -> p.property("region")).orElse(null);
        } catch (RuntimeException unreadable) {
            return null; // the AWS CLI would complain about this file; the launcher just does not take a region from it
        }
    }
}
