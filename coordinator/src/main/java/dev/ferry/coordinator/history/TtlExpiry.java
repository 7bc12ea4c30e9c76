package dev.ferry.coordinator.history;

import dev.ferry.config.model.Policy;
import dev.ferry.config.model.TargetSpec;
import dev.ferry.config.units.Durations;
import dev.ferry.coordinator.audit.AuditTrail;
import dev.ferry.coordinator.metrics.FerryMetrics;
import dev.ferry.coordinator.plan.RegistryAccess;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ttl:} on a pre-warming policy's target: a tag Ferry wrote there for the policy goes once
 * nobody pulled it, at that target or at the source, for the ttl (counted from Ferry's write when
 * it was never pulled). Only tags that still hold Ferry's write are deleted; foreign and pinned
 * tags stay. Each expiry is recorded in the tag history with the manifest (a rollback can put the
 * tag back while its blobs remain) and in the audit trail.
 */
public final class TtlExpiry {

    private static final Logger LOG = LoggerFactory.getLogger(TtlExpiry.class);

    /** What one pass did. */
    public record Result(List<String> expired, List<String> left, List<String> failed) {}

    private final TagHistory history;
    private final PinStore pins;
    private final OwnedTagDelete deleter;
    private final Function<Set<String>, Future<Map<String, Long>>> lastPulls;
    private final AuditTrail audit;
    private final Supplier<FerryMetrics> metrics;
    private final Clock clock;

    /**
     * @param lastPulls for some registries, the last pull of each tag pulled there, by
     *     {@link TagHistory#key}, epoch millis
     */
    public TtlExpiry(
            TagHistory history,
            PinStore pins,
            RegistryAccess registries,
            Function<Set<String>, Future<Map<String, Long>>> lastPulls,
            AuditTrail audit,
            Supplier<FerryMetrics> metrics,
            Clock clock) {
        this.history = history;
        this.pins = pins;
        this.deleter = new OwnedTagDelete(history, registries, clock);
        this.lastPulls = lastPulls;
        this.audit = audit;
        this.metrics = metrics;
        this.clock = clock;
    }

    public Future<Result> run(Policy policy, String runId) {
        Result none = new Result(List.of(), List.of(), List.of());
        if (policy.targets().stream().allMatch(t -> t.ttl() == null)) {
            return Future.succeededFuture(none);
        }
        Set<String> registries = new HashSet<>();
        registries.add(policy.source().registry());
        policy.targets().forEach(t -> registries.add(t.registry()));
        return history.ownedBy(policy.name())
                .compose(owned -> pins.pinnedKeys()
                        .compose(pinned -> lastPulls.apply(registries).compose(pulls -> {
                            long now = clock.millis();
                            List<String> expired = new ArrayList<>();
                            List<String> left = new ArrayList<>();
                            List<String> failed = new ArrayList<>();
                            Future<Void> chain = Future.succeededFuture();
                            for (TagWrite w : owned) {
                                TargetSpec target = targetOf(policy, w);
                                if (target == null || target.ttl() == null || pinned.contains(w.tagKey())) {
                                    continue;
                                }
                                String sourceRepository =
                                        w.repository().substring(target.prefix().length());
                                long lastActive = Math.max(
                                        w.time(),
                                        Math.max(
                                                pulls.getOrDefault(w.tagKey(), 0L),
                                                pulls.getOrDefault(
                                                        TagHistory.key(
                                                                policy.source().registry(), sourceRepository, w.tag()),
                                                        0L)));
                                if (now - lastActive <= target.ttl().toMillis()) {
                                    continue;
                                }
                                String where = w.registry() + "/" + w.repository() + ":" + w.tag();
                                chain = chain.compose(v -> deleter.deleteIfStillOurs(w, runId, policy.name(), "ttl")
                                        .compose(note -> {
                                            if (note != null) {
                                                left.add(where + ": " + note);
                                                return Future.<Void>succeededFuture();
                                            }
                                            expired.add(where);
                                            metrics.get().tagExpired(w.registry());
                                            return audit.record(
                                                    "ferry",
                                                    "tag.expire",
                                                    where,
                                                    Map.of(
                                                            "digest",
                                                            w.newDigest(),
                                                            "policy",
                                                            policy.name(),
                                                            "ttl",
                                                            Durations.format(target.ttl()),
                                                            "idleSeconds",
                                                            (now - lastActive) / 1000));
                                        })
                                        .recover(e -> {
                                            failed.add("expiring " + where + " failed: " + e.getMessage());
                                            return Future.succeededFuture();
                                        }));
                            }
                            return chain.map(v -> {
                                if (!expired.isEmpty() || !left.isEmpty() || !failed.isEmpty()) {
                                    LOG.info(
                                            "policy {}: expired {} unpulled tags; left {}; failed {}",
                                            policy.name(),
                                            expired,
                                            left,
                                            failed);
                                }
                                return new Result(expired, left, failed);
                            });
                        })));
    }

    /** The ttl target a write went to, by registry and prefix, or null. */
    private static TargetSpec targetOf(Policy policy, TagWrite w) {
        for (TargetSpec t : policy.targets()) {
            if (t.registry().equals(w.registry())
                    && w.repository().startsWith(t.prefix())
                    && w.repository().length() > t.prefix().length()) {
                return t;
            }
        }
        return null;
    }
}
