package dev.awshitbreaks.local;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** The Lambda {@link Context} of one local invocation: names, request id, remaining time, a logger. */
final class LocalContext implements Context {
    private static final int MEMORY_MB = 1024;

    private final String functionName;
    private final String functionArn;
    private final String requestId;
    private final long deadlineMillis;
    private final LambdaLogger logger;

    LocalContext(String functionName, String functionArn, String requestId, long timeoutMillis, PrintStream log) {
        this.functionName = functionName;
        this.functionArn = functionArn;
        this.requestId = requestId;
        this.deadlineMillis = System.currentTimeMillis() + timeoutMillis;
        this.logger = new LambdaLogger() {
            @Override
            public void log(String message) {
                synchronized (log) {
                    log.print("[" + functionName + "] " + message);
                    if (!message.endsWith("\n")) {
                        log.println();
                    }
                }
            }

            @Override
            public void log(byte[] message) {
                log(new String(message, StandardCharsets.UTF_8));
            }
        };
    }

    @Override
    public String getAwsRequestId() {
        return requestId;
    }

    @Override
    public String getLogGroupName() {
        return "/aws/lambda/" + functionName;
    }

    @Override
    public String getLogStreamName() {
        return "local/" + requestId;
    }

    @Override
    public String getFunctionName() {
        return functionName;
    }

    @Override
    public String getFunctionVersion() {
        return "$LATEST";
    }

    @Override
    public String getInvokedFunctionArn() {
        return functionArn;
    }

    @Override
    public CognitoIdentity getIdentity() {
        return null;
    }

    @Override
    public ClientContext getClientContext() {
        return null;
    }

    @Override
    public int getRemainingTimeInMillis() {
        return (int) Math.max(0, deadlineMillis - System.currentTimeMillis());
    }

    @Override
    public int getMemoryLimitInMB() {
        return MEMORY_MB;
    }

    @Override
    public LambdaLogger getLogger() {
        return logger;
    }
}
