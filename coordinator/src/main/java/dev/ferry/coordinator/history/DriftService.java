package dev.ferry.coordinator.history;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.query.Predicate;
import dev.ferry.config.model.OnDrift;
import dev.ferry.config.model.Policy;
import dev.ferry.coordinator.metrics.FerryMetrics;
import dev.ferry.coordinator.plan.RegistryAccess;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drift detection: does every target tag a policy wrote still hold what Ferry wrote there?
 *
 * <p>For each tag whose latest write in the history is the policy's (pinned tags aside), the
 * check asks the target registry what the tag holds now (a HEAD). A tag that holds something
 * else, or is gone, has drifted: someone pushed over it or deleted it behind Ferry's back.
 * Drifted tags are kept in a map for {@code GET /v1/drift} until a later check finds them
 * right again. With {@code onDrift: repair}, Ferry's write is put back through a repair job
 * (fenced, committed and recorded like any write); without, it is only reported.
 *
 * <p>What the check sees is recorded in {@link TagRecords}: a tag that still holds Ferry's
 * write is trusted by the planner for another {@code recheck} period, and one that drifted is
 * asked for again by the next plan, so {@code onConflict} sees it.
 *
 * <p>The source is not compared here: a source that moved on is lag, which the policy's next
 * sync handles.
 */
public final class DriftService {

    public static final String MAP_NAME = "ferry-drift";
    private static final Logger LOG = LoggerFactory.getLogger(DriftService.class);

    /** What one check found. */
    public record Report(String policy, int checked, List<Drift> drifted) {}

    private final IMap<String, Drift> map;
    private final Vertx vertx;
    private final TagHistory history;
    private final TagRecords records;
    private final PinStore pins;
    private final RegistryAccess registries;
    private final Rollbacks restorer;
    private final Clock clock;
    private final FerryMetrics metrics;

    public DriftService(
            HazelcastInstance hazelcast,
            Vertx vertx,
            TagHistory history,
            TagRecords records,
            PinStore pins,
            RegistryAccess registries,
            Rollbacks restorer,
            Clock clock,
            FerryMetrics metrics) {
        this.metrics = metrics;
        this.map = hazelcast.getMap(MAP_NAME);
        this.vertx = vertx;
        this.history = history;
        this.records = records;
        this.pins = pins;
        this.registries = registries;
        this.restorer = restorer;
        this.clock = clock;
    }

    /** Checks every tag the policy wrote; repairs drifted ones when the policy says so. */
    public Future<Report> check(Policy policy) {
        return history.ownedBy(policy.name())
                .compose(owned -> pins.pinnedKeys().compose(pinned -> {
                    List<TagWrite> toCheck = owned.stream()
                            .filter(w -> !pinned.contains(w.tagKey()))
                            .toList();
                    List<Drift> drifted = new ArrayList<>();
                    Future<Void> chain = Future.succeededFuture();
                    for (TagWrite w : toCheck) {
                        chain = chain.compose(v -> compare(policy, w).map(found -> {
                            found.ifPresent(drifted::add);
                            return (Void) null;
                        }));
                    }
                    return chain.compose(v -> replace(policy.name(), drifted))
                            .map(v -> new Report(policy.name(), toCheck.size(), drifted));
                }))
                .onSuccess(r -> {
                    metrics.driftedTags(r.policy(), r.drifted().size());
                    if (!r.drifted().isEmpty()) {
                        LOG.warn(
                                "drift check of {}: {} of {} tags drifted",
                                r.policy(),
                                r.drifted().size(),
                                r.checked());
                    }
                });
    }

    private Future<Optional<Drift>> compare(Policy policy, TagWrite w) {
        return registries
                .store(w.registry())
                .compose(store -> store.headManifest(w.repository(), w.tag()))
                .compose(found -> {
                    String actual = found.map(d -> d.digest().toString()).orElse(null);
                    return records.sawOne(w.registry(), w.repository(), w.tag(), actual, clock.millis())
                            .recover(e -> Future.succeededFuture())
                            .map(v -> actual);
                })
                .compose(actual -> {
                    if (w.newDigest().equals(actual)) {
                        return Future.succeededFuture(Optional.<Drift>empty());
                    }
                    if (policy.onDrift() != OnDrift.REPAIR) {
                        return Future.succeededFuture(Optional.of(drift(policy, w, actual, "reported")));
                    }
                    return restorer.repair(policy.name(), w.registry(), w.repository(), w.tag(), w.newDigest())
                            .map(job -> "repairing (job " + job + ")")
                            .recover(e -> Future.succeededFuture("cannot repair: " + e.getMessage()))
                            .map(action -> Optional.of(drift(policy, w, actual, action)));
                })
                .recover(e -> {
                    // An unreachable target is not drift; the registry's health is another matter.
                    LOG.info(
                            "drift check of {}/{}:{} skipped: {}",
                            w.registry(),
                            w.repository(),
                            w.tag(),
                            e.getMessage());
                    return Future.succeededFuture(Optional.empty());
                });
    }

    private Drift drift(Policy policy, TagWrite w, String actual, String action) {
        return new Drift(
                w.registry(), w.repository(), w.tag(), policy.name(), w.newDigest(), actual, action, clock.millis());
    }

    /** The policy's drift is now exactly {@code drifted}. */
    private Future<Void> replace(String policy, List<Drift> drifted) {
        return vertx.executeBlocking(
                () -> {
                    Set<String> now = new HashSet<>();
                    drifted.forEach(d -> now.add(d.tagKey()));
                    for (String key : map.keySet(new OfPolicy(policy))) {
                        if (!now.contains(key)) {
                            map.delete(key);
                        }
                    }
                    drifted.forEach(d -> map.set(d.tagKey(), d));
                    return null;
                },
                false);
    }

    /** Drifted tags, of one policy or of all, by registry, repository and tag. */
    public Future<List<Drift>> list(String policy) {
        return vertx.executeBlocking(
                () -> (policy == null
                                ? new ArrayList<>(map.values())
                                : new ArrayList<>(map.values(new OfPolicy(policy))))
                        .stream()
                                .sorted(Comparator.comparing(Drift::registry)
                                        .thenComparing(Drift::repository)
                                        .thenComparing(Drift::tag))
                                .toList(),
                false);
    }

    record OfPolicy(String policy) implements Predicate<String, Drift> {
        @Override
        public boolean apply(Map.Entry<String, Drift> entry) {
            return policy.equals(entry.getValue().policy());
        }
    }
}
