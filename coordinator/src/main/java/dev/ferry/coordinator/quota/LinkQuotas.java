package dev.ferry.coordinator.quota;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.ferry.common.lease.LeaseProtocol.JobSpec;
import dev.ferry.config.diff.ReloadableSchedule;
import dev.ferry.config.model.LinkConfig;
import dev.ferry.config.model.RegistryConfig;
import dev.ferry.config.model.Schedule;
import dev.ferry.config.units.Bandwidth;
import dev.ferry.coordinator.audit.AuditTrail;
import dev.ferry.coordinator.error.ApiException;
import dev.ferry.coordinator.hz.HzFutures;
import dev.ferry.coordinator.job.Job;
import dev.ferry.coordinator.metrics.FerryMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Link bandwidth quotas, binding cluster-wide. Every lease on a link with a quota is
 * recorded in a replicated map with the bytes it has streamed; whichever member grants or
 * renews a lease splits the link's quota over all its leases ({@link QuotaAllocator}: by tier
 * weight, leaving to others what a lease does not use) and answers this lease's share. Such
 * leases renew every {@code renewMillis}, so shares follow leases that come and go within
 * about that long. A new lease renews first after {@link #FIRST_RENEW_MILLIS}: when many
 * leases start together (a run begins), each is granted its share before the others have
 * shrunk theirs, and this early renew ends that overshoot quickly.
 *
 * <p>Each member reads the map into a local snapshot twice a second (off the event loop)
 * and adds its own writes at once; an entry names absolute bytes and times, so a stale
 * snapshot only widens the window a rate is measured over. Entries expire with their lease;
 * an ended lease's entry stays {@link #ENDED_MILLIS} with its last bytes. Each snapshot also
 * counts the bytes every link carried since the previous one, and {@link LinkFeedback} turns
 * them into the factor the link's quota is split as if multiplied by.
 * Quotas come from the schedule's {@code links:}; {@code PUT /v1/links/{from}/{to}} overrides
 * one cluster-wide until the cluster restarts.
 *
 * <p>Over 300 lines because per-link quota accounting, the allocation among workers, feedback and overrides work on the same per-link state.
 */
public final class LinkQuotas implements LinkControl {

    public static final String LEASES_MAP = "ferry-link-leases";
    public static final String QUOTAS_MAP = "ferry-link-quotas";
    static final long SNAPSHOT_MILLIS = 500;
    /** A lease younger than this has no meaningful rate yet: it may use its whole share. */
    static final long WARM_UP_MILLIS = 2000;
    /** A rate measured over less than this is noise; the older baseline is kept. */
    static final long MIN_WINDOW_MILLIS = 200;

    static final long MIN_DEMAND = 64 * 1024;
    static final long FIRST_RENEW_MILLIS = 150;
    /** How long an ended lease's entry stays, so every member's snapshot counts its last bytes. */
    static final long ENDED_MILLIS = 4 * SNAPSHOT_MILLIS;

    private static final Logger LOG = LoggerFactory.getLogger(LinkQuotas.class);

    /** What a lease is told: its bandwidth (0: unlimited) and how often to renew (0: its own pace). */
    public record Grant(long bandwidth, long renewMillis) {
        public static final Grant UNLIMITED = new Grant(0, 0);
    }

    /** One lease's share, for {@code GET /v1/links}. */
    public record LeaseShare(
            String leaseId,
            String jobId,
            String workerId,
            String tier,
            long shareBytesPerSecond,
            long observedBytesPerSecond) {}

    /**
     * A link as the API shows it.
     *
     * @param origin {@code schedule}, {@code api} or {@code none} (no quota: unlimited)
     */
    public record LinkView(
            String from,
            String to,
            String bandwidth,
            long bytesPerSecond,
            String origin,
            String changedBy,
            Instant changedAt,
            long observedBytesPerSecond,
            List<LeaseShare> leases) {}

    private final Vertx vertx;
    private final IMap<String, LinkLease> leaseMap;
    private final IMap<String, QuotaOverride> quotaMap;
    private final ReloadableSchedule schedule;
    private final Map<String, Integer> weights;
    private final Clock clock;
    private final long renewMillis;
    private final long ttlMillis;
    private volatile Map<String, LinkLease> leases = new ConcurrentHashMap<>();
    /** The replicated map as the previous refresh read it (null before the first): bytes are counted against it. */
    private Read lastRead;

    private final AtomicLong reads = new AtomicLong();
    /** Guarded by itself. */
    private final LinkFeedback feedback;

    private volatile Map<String, QuotaOverride> overrides = new ConcurrentHashMap<>();
    private long timer = -1;
    private final FerryMetrics metrics;
    private final AuditTrail audit;
    private final Set<String> metered = ConcurrentHashMap.newKeySet();

    public LinkQuotas(
            Vertx vertx,
            HazelcastInstance hazelcast,
            ReloadableSchedule schedule,
            Map<String, Integer> tierWeights,
            Clock clock,
            long renewMillis,
            long ttlMillis,
            FerryMetrics metrics,
            AuditTrail audit) {
        this.vertx = vertx;
        this.metrics = metrics;
        this.audit = audit;
        this.leaseMap = hazelcast.getMap(LEASES_MAP);
        this.quotaMap = hazelcast.getMap(QUOTAS_MAP);
        this.schedule = schedule;
        this.weights = Map.copyOf(tierWeights);
        this.clock = clock;
        this.renewMillis = renewMillis;
        this.ttlMillis = ttlMillis;
        this.feedback = new LinkFeedback(clock);
    }

    public Future<Void> start() {
        timer = vertx.setPeriodic(SNAPSHOT_MILLIS, id -> refresh());
        return refresh();
    }

    public void stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** Reads the replicated maps into this member's snapshot, and feeds each link's bytes back. */
    Future<Void> refresh() {
        return vertx.<Read>executeBlocking(
                        () -> {
                            long seq = reads.incrementAndGet();
                            Map<String, LinkLease> l = new ConcurrentHashMap<>(leaseMap);
                            Map<String, QuotaOverride> o = new ConcurrentHashMap<>(quotaMap);
                            leases = new ConcurrentHashMap<>(l);
                            overrides = o;
                            return new Read(seq, l);
                        },
                        false)
                .onSuccess(read -> {
                    sampleLinks(read);
                    meterNewLinks();
                })
                .mapEmpty();
    }

    /** One reading of the lease map; reads run unordered, and only a newer one is counted against the last. */
    private record Read(long seq, Map<String, LinkLease> leases) {}

    /**
     * What each link carried since the previous refresh, from the replicated entries: each
     * holds the absolute bytes its lease streamed by its last renew, so any member reading them
     * counts the same bytes at the same times, whichever member wrote them; an ended lease's
     * entry carries its last bytes.
     */
    private synchronized void sampleLinks(Read latest) {
        if (lastRead != null && latest.seq() <= lastRead.seq()) {
            return;
        }
        Map<String, LinkLease> read = latest.leases();
        Map<String, LinkLease> before = lastRead == null ? null : lastRead.leases();
        lastRead = latest;
        if (before == null) {
            return;
        }
        long now = clock.millis();
        synchronized (feedback) {
            for (LinkLease e : read.values()) {
                LinkLease b = before.get(e.leaseId());
                long delta = e.bytesStreamed() - (b == null ? 0 : b.bytesStreamed());
                if (delta > 0) {
                    feedback.carried(e.link(), e.at(), delta);
                }
            }
            for (LinkKey link : linkKeys()) {
                boolean hungry = live(link, now).stream().anyMatch(LinkQuotas::usesItsShare);
                feedback.tick(link.id(), quota(link), hungry);
                LOG.debug("link {}: hungry {}, feedback factor {}", link.id(), hungry, feedback.factor(link.id()));
            }
        }
    }

    /** The factor the link's quota is split as if multiplied by (see {@link LinkFeedback}). */
    double feedbackFactor(LinkKey link) {
        synchronized (feedback) {
            return feedback.factor(link.id());
        }
    }

    private void meterNewLinks() {
        FerryMetrics m = metrics;
        if (m == null) {
            return;
        }
        for (LinkKey link : linkKeys()) {
            if (metered.add(link.id())) {
                m.link(
                        link.id(),
                        () -> quota(link),
                        () -> view(link, clock.millis()).observedBytesPerSecond(),
                        () -> live(link, clock.millis()).size());
            }
        }
    }

    /** The link a job's bytes travel, when both registries name a region. */
    public Optional<LinkKey> linkOf(JobSpec spec) {
        if (spec == null || spec.source() == null || spec.target() == null) {
            return Optional.empty();
        }
        Schedule s = schedule.current();
        String from =
                s.registry(spec.source().registry()).map(RegistryConfig::region).orElse(null);
        String to =
                s.registry(spec.target().registry()).map(RegistryConfig::region).orElse(null);
        return from == null || to == null ? Optional.empty() : Optional.of(new LinkKey(from, to));
    }

    /** Bytes per second the link may carry; 0 when unlimited. */
    public long quota(LinkKey link) {
        QuotaOverride o = overrides.get(link.id());
        if (o != null) {
            return o.bytesPerSecond();
        }
        return scheduled(link).map(c -> c.bandwidth().bytesPerSecond()).orElse(0L);
    }

    private Optional<LinkConfig> scheduled(LinkKey link) {
        return schedule.current().links().stream()
                .filter(l -> l.from().equals(link.from()) && l.to().equals(link.to()))
                .findFirst();
    }

    /** A lease was just granted. */
    public Grant granted(Job job) {
        return share(job, 0, true);
    }

    /** A lease was renewed, having streamed {@code bytesStreamed} bytes so far. */
    public Grant renewed(Job job, long bytesStreamed) {
        return share(job, bytesStreamed, false);
    }

    /** A lease ended: its share goes back to the others at their next renew. */
    public void released(String leaseId) {
        released(leaseId, null);
    }

    /**
     * A lease ended, having streamed {@code bytesStreamed} in all when known (a succeeded job's
     * bytes copied): what it streamed since its last renew still counts for its link.
     */
    public void released(String leaseId, Long bytesStreamed) {
        LinkLease live = leases.get(leaseId);
        if (live == null || live.ended()) {
            return;
        }
        LinkLease ended = live.ended(bytesStreamed == null ? 0 : bytesStreamed, clock.millis());
        leases.put(leaseId, ended);
        leaseMap.setAsync(leaseId, ended, ENDED_MILLIS, TimeUnit.MILLISECONDS);
    }

    private Grant share(Job job, long bytesStreamed, boolean fresh) {
        Optional<LinkKey> link = linkOf(job.spec());
        long quota = link.map(this::quota).orElse(0L);
        if (quota <= 0) {
            if (!fresh) {
                released(job.leaseId());
            }
            return Grant.UNLIMITED;
        }
        long now = clock.millis();
        LinkLease previous = fresh ? null : leases.get(job.leaseId());
        LinkLease entry = measured(job, link.get(), previous, bytesStreamed, now);
        List<QuotaAllocator.Claim> claims = new ArrayList<>();
        claims.add(new QuotaAllocator.Claim(entry.leaseId(), entry.weight(), demand(entry, now)));
        for (LinkLease other : live(link.get(), now)) {
            if (!other.leaseId().equals(entry.leaseId())) {
                claims.add(new QuotaAllocator.Claim(other.leaseId(), other.weight(), demand(other, now)));
            }
        }
        long split = Math.max(1, Math.round(quota * feedbackFactor(link.get())));
        long share = QuotaAllocator.shares(split, claims).get(entry.leaseId());
        LinkLease stored = new LinkLease(
                entry.leaseId(),
                entry.jobId(),
                entry.workerId(),
                entry.link(),
                entry.tier(),
                entry.weight(),
                entry.grantedAt(),
                entry.at(),
                entry.bytesStreamed(),
                entry.rate(),
                share);
        leases.put(stored.leaseId(), stored);
        leaseMap.setAsync(stored.leaseId(), stored, ttlMillis, TimeUnit.MILLISECONDS);
        return new Grant(share, fresh ? Math.min(FIRST_RENEW_MILLIS, renewMillis) : renewMillis);
    }

    /** The entry after this renew: the rate over the window since the last baseline. */
    private LinkLease measured(Job job, LinkKey link, LinkLease previous, long bytesStreamed, long now) {
        int weight = weights.getOrDefault(job.tier(), 1);
        if (previous == null) {
            return new LinkLease(
                    job.leaseId(),
                    job.id(),
                    job.workerId(),
                    link.id(),
                    job.tier(),
                    weight,
                    now,
                    now,
                    bytesStreamed,
                    -1,
                    0);
        }
        long window = now - previous.at();
        if (window < MIN_WINDOW_MILLIS) {
            return previous;
        }
        long rate = Math.max(0, (bytesStreamed - previous.bytesStreamed()) * 1000 / window);
        return new LinkLease(
                previous.leaseId(),
                previous.jobId(),
                previous.workerId(),
                previous.link(),
                previous.tier(),
                previous.weight(),
                previous.grantedAt(),
                now,
                bytesStreamed,
                rate,
                previous.share());
    }

    /**
     * How much a lease needs: unknown (all it can get) while it warms up or uses most of its
     * share; twice what it used when it used less than half, so it can grow back quickly.
     */
    static double demand(LinkLease e, long now) {
        if (e.rate() < 0 || e.share() <= 0 || now - e.grantedAt() < WARM_UP_MILLIS || e.rate() * 2 >= e.share()) {
            return Double.POSITIVE_INFINITY;
        }
        return Math.max(2.0 * e.rate(), MIN_DEMAND);
    }

    /**
     * Whether a lease was measured using most of its share: bandwidth-bound, so it would use more.
     * A lease not measured yet does not count: at a run's start nothing streams for a while
     * (manifests, connections, a worker's warm-up), and that is no reason to hand out more.
     */
    static boolean usesItsShare(LinkLease e) {
        return e.rate() >= 0 && e.share() > 0 && e.rate() * 2 >= e.share();
    }

    private List<LinkLease> live(LinkKey link, long now) {
        List<LinkLease> out = new ArrayList<>();
        for (LinkLease e : leases.values()) {
            if (!e.ended() && e.link().equals(link.id()) && now - e.at() <= ttlMillis) {
                out.add(e);
            }
        }
        return out;
    }

    /**
     * Sets a link's quota cluster-wide; {@code bandwidth} is a rate such as {@code 20MiB/s},
     * or {@code unlimited}. Both regions must be regions of the schedule's registries.
     */
    @Override
    public Future<LinkView> setLink(String from, String to, String bandwidth, String actor) {
        Schedule s = schedule.current();
        TreeSet<String> regions = new TreeSet<>();
        s.registries().forEach(r -> {
            if (r.region() != null) {
                regions.add(r.region());
            }
        });
        for (String region : List.of(from, to)) {
            if (!regions.contains(region)) {
                return Future.failedFuture(ApiException.notFound(
                        "region",
                        region + " (regions of the schedule's registries: " + String.join(", ", regions) + ")"));
            }
        }
        long bytes;
        String text;
        if (bandwidth == null || bandwidth.isBlank()) {
            return Future.failedFuture(ApiException.badRequest(
                    "field \"bandwidth\" is required: a rate such as 200MiB/s or 1Gbit/s, or \"unlimited\""));
        }
        if (bandwidth.trim().equals("unlimited")) {
            bytes = 0;
            text = "unlimited";
        } else {
            try {
                Bandwidth b = Bandwidth.parse(bandwidth);
                bytes = b.bytesPerSecond();
                text = b.text();
            } catch (IllegalArgumentException e) {
                return Future.failedFuture(
                        ApiException.badRequest("field \"bandwidth\": " + e.getMessage() + "; or \"unlimited\""));
            }
        }
        LinkKey link = new LinkKey(from, to);
        long before = quota(link);
        QuotaOverride o = new QuotaOverride(link.id(), bytes, text, actor, clock.millis());
        return HzFutures.on(vertx.getOrCreateContext(), quotaMap.setAsync(link.id(), o))
                .compose(v -> {
                    overrides.put(link.id(), o);
                    return audit.record(
                            actor,
                            "quota.set",
                            "link/" + link.id(),
                            Map.of("bandwidth", text, "bytesPerSecond", bytes, "previousBytesPerSecond", before));
                })
                .map(v -> view(link, clock.millis()));
    }

    @Override
    public Future<List<LinkView>> links() {
        return Future.succeededFuture(views());
    }

    /** Every link with a quota or with leases, scheduled ones first. */
    public List<LinkView> views() {
        long now = clock.millis();
        return linkKeys().stream().map(l -> view(l, now)).toList();
    }

    private Collection<LinkKey> linkKeys() {
        Map<String, LinkKey> links = new LinkedHashMap<>();
        schedule.current()
                .links()
                .forEach(l -> links.putIfAbsent(new LinkKey(l.from(), l.to()).id(), new LinkKey(l.from(), l.to())));
        overrides.keySet().stream().sorted().forEach(id -> links.putIfAbsent(id, LinkKey.parse(id)));
        leases.values().stream().map(LinkLease::link).sorted().forEach(id -> links.putIfAbsent(id, LinkKey.parse(id)));
        return links.values();
    }

    private LinkView view(LinkKey link, long now) {
        QuotaOverride o = overrides.get(link.id());
        Optional<LinkConfig> c = scheduled(link);
        long quota = quota(link);
        String origin = o != null ? "api" : c.isPresent() ? "schedule" : "none";
        String text = o != null ? o.text() : c.map(x -> x.bandwidth().text()).orElse("unlimited");
        Map<String, LinkLease> byLease = new HashMap<>();
        live(link, now).forEach(e -> byLease.put(e.leaseId(), e));
        List<LeaseShare> shares = byLease.values().stream()
                .sorted(Comparator.comparing(LinkLease::grantedAt))
                .map(e -> new LeaseShare(
                        e.leaseId(), e.jobId(), e.workerId(), e.tier(), e.share(), Math.max(0, e.rate())))
                .toList();
        long observed =
                shares.stream().mapToLong(LeaseShare::observedBytesPerSecond).sum();
        return new LinkView(
                link.from(),
                link.to(),
                text,
                quota,
                origin,
                o == null ? null : o.changedBy(),
                o == null ? null : Instant.ofEpochMilli(o.changedAt()),
                observed,
                shares);
    }
}
