package dev.awshitbreaks.local;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * One cold invocation, as a fresh Lambda sandbox does it: builds the handler by class name with its
 * no-argument constructor (initialisation, configured from the environment), then invokes it once with the
 * payload read from stdin and prints the output on stdout. Used by bench/coldstart with the built Lambda
 * artifact as the classpath. Exit code 1 when the handler throws.
 */
public final class InvokeOnce {
    private InvokeOnce() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: InvokeOnce HANDLER_CLASS < payload.json");
            System.exit(2);
        }
        byte[] payload = System.in.readAllBytes();
        long start = System.nanoTime();
        RequestStreamHandler handler = (RequestStreamHandler) Class.forName(args[0]).getConstructor().newInstance();
        long initialised = System.nanoTime();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            handler.handleRequest(new ByteArrayInputStream(payload), out, new LocalContext("cold-start", LocalLambdaEndpoint.functionArn("cold-start"), "00000000-0000-0000-0000-000000000001",
                    900_000, System.err));
        } catch (Exception e) {
            e.printStackTrace();
            System.exit(1);
        }
        long invoked = System.nanoTime();
        System.err.printf("InvokeOnce: JVM start to main %d ms, handler init %d ms, first invocation %d ms%n",
                java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime() - (invoked - start) / 1_000_000,
                (initialised - start) / 1_000_000, (invoked - initialised) / 1_000_000);
        System.out.println(out.toString(StandardCharsets.UTF_8));
        System.exit(0);
    }
}
