package dev.ferry.coordinator.history;

import dev.ferry.common.transport.RegistryException;
import dev.ferry.config.filter.RepositoryFilter;
import dev.ferry.config.model.Policy;
import dev.ferry.config.model.TargetSpec;
import dev.ferry.coordinator.plan.RegistryAccess;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code propagateDeletes: true}: a target tag goes when its source tag has gone, but only a
 * tag Ferry wrote for this policy that still holds Ferry's write. A tag someone else wrote
 * or changed is never deleted, nor is a pinned one.
 *
 * <p>The registry API deletes manifests, not tags (distribution refuses a tag delete), and a
 * manifest delete takes every tag that points at the manifest. So a tag whose manifest another
 * tag of the target repository also points at is left, and reported. Before deleting, the
 * manifest's bytes are kept in the history, so a rollback can put the tag back while its
 * blobs are still in the registry.
 */
public final class DeletePropagation {

    private static final Logger LOG = LoggerFactory.getLogger(DeletePropagation.class);

    /** What one pass did: the tags deleted, the ones left on purpose, and the ones that failed, with why. */
    public record Result(List<String> deleted, List<String> left, List<String> failed) {}

    private final TagHistory history;
    private final PinStore pins;
    private final RegistryAccess registries;
    private final OwnedTagDelete deleter;

    public DeletePropagation(TagHistory history, PinStore pins, RegistryAccess registries, Clock clock) {
        this.history = history;
        this.pins = pins;
        this.registries = registries;
        this.deleter = new OwnedTagDelete(history, registries, clock);
    }

    /** Deletes the policy's target tags whose source tags are gone; nothing when the policy does not propagate. */
    public Future<Result> run(Policy policy, String runId) {
        if (!policy.propagateDeletes()) {
            return Future.succeededFuture(new Result(List.of(), List.of(), List.of()));
        }
        RepositoryFilter repositories = RepositoryFilter.of(
                policy.source().repositories(), policy.source().exclude());
        return history.ownedBy(policy.name())
                .compose(owned -> pins.pinnedKeys().compose(pinned -> {
                    List<String> deleted = new ArrayList<>();
                    List<String> left = new ArrayList<>();
                    List<String> failed = new ArrayList<>();
                    Map<String, Future<Set<String>>> sourceTags = new HashMap<>();
                    Future<Void> chain = Future.succeededFuture();
                    for (TagWrite w : owned) {
                        Optional<TargetSpec> target = targetOf(policy, w);
                        Optional<String> sourceRepository = target.map(
                                t -> w.repository().substring(t.prefix().length()));
                        // A tag a digest entry names is not a source tag; a tag the template cannot have made is not
                        // ours.
                        Optional<String> sourceTag = target.flatMap(t -> t.sourceTagOf(w.tag()));
                        if (sourceRepository.isEmpty()
                                || sourceTag.isEmpty()
                                || !repositories.matches(sourceRepository.get())
                                || pinned.contains(w.tagKey())
                                || !policy.source().copiesTags()
                                || namesPinnedDigest(policy, w.tag())) {
                            continue;
                        }
                        String where = w.registry() + "/" + w.repository() + ":" + w.tag();
                        chain = chain.compose(v -> sourceTags
                                .computeIfAbsent(
                                        sourceRepository.get(),
                                        r -> tagsOf(policy.source().registry(), r))
                                .compose(tags -> tags.contains(sourceTag.get())
                                        ? Future.succeededFuture()
                                        : deleter.deleteIfStillOurs(w, runId, policy.name(), "coordinator")
                                                .map(note -> {
                                                    (note == null ? deleted : left)
                                                            .add(note == null ? where : where + ": " + note);
                                                    return null;
                                                }))
                                .recover(e -> {
                                    failed.add("deleting " + where + " failed: " + e.getMessage());
                                    return Future.succeededFuture();
                                })
                                .mapEmpty());
                    }
                    return chain.map(v -> {
                        if (!deleted.isEmpty() || !left.isEmpty() || !failed.isEmpty()) {
                            LOG.info(
                                    "policy {}: deleted {} target tags whose source tag is gone; left {}; failed {}",
                                    policy.name(),
                                    deleted,
                                    left,
                                    failed);
                        }
                        return new Result(deleted, left, failed);
                    });
                }));
    }

    /**
     * The target a write went to, found by registry and prefix: the source repository is the
     * target repository without the prefix (the loader refuses propagateDeletes with mappings
     * that cannot be undone so).
     */
    private static Optional<TargetSpec> targetOf(Policy policy, TagWrite w) {
        for (TargetSpec t : policy.targets()) {
            String prefix = t.prefix() == null ? "" : t.prefix();
            if (t.onlyPrefixed()
                    && t.registry().equals(w.registry())
                    && w.repository().startsWith(prefix)
                    && w.repository().length() > prefix.length()) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    private static boolean namesPinnedDigest(Policy policy, String tag) {
        return policy.source().digests().stream().anyMatch(d -> tag.equals(d.tag()));
    }

    /** A source repository's tags; none when the repository itself is gone. */
    private Future<Set<String>> tagsOf(String registry, String repository) {
        return registries
                .store(registry)
                .compose(store -> store.listTags(repository))
                .<Set<String>>map(Set::copyOf)
                .recover(e -> e instanceof RegistryException re && re.status() == 404
                        ? Future.succeededFuture(Set.of())
                        : Future.failedFuture(e));
    }
}
