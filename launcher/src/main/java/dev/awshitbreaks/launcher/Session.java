package dev.awshitbreaks.launcher;

import dev.awshitbreaks.aws.AwsClients;
import dev.awshitbreaks.core.OperationReport;
import dev.awshitbreaks.core.Request;
import dev.awshitbreaks.engine.BrakeEngine;
import dev.awshitbreaks.engine.EngineSettings;
import dev.awshitbreaks.snapshot.SnapshotStore;
import java.net.URI;
import java.time.Duration;

/**
 * Where the brake runs for one launcher run: in this process ({@code stack == null}: the engine against AWS or
 * an endpoint) or on the deployed stack (its state machine, followed). Status reads the same snapshots either way.
 */
final class Session implements AutoCloseable {
    private final Terminal terminal;
    private final AwsClients clients;
    private final StackInfo stack;
    private final URI endpoint;
    private final EngineSettings engineSettings;
    private final Duration timeout;

    Session(Terminal terminal, AwsClients clients, StackInfo stack, URI endpoint, EngineSettings engineSettings, Duration timeout) {
        this.terminal = terminal;
        this.clients = clients;
        this.stack = stack;
        this.endpoint = endpoint;
        this.engineSettings = engineSettings;
        this.timeout = timeout;
    }

    boolean local() {
        return stack == null;
    }

    StackInfo stack() {
        return stack;
    }

    URI endpoint() {
        return endpoint;
    }

    AwsClients clients() {
        return clients;
    }

    /** For people: where the brake runs. */
    String where() {
        return local() ? "on this computer (--local) against " + (endpoint == null ? "AWS" : endpoint.toString())
                + ", snapshots in " + clients.settings().tableName() + " (" + clients.settings().stateRegion() + ")"
                : "on the deployed stack " + stack.name() + " (" + stack.region() + ")";
    }

    BrakeEngine engine() {
        return BrakeEngine.create(clients, engineSettings);
    }

    SnapshotStore store() {
        return SnapshotStore.dynamoDbAndS3(clients.dynamoDb(), clients.s3(), clients.settings().tableName(), clients.settings().bucketName());
    }

    /** Runs one operation to its end: in-process, or by starting the state machine and following it. */
    OperationReport run(Request request, boolean bar) {
        if (local()) {
            return engine().run(request, new Progress(terminal, bar));
        }
        return new RemoteBrake(clients.sfn(), store(), stack, terminal, timeout, Duration.ofSeconds(1)).run(request, Bar.DEFAULT);
    }

    /** A discover or pause dry run in this process that stores nothing (the snapshot store does not exist). */
    OperationReport lookWithoutStoring(Request request) {
        return engine().lookWithoutStoring(request, new Progress(terminal, false));
    }

    @Override
    public void close() {
        clients.close();
    }
}
