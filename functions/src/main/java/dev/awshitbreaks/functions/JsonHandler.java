package dev.awshitbreaks.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.awshitbreaks.core.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A handler that reads its input as a JSON string and writes its result as JSON. Exceptions propagate,
 * so the Lambda runtime reports them by class name and the state machine's Retry and Catch can match.
 */
abstract class JsonHandler implements RequestStreamHandler {
    static {
        SnapStartPriming.register();
    }

    @Override
    public final void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        String in = new String(input.readAllBytes(), StandardCharsets.UTF_8);
        Object result = handle(in, FunctionLog.of(context));
        output.write(Json.write(result).getBytes(StandardCharsets.UTF_8));
    }

    /** @param log Lambda's logger for this invocation (never System.out or System.err) */
    protected abstract Object handle(String input, FunctionLog log) throws IOException;
}
