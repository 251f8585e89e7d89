package dev.awshitbreaks.local;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Serves handlers on a {@link LocalLambdaEndpoint} the way the Lambda Java runtime builds them: by class name,
 * with their no-argument constructors, so each reads its configuration from the environment. Run it with the
 * built Lambda artifact as the classpath ({@code .aws-sam/build/<Function>/lib/*}) plus this module's classes,
 * to check that the shrunk artifact holds everything the handlers need.
 *
 * <p>Arguments: {@code functionName=handlerClass} pairs. Prints the endpoint URL as its first line on stdout,
 * then serves until stdin is closed.
 */
public final class LambdaArtifactServer {
    private LambdaArtifactServer() {
    }

    public static void main(String[] args) throws IOException, ReflectiveOperationException {
        Map<String, RequestStreamHandler> handlers = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq <= 0) {
                System.err.println("expected functionName=handlerClass, got '" + arg + "'");
                System.exit(2);
            }
            Class<?> type = Class.forName(arg.substring(eq + 1));
            handlers.put(arg.substring(0, eq), (RequestStreamHandler) type.getConstructor().newInstance());
        }
        try (LocalLambdaEndpoint endpoint = LocalLambdaEndpoint.start(handlers)) {
            System.out.println(endpoint.endpoint());
            System.out.flush();
            InputStream in = System.in;
            while (in.read() >= 0) {
                // serve until the parent closes stdin
            }
        }
    }
}
