package dev.ferry.coordinator.preview;

import dev.ferry.common.transport.RegistryException;
import dev.ferry.config.filter.RepositoryFilter;
import dev.ferry.config.model.Policy;
import dev.ferry.config.model.TargetSpec;
import dev.ferry.coordinator.history.TagHistory;
import dev.ferry.coordinator.history.TagWrite;
import dev.ferry.coordinator.plan.RegistryAccess;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The target tags a run would delete ({@code propagateDeletes}: the source tag is gone) or
 * expire (a target's {@code ttl}: nobody pulled it for that long), by the same rules as
 * {@code DeletePropagation} and {@code TtlExpiry}, without deleting anything: only tags a policy
 * owns, not pinned, and still holding Ferry's write (checked with a HEAD).
 */
final class RemovalPreview {

    /** Per target registry, the tags that would go, and what could not be checked. */
    record Removals(
            Map<String, List<String>> deletesByRegistry,
            Map<String, List<String>> expiriesByRegistry,
            List<String> errors) {

        List<String> deletes(String registry) {
            return deletesByRegistry.getOrDefault(registry, List.of());
        }

        List<String> expiries(String registry) {
            return expiriesByRegistry.getOrDefault(registry, List.of());
        }
    }

    private final RegistryAccess registries;
    private final WriteRecords records;
    private final Clock clock;

    RemovalPreview(RegistryAccess registries, WriteRecords records, Clock clock) {
        this.registries = registries;
        this.records = records;
        this.clock = clock;
    }

    Future<Removals> find(Policy policy) {
        boolean ttl = policy.targets().stream().anyMatch(t -> t.ttl() != null);
        if (!policy.propagateDeletes() && !ttl) {
            return Future.succeededFuture(new Removals(Map.of(), Map.of(), List.of()));
        }
        Set<String> pullRegistries = new HashSet<>();
        pullRegistries.add(policy.source().registry());
        policy.targets().forEach(t -> pullRegistries.add(t.registry()));
        RepositoryFilter repositories = RepositoryFilter.of(
                policy.source().repositories(), policy.source().exclude());
        return records.ownedBy(policy.name())
                .compose(owned -> records.pinned()
                        .compose(pinned -> records.lastPulls(pullRegistries).compose(pulls -> {
                            Map<String, List<String>> deletes = new LinkedHashMap<>();
                            Map<String, List<String>> expiries = new LinkedHashMap<>();
                            List<String> errors = new ArrayList<>();
                            Map<String, Future<Set<String>>> sourceTags = new HashMap<>();
                            Future<Void> chain = Future.succeededFuture();
                            long now = clock.millis();
                            for (TagWrite w : owned) {
                                TargetSpec target = targetOf(policy, w);
                                if (target == null || pinned.contains(w.tagKey())) {
                                    continue;
                                }
                                String sourceRepository =
                                        w.repository().substring(target.prefix().length());
                                String where = w.registry() + "/" + w.repository() + ":" + w.tag();
                                chain = chain.compose(v -> {
                                    Future<Boolean> gone =
                                            policy.propagateDeletes() && repositories.matches(sourceRepository)
                                                    ? sourceTags
                                                            .computeIfAbsent(
                                                                    sourceRepository,
                                                                    r -> tagsOf(
                                                                            policy.source()
                                                                                    .registry(),
                                                                            r))
                                                            .map(tags -> !tags.contains(w.tag()))
                                                    : Future.succeededFuture(false);
                                    return gone.compose(isGone -> {
                                                boolean idle = target.ttl() != null
                                                        && now - lastActive(policy, w, sourceRepository, pulls)
                                                                > target.ttl().toMillis();
                                                if (!isGone && !idle) {
                                                    return Future.<Void>succeededFuture();
                                                }
                                                return stillOurs(w).map(ours -> {
                                                    if (ours) {
                                                        (isGone ? deletes : expiries)
                                                                .computeIfAbsent(w.registry(), r -> new ArrayList<>())
                                                                .add(where);
                                                    }
                                                    return null;
                                                });
                                            })
                                            .recover(e -> {
                                                errors.add("checking " + where + " for delete or expiry: "
                                                        + e.getMessage());
                                                return Future.succeededFuture();
                                            });
                                });
                            }
                            return chain.map(v -> new Removals(deletes, expiries, errors));
                        })));
    }

    private static long lastActive(Policy policy, TagWrite w, String sourceRepository, Map<String, Long> pulls) {
        return Math.max(
                w.time(),
                Math.max(
                        pulls.getOrDefault(w.tagKey(), 0L),
                        pulls.getOrDefault(TagHistory.key(policy.source().registry(), sourceRepository, w.tag()), 0L)));
    }

    /** True when the target tag still holds Ferry's write (so the run would delete it). */
    private Future<Boolean> stillOurs(TagWrite w) {
        return registries
                .store(w.registry())
                .compose(store -> store.headManifest(w.repository(), w.tag()))
                .map(found -> found.map(d -> d.digest().toString().equals(w.newDigest()))
                        .orElse(false));
    }

    /** The target a write went to, by registry and prefix, or null. */
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

    /** A source repository's tags; none when the repository itself is gone. */
    private Future<Set<String>> tagsOf(String registry, String repository) {
        return registries
                .store(registry)
                .compose(store -> store.listTags(repository))
                .<Set<String>>map(Set::copyOf)
                .recover(e -> e instanceof RegistryException re && re.status() == 404
                        ? Future.succeededFuture(Set.of())
                        : Future.<Set<String>>failedFuture(e));
    }
}
