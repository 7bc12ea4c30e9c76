package dev.ferry.coordinator.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A coordinator member's metrics, in Prometheus naming (base units, {@code _total} counters,
 * {@code _seconds}). Labels are low-cardinality only: tier, outcome, policy, registry and kind
 * names come from the schedule; a tag or a digest is never a label.
 *
 * <p>Over 300 lines because one small method per series Ferry exports, kept in one place so that names, help texts and labels stay consistent with docs/metrics.md (a test compares them).
 */
public final class FerryMetrics {

    private final MeterRegistry registry;
    private final PrometheusMeterRegistry prometheus;
    private final Map<String, AtomicInteger> drifted = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> lagMillis = new ConcurrentHashMap<>();

    private FerryMetrics(MeterRegistry registry, PrometheusMeterRegistry prometheus) {
        this.registry = registry;
        this.prometheus = prometheus;
    }

    /** Metrics scraped at {@code GET /metrics}, with JVM and process meters. */
    public static FerryMetrics prometheus() {
        FerryMetrics metrics = prometheusWithoutJvm();
        bindJvm(metrics.registry);
        return metrics;
    }

    /**
     * Metrics scraped at {@code GET /metrics} with no meter registered yet, for a member whose
     * Vert.x reports into them: Vert.x configures its meter filters when it is built, and a filter
     * configured after a meter exists does not apply to that meter (Micrometer warns of it). Build
     * Vert.x with {@link VertxMeters#builder}, then call {@link #bindJvm(MeterRegistry)}.
     */
    public static FerryMetrics prometheusWithoutJvm() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        return new FerryMetrics(registry, registry);
    }

    /** JVM and process meters (memory, GC, threads, class loading, CPU, uptime), for coordinators and workers. */
    public static void bindJvm(MeterRegistry registry) {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /** Metrics that go nowhere, for components used without a member (tests, benchmarks). */
    public static FerryMetrics none() {
        return new FerryMetrics(new CompositeMeterRegistry(), null);
    }

    /** The Prometheus text exposition; empty for {@link #none()}. */
    public String scrape() {
        return prometheus == null ? "" : prometheus.scrape();
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** A gauge read at scrape time. */
    public void gauge(String name, String help, Supplier<Number> value, String... tags) {
        Gauge.builder(name, value).description(help).tags(tags).register(registry);
    }

    /** The gauges of one link: its quota, the measured throughput and the leases sharing it. */
    public void link(String link, Supplier<Number> quota, Supplier<Number> throughput, Supplier<Number> leases) {
        gauge("ferry.link.quota.bytes.per.second", "The link's bandwidth quota; 0 is unlimited", quota, "link", link);
        gauge(
                "ferry.link.throughput.bytes.per.second",
                "Bytes per second the leases on the link were measured at, summed",
                throughput,
                "link",
                link);
        gauge("ferry.link.leases", "Leases sharing the link's quota", leases, "link", link);
    }

    /** A partition replica moved between members (a member joined or left); {@code ok} false when it failed. */
    public void partitionMigration(boolean ok) {
        migrations(ok ? "completed" : "failed").increment();
    }

    Counter migrations(String outcome) {
        return Counter.builder("ferry.cluster.partition.migrations")
                .description("Partition replica migrations between" + " coordinator members, by outcome")
                .tag("outcome", outcome)
                .register(registry);
    }

    public void leasesGranted(String tier, int n) {
        leasesGranted(tier).increment(n);
    }

    Counter leasesGranted(String tier) {
        return Counter.builder("ferry.leases.granted")
                .description("Leases handed to workers")
                .tag("tier", tier)
                .register(registry);
    }

    public void leaseRequest(Duration took, boolean granted) {
        leaseRequests(granted).record(took);
    }

    Timer leaseRequests(boolean granted) {
        return Timer.builder("ferry.lease.request")
                .description("Lease requests, from asking to answer (long polls" + " included)")
                .tag("granted", String.valueOf(granted))
                .publishPercentileHistogram()
                .register(registry);
    }

    public void leaseExpired() {
        leasesExpired().increment();
    }

    Counter leasesExpired() {
        return Counter.builder("ferry.leases.expired")
                .description("Leases whose worker stopped renewing; their jobs" + " went back to the queue")
                .register(registry);
    }

    /** A worker sent {@code items} completions in one request on the batch path ({@code POST /v1/leases/completions}). */
    public void completionBatch(int items) {
        completionBatches().increment();
        completionsBatched().increment(items);
    }

    Counter completionBatches() {
        return Counter.builder("ferry.lease.completion.batches")
                .description("Requests on the batch completion path, of any size")
                .register(registry);
    }

    Counter completionsBatched() {
        return Counter.builder("ferry.lease.completions.batched")
                .description("Lease completions that arrived in a batch request")
                .register(registry);
    }

    public void jobCompleted(String tier, String outcome, Duration sincePlanned) {
        jobsCompleted(tier, outcome).increment();
        jobDuration(tier).record(sincePlanned);
    }

    Counter jobsCompleted(String tier, String outcome) {
        return Counter.builder("ferry.jobs.completed")
                .description("Jobs a worker completed, by outcome")
                .tag("tier", tier)
                .tag("outcome", outcome)
                .register(registry);
    }

    Timer jobDuration(String tier) {
        return Timer.builder("ferry.job.duration")
                .description("From planning a job to its completion")
                .tag("tier", tier)
                .publishPercentileHistogram()
                .register(registry);
    }

    public void conflict(String policy) {
        conflicts(policy).increment();
    }

    Counter conflicts(String policy) {
        return Counter.builder("ferry.conflicts")
                .description("Tag writes refused by the three-way rule (conflicts and" + " immutable tags)")
                .tag("policy", policy)
                .register(registry);
    }

    /** A job the signature gate rejected; {@code sourceRegistry} is where the unsigned image came from. */
    public void signatureRejected(String policy, String sourceRegistry) {
        signatureRejections(policy, sourceRegistry).increment();
    }

    Counter signatureRejections(String policy, String sourceRegistry) {
        return Counter.builder("ferry.signature.rejections")
                .description("Jobs rejected because the image had no valid" + " cosign signature by the policy's keys")
                .tag("policy", policy)
                .tag("registry", sourceRegistry)
                .register(registry);
    }

    public void tagWrite(String kind, String targetRegistry) {
        tagWrites(kind, targetRegistry).increment();
    }

    Counter tagWrites(String kind, String targetRegistry) {
        return Counter.builder("ferry.tag.writes")
                .description("Tag writes recorded in the tag history")
                .tag("kind", kind)
                .tag("registry", targetRegistry)
                .register(registry);
    }

    /**
     * A manifest pull a registry reported. {@code route} is the first route listing the registry as
     * a mirror ({@code none} for a registry on no route); {@code outcome} is {@code hit} when Ferry
     * had written the tag there before the pull, {@code miss} otherwise.
     */
    public void pull(String registryName, String route, String outcome) {
        pulls(registryName, route, outcome).increment();
    }

    Counter pulls(String registryName, String route, String outcome) {
        return Counter.builder("ferry.pulls")
                .description("Manifest pulls registries reported through their webhooks")
                .tag("registry", registryName)
                .tag("route", route)
                .tag("outcome", outcome)
                .register(registry);
    }

    /** Blob bytes a succeeded job of a pre-warming policy copied to {@code targetRegistry}. */
    public void prewarmed(String targetRegistry, long bytes) {
        prewarmBytes(targetRegistry).increment(bytes);
    }

    Counter prewarmBytes(String targetRegistry) {
        return Counter.builder("ferry.prewarm.bytes")
                .description("Blob bytes copied to a target by jobs of pre-warming" + " policies")
                .baseUnit("bytes")
                .tag("registry", targetRegistry)
                .register(registry);
    }

    /** A tag Ferry wrote that a target's ttl removed, nobody having pulled it for that long. */
    public void tagExpired(String targetRegistry) {
        tagsExpired(targetRegistry).increment();
    }

    Counter tagsExpired(String targetRegistry) {
        return Counter.builder("ferry.tags.expired")
                .description("Tags Ferry wrote that ttl expiry removed, unpulled for" + " the ttl")
                .tag("registry", targetRegistry)
                .register(registry);
    }

    /**
     * Parts of a policy's plan that could not be checked (a repository whose tags could not be
     * listed, a tag whose digest could not be read); the run names each in its errors.
     */
    public void planErrors(String policy, int n) {
        planErrors(policy).increment(n);
    }

    Counter planErrors(String policy) {
        return Counter.builder("ferry.plan.errors")
                .description("Repositories, tags or targets a plan could not check," + " by policy")
                .tag("policy", policy)
                .register(registry);
    }

    /**
     * How a plan checked its (tag, target) pairs: {@code record} for those taken as up to date
     * from Ferry's record of the target tag, {@code head} for each manifest HEAD at a target,
     * {@code list} for those planned because the target's tag list lacks them.
     */
    public void planTargetChecks(String policy, int fromRecord, int heads, int fromList) {
        planTargetChecks(policy, "record").increment(fromRecord);
        planTargetChecks(policy, "head").increment(heads);
        planTargetChecks(policy, "list").increment(fromList);
    }

    Counter planTargetChecks(String policy, String by) {
        return Counter.builder("ferry.plan.target.checks")
                .description(
                        "Target tags a plan checked, by policy and how: from Ferry's record, with a HEAD, or absent from the tag list")
                .tag("policy", policy)
                .tag("by", by)
                .register(registry);
    }

    public void runEnded(String policy, String outcome) {
        runs(policy, outcome).increment();
    }

    Counter runs(String policy, String outcome) {
        return Counter.builder("ferry.runs")
                .description("Runs that ended, by outcome")
                .tag("policy", policy)
                .tag("outcome", outcome)
                .register(registry);
    }

    /** The number of drifted tags the last drift check of a policy found. */
    public void driftedTags(String policy, int n) {
        driftGauge(policy).set(n);
    }

    /** The drift gauge of a policy, registered at 0 the first time. */
    AtomicInteger driftGauge(String policy) {
        return drifted.computeIfAbsent(policy, p -> {
            AtomicInteger value = new AtomicInteger();
            Gauge.builder("ferry.drift.tags", value, AtomicInteger::get)
                    .description("Target tags that no longer hold what Ferry wrote, as the last check found them")
                    .tag("policy", p)
                    .register(registry);
            return value;
        });
    }

    /** The age of the oldest planned change of a policy not yet at a target registry; 0 when caught up. */
    public void replicationLag(String policy, String targetRegistry, double seconds) {
        lagGauge(policy, targetRegistry).set(Math.round(seconds * 1000));
    }

    /** The lag gauge of a policy's target, registered at 0 the first time. */
    AtomicLong lagGauge(String policy, String targetRegistry) {
        return lagMillis.computeIfAbsent(policy + "|" + targetRegistry, k -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder("ferry.replication.lag", value, v -> v.get() / 1000.0)
                    .baseUnit("seconds")
                    .description("Age of the oldest planned change not yet at the target (0: caught up)")
                    .tag("policy", policy)
                    .tag("registry", targetRegistry)
                    .register(registry);
            return value;
        });
    }

    /** A registry left its routes: {@code auto} after failed probes, or by an operator ({@code failover}, {@code drain}, {@code drill}). */
    public void failover(String registry, String mode) {
        failovers(registry, mode).increment();
    }

    Counter failovers(String registryName, String mode) {
        return Counter.builder("ferry.failovers")
                .description("Registries taken out of their routes, by cause")
                .tag("registry", registryName)
                .tag("mode", mode)
                .register(registry);
    }

    /** A registry went back into its routes: {@code auto}, {@code manual}, {@code forced} or {@code drill}. */
    public void failback(String registry, String mode) {
        failbacks(registry, mode).increment();
    }

    Counter failbacks(String registryName, String mode) {
        return Counter.builder("ferry.failbacks")
                .description("Registries returned to their routes, by how")
                .tag("registry", registryName)
                .tag("mode", mode)
                .register(registry);
    }

    public void probe(String registry, Duration took, boolean ok) {
        Timer.builder("ferry.registry.probe")
                .description("Health probes (GET /v2/) of each registry, by result")
                .tag("registry", registry)
                .tag("result", ok ? "ok" : "failed")
                .register(registry())
                .record(took);
    }

    /**
     * An event the audit ledger stored, counted by the first part of its action ({@code api},
     * {@code tag}, {@code registry}, {@code drill}, {@code signature}, ...): a short, fixed set.
     */
    public void auditEvent(String action) {
        int dot = action.indexOf('.');
        auditEvents(dot < 0 ? action : action.substring(0, dot)).increment();
    }

    Counter auditEvents(String kind) {
        return Counter.builder("ferry.audit.events")
                .description("Events recorded in the audit ledger, by kind")
                .tag("kind", kind)
                .register(registry);
    }
}
