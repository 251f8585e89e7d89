package dev.awshitbreaks.services.memory;

import dev.awshitbreaks.core.Outcome;
import dev.awshitbreaks.core.ResourceResult;
import dev.awshitbreaks.core.ServiceKind;
import dev.awshitbreaks.services.Discovered;
import dev.awshitbreaks.services.OriginalState;
import dev.awshitbreaks.services.OriginalState.Ec2Instance;
import dev.awshitbreaks.services.OriginalState.EcsService;
import dev.awshitbreaks.services.OriginalState.RdsInstance;
import dev.awshitbreaks.services.PausedResource;
import dev.awshitbreaks.services.ResourceFilter;
import dev.awshitbreaks.services.ResourcePauser;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * <b>A stand-in for AWS services' APIs, not for any of our code</b>: a small account held in memory, with EC2
 * instances, RDS DB instances and ECS services in any regions, each with its tags and its live state as the service's
 * Describe call would answer it. It is reached only through {@link ResourcePauser} ({@link #pausers()}), one per
 * service, so the real engine ({@code BrakeEngine}, {@code InProcessRunner}, {@code PlanStep}, {@code TargetStep},
 * {@code ReadinessStep}, {@code SummaryStep}) and the real storage logic (over {@code InMemoryStorage}) run over it
 * in milliseconds. What the real pausers do with the real APIs (filters, skip rules, batching, read-back, waits) is
 * tested against moto ({@code Ec2PauseResumeTest}, {@code MultiServicePropertiesTest} and the others); here each
 * service keeps only the contract of {@link ResourcePauser}: discover what costs money now, record nothing, change
 * what it is asked to and report what it then reads back, one failed resource never throwing, and on resume put back
 * the recorded state, reporting drift (a resource gone, a changed type) instead of fighting it and never starting
 * what was not running.
 *
 * <p>A live state is written as the {@link OriginalState} record of its service (the fields a pause records, as
 * Describe answers them): EC2 {@code state} and {@code instanceType}; RDS {@code status}, class, engine and resource
 * id; ECS {@code desiredCount} (services without an Application Auto Scaling target). A started database is
 * {@code starting} until it has been described {@link #databaseStartReads} times (what the readiness check waits
 * for), or until {@link #timePasses()}.
 *
 * <p>Faults, as AWS would answer them: {@link #refuse} makes the API refuse every change of one resource (it is
 * reported failed, the others carry on); {@link #outage} makes every call to one service in one region throw, at
 * discovery or only when changing (after the engine has recorded the original states), so the whole target fails.
 * Every change is logged in order ({@link #changes()}) and shown first to {@link #beforeEachChange} listeners.
 * Thread-safe: the engine runs targets in parallel.
 */
public final class InMemoryAccount {
    /** When an {@link #outage} hits: at discovery (nothing recorded yet), or at the change (after the recording). */
    public enum OutageAt { DISCOVERY, CHANGE }

    /** One resource of the account: where it is, its tags and its live state. */
    public record Resource(ServiceKind service, String region, String id, Map<String, String> tags, OriginalState state) {
        public Resource {
            tags = Map.copyOf(tags);
            if (!OriginalState.typeOf(service).isInstance(state)) {
                throw new IllegalArgumentException(service.id() + " resource with a " + state.getClass().getSimpleName());
            }
        }

        /** Its type as the service names it: the instance type, the DB instance class, or "service". */
        public String type() {
            if (state instanceof Ec2Instance e) {
                return e.instanceType();
            }
            return state instanceof RdsInstance r ? r.dbInstanceClass() : "service";
        }

        /** The same resource in another state (its owner changing it, or the API). */
        public Resource withState(OriginalState newState) {
            return new Resource(service, region, id, tags, newState);
        }
    }

    /** One change the API made, in order: the state before and after. */
    public record Change(long sequence, ServiceKind service, String region, String id, OriginalState from, OriginalState to) {
    }

    private final Map<String, Resource> resources = new TreeMap<>();
    private final Map<String, String> refusals = new HashMap<>();
    private final Map<String, OutageAt> outages = new HashMap<>();
    private final Map<String, Integer> startingReads = new HashMap<>();
    private final List<Change> changes = new ArrayList<>();
    private final List<Consumer<Change>> listeners = new ArrayList<>();
    private int databaseStartReads = 2;

    private static String key(String region, ServiceKind service, String id) {
        return region + "#" + service.id() + "#" + id;
    }

    // ------------------------------------------------------------------ the account, as its owner sets it up

    /** A running EC2 instance. */
    public synchronized InMemoryAccount instance(String region, String id, String instanceType, Map<String, String> tags) {
        return put(new Resource(ServiceKind.EC2, region, id, tags, new Ec2Instance("running", instanceType)));
    }

    /** An available RDS DB instance. */
    public synchronized InMemoryAccount database(String region, String id, String dbInstanceClass, Map<String, String> tags) {
        return put(new Resource(ServiceKind.RDS, region, id, tags,
                new RdsInstance("available", dbInstanceClass, "postgres", "db-" + id.toUpperCase())));
    }

    /** An ECS service (without an Application Auto Scaling target) running this many tasks. */
    public synchronized InMemoryAccount service(String region, String id, int desiredCount, Map<String, String> tags) {
        return put(new Resource(ServiceKind.ECS, region, id, tags, EcsService.withoutTarget(desiredCount)));
    }

    /** Adds or replaces a resource: its owner changing it outside the brake (a drift, or a scale-up between pauses). */
    public synchronized InMemoryAccount put(Resource r) {
        resources.put(key(r.region(), r.service(), r.id()), r);
        return this;
    }

    /** Deletes a resource (terminated, deleted): a drift a resume must report. */
    public synchronized void delete(String region, ServiceKind service, String id) {
        resources.remove(key(region, service, id));
    }

    public synchronized Optional<Resource> get(String region, ServiceKind service, String id) {
        return Optional.ofNullable(resources.get(key(region, service, id)));
    }

    /** Every resource's live state by {@code region#service#id}. */
    public synchronized Map<String, OriginalState> states() {
        Map<String, OriginalState> out = new TreeMap<>();
        resources.forEach((k, r) -> out.put(k, r.state()));
        return out;
    }

    public synchronized List<Resource> resources() {
        return List.copyOf(resources.values());
    }

    /** Every change made so far, in order. */
    public synchronized List<Change> changes() {
        return List.copyOf(changes);
    }

    /** Called with each change just before the API makes it (on the engine's thread; what it throws fails the change). */
    public synchronized void beforeEachChange(Consumer<Change> listener) {
        listeners.add(listener);
    }

    // ------------------------------------------------------------------ faults

    /** The API refuses every change of this resource with this error message until {@link #clearFaults()}. */
    public synchronized void refuse(String region, ServiceKind service, String id, String message) {
        refusals.put(key(region, service, id), message);
    }

    /** Every call to this service in this region fails ({@code at} discovery, or only at the change) until cleared. */
    public synchronized void outage(String region, ServiceKind service, OutageAt at) {
        outages.put(region + "#" + service.id(), at);
    }

    public synchronized void clearFaults() {
        refusals.clear();
        outages.clear();
    }

    /** How many reads a started database stays {@code starting} for. */
    public synchronized void databaseStartReads(int reads) {
        this.databaseStartReads = reads;
    }

    /** Time passes: every started database becomes available. */
    public synchronized void timePasses() {
        for (String k : List.copyOf(startingReads.keySet())) {
            becomeAvailable(k);
        }
    }

    // ------------------------------------------------------------------ the services' APIs, through ResourcePauser

    /** One {@link ResourcePauser} per service this account has: EC2, RDS and ECS. */
    public List<ResourcePauser> pausers() {
        return List.of(new Api(ServiceKind.EC2), new Api(ServiceKind.RDS), new Api(ServiceKind.ECS));
    }

    /** Whether a resource in this state costs money now: what discovery finds. */
    private static boolean costsMoney(OriginalState s) {
        if (s instanceof Ec2Instance e) {
            return "running".equals(e.state());
        }
        if (s instanceof RdsInstance r) {
            return "available".equals(r.status());
        }
        return s instanceof EcsService e && e.desiredCount() > 0;
    }

    private static OriginalState paused(OriginalState s) {
        if (s instanceof Ec2Instance e) {
            return new Ec2Instance("stopped", e.instanceType());
        }
        if (s instanceof RdsInstance r) {
            return new RdsInstance("stopped", r.dbInstanceClass(), r.engine(), r.resourceId());
        }
        if (s instanceof EcsService) {
            return EcsService.withoutTarget(0);
        }
        throw new IllegalArgumentException(String.valueOf(s));
    }

    private static boolean isPaused(OriginalState s) {
        if (s instanceof Ec2Instance e) {
            return "stopped".equals(e.state());
        }
        if (s instanceof RdsInstance r) {
            return "stopped".equals(r.status());
        }
        return s instanceof EcsService e && e.desiredCount() == 0;
    }

    private void checkOutage(String region, ServiceKind service, OutageAt at) {
        OutageAt o = outages.get(region + "#" + service.id());
        if (o != null && (o == OutageAt.DISCOVERY || at == OutageAt.CHANGE)) {
            throw new ServiceUnavailable(service.id() + " in " + region + ": ServiceUnavailable (503)");
        }
    }

    private void becomeAvailable(String k) {
        startingReads.remove(k);
        Resource r = resources.get(k);
        if (r != null && r.state() instanceof RdsInstance db && "starting".equals(db.status())) {
            resources.put(k, r.withState(new RdsInstance("available", db.dbInstanceClass(), db.engine(), db.resourceId())));
        }
    }

    /** Makes one change: listeners first, then the state; the refusal, if any, as the API's error. */
    private void change(Resource r, OriginalState to) {
        String refused = refusals.get(key(r.region(), r.service(), r.id()));
        if (refused != null) {
            throw new ServiceUnavailable(refused);
        }
        Change c = new Change(changes.size() + 1, r.service(), r.region(), r.id(), r.state(), to);
        listeners.forEach(l -> l.accept(c));
        changes.add(c);
        resources.put(key(r.region(), r.service(), r.id()), r.withState(to));
    }

    /** An AWS error answered by the in-memory API. */
    public static final class ServiceUnavailable extends RuntimeException {
        ServiceUnavailable(String message) {
            super(message);
        }
    }

    private final class Api implements ResourcePauser {
        private final ServiceKind kind;

        Api(ServiceKind kind) {
            this.kind = kind;
        }

        @Override
        public ServiceKind kind() {
            return kind;
        }

        @Override
        public List<Discovered> discover(String region, ResourceFilter filter) {
            synchronized (InMemoryAccount.this) {
                checkOutage(region, kind, OutageAt.DISCOVERY);
                List<Discovered> out = new ArrayList<>();
                for (Resource r : resources.values()) {
                    if (r.service() != kind || !r.region().equals(region) || !costsMoney(r.state())
                            || !filter.selects(r.tags())) {
                        continue;
                    }
                    out.add(new Discovered(kind, region, r.id(), r.type(), r.tags().get("Name"), r.tags(), r.state(),
                            filter.exclusion(r.id(), r.tags()).orElse(null)));
                }
                return out;
            }
        }

        @Override
        public List<ResourceResult> pause(String region, List<Discovered> eligible) {
            synchronized (InMemoryAccount.this) {
                checkOutage(region, kind, OutageAt.CHANGE);
                List<ResourceResult> out = new ArrayList<>();
                for (Discovered d : eligible) {
                    Resource r = resources.get(key(region, kind, d.id()));
                    if (r == null) {
                        out.add(result(d, Outcome.FAILED, "not found when pausing"));
                        continue;
                    }
                    try {
                        if (!isPaused(r.state())) {
                            change(r, paused(r.state()));
                        }
                    } catch (ServiceUnavailable e) {
                        out.add(result(d, Outcome.FAILED, e.getMessage()));
                        continue;
                    }
                    // what is reported is what is read back
                    boolean seenPaused = isPaused(resources.get(key(region, kind, d.id())).state());
                    out.add(result(d, seenPaused ? Outcome.PAUSED : Outcome.FAILED,
                            seenPaused ? null : "read back not paused"));
                }
                return out;
            }
        }

        @Override
        public List<ResourceResult> resume(String region, List<PausedResource> recorded, boolean dryRun) {
            synchronized (InMemoryAccount.this) {
                checkOutage(region, kind, dryRun ? OutageAt.DISCOVERY : OutageAt.CHANGE);
                List<ResourceResult> out = new ArrayList<>();
                for (PausedResource p : recorded) {
                    Resource r = resources.get(key(region, kind, p.id()));
                    if (!costsMoney(p.original())) {
                        out.add(result(p, Outcome.SKIPPED, "was not running before the pause: left as it is"));
                    } else if (r == null) {
                        out.add(result(p, Outcome.SKIPPED, "drift: the resource no longer exists; nothing to resume"));
                    } else {
                        String drift = r.type().equals(p.type()) ? null
                                : "drift: type changed from " + p.type() + " to " + r.type() + " since the pause; started as it is now";
                        OriginalState target = restored(p.original(), r.state());
                        if (dryRun) {
                            out.add(result(p, target.equals(r.state()) ? Outcome.SKIPPED : Outcome.WOULD_RESUME, drift));
                            continue;
                        }
                        try {
                            if (!target.equals(r.state())) {
                                change(r, target);
                                if (target instanceof RdsInstance) {
                                    startingReads.put(key(region, kind, p.id()), databaseStartReads);
                                }
                            }
                            out.add(result(p, Outcome.RESUMED, drift));
                        } catch (ServiceUnavailable e) {
                            out.add(result(p, Outcome.FAILED, e.getMessage() + "; its record stays resumable"));
                        }
                    }
                }
                return out;
            }
        }

        @Override
        public Map<String, String> notReady(String region, List<PausedResource> resumed) {
            synchronized (InMemoryAccount.this) {
                Map<String, String> out = new LinkedHashMap<>();
                for (PausedResource p : resumed) {
                    String k = key(region, kind, p.id());
                    Integer left = startingReads.get(k);
                    if (left != null) {
                        if (left <= 1) {
                            becomeAvailable(k);
                        } else {
                            startingReads.put(k, left - 1);
                        }
                    }
                    Resource r = resources.get(k);
                    if (r != null && r.state() instanceof RdsInstance db && !"available".equals(db.status())) {
                        out.put(p.id(), db.status());
                    }
                }
                return out;
            }
        }

        /** What a resume sets: the recorded state, on the resource as it is now (its type may have drifted). */
        private OriginalState restored(OriginalState original, OriginalState now) {
            if (original instanceof Ec2Instance) {
                return new Ec2Instance("running", ((Ec2Instance) now).instanceType());
            }
            if (original instanceof RdsInstance) {
                RdsInstance n = (RdsInstance) now;
                return "stopped".equals(n.status())
                        ? new RdsInstance("starting", n.dbInstanceClass(), n.engine(), n.resourceId()) : n;
            }
            if (original instanceof EcsService e) {
                return EcsService.withoutTarget(e.desiredCount());
            }
            throw new IllegalArgumentException(String.valueOf(original));
        }

        private ResourceResult result(Discovered d, Outcome outcome, String reason) {
            return new ResourceResult(kind, d.region(), d.id(), d.type(), d.name(), outcome, reason);
        }

        private ResourceResult result(PausedResource p, Outcome outcome, String reason) {
            return new ResourceResult(kind, p.region(), p.id(), p.type(), p.name(), outcome, reason);
        }
    }
}
