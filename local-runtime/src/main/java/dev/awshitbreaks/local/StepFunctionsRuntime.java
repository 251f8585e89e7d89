package dev.awshitbreaks.local;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where aws-local-stepfunctions is installed: the Node 22 executable and the {@code node_modules}
 * directory holding {@code aws-local-stepfunctions} and {@code @aws-sdk/client-lambda}. Both come from
 * {@code scripts/setup}, under the repository's {@code .tools/}.
 */
public record StepFunctionsRuntime(Path node, Path nodeModules) {
    private static final String INSTALL_HINT = "Install the project's tools with: scripts/setup";

    public StepFunctionsRuntime {
        if (!Files.isExecutable(node)) {
            throw new IllegalStateException("Node 22 is not installed at " + node + ". " + INSTALL_HINT);
        }
        if (!Files.isRegularFile(nodeModules.resolve("aws-local-stepfunctions/package.json"))) {
            throw new IllegalStateException("aws-local-stepfunctions is not installed in " + nodeModules + ". " + INSTALL_HINT);
        }
        if (!Files.isRegularFile(nodeModules.resolve("@aws-sdk/client-lambda/package.json"))) {
            throw new IllegalStateException("@aws-sdk/client-lambda (a dependency of aws-local-stepfunctions) is not installed in "
                    + nodeModules + ". " + INSTALL_HINT);
        }
    }

    /** The runtime that {@code scripts/setup} installed under {@code root/.tools}. */
    public static StepFunctionsRuntime installedUnder(Path root) {
        Path tools = root.resolve(".tools");
        Path localSfn = tools.resolve("bin/local-sfn");
        if (!Files.isExecutable(localSfn)) {
            throw new IllegalStateException("local-sfn (aws-local-stepfunctions) is not installed at " + localSfn + ". " + INSTALL_HINT);
        }
        return new StepFunctionsRuntime(tools.resolve("bin/node22"), tools.resolve("node/node_modules"));
    }

    /**
     * The repository root: the {@code hitbreaks.root} system property, else the {@code HITBREAKS_ROOT}
     * environment variable, else the current directory.
     */
    public static Path repositoryRoot() {
        String prop = System.getProperty("hitbreaks.root");
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop).toAbsolutePath().normalize();
        }
        String env = System.getenv("HITBREAKS_ROOT");
        if (env != null && !env.isBlank()) {
            return Path.of(env).toAbsolutePath().normalize();
        }
        return Path.of("").toAbsolutePath();
    }
}
