package dev.ferry.coordinator.plan;

import dev.ferry.common.transport.RegistryException;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One target repository as one plan sees it: Ferry's records of the plan's tags there, read
 * once, and the target's tag list, read once. A tag is up to date without a HEAD when its record
 * vouches for it and the list has it ({@link TagTrust}); it needs a copy without a HEAD when the
 * list lacks it (a first sync, a tag deleted at the target); only a listed tag that no record
 * vouches for is asked for with a HEAD. The HEADs that found the source digest are written back
 * as one batch by {@link #flush}. A record or list that cannot be read trusts nothing: every tag
 * gets its HEAD.
 */
final class TargetTags {

    private static final Logger LOG = LoggerFactory.getLogger(TargetTags.class);

    /** What the plan knows of a target tag before any HEAD. */
    enum Lookup {
        /** Ferry's record vouches for the source digest and the list has the tag. */
        UP_TO_DATE,
        /** The list (or a 404 for the repository) says the tag is not there. */
        ABSENT,
        /** Listed, or the list could not be read, and no record vouches: a HEAD decides. */
        ASK
    }

    private final KnownTags known;
    private final String registry;
    private final String repository;
    private final Set<String> tags;
    private final Duration recheck;
    private final long now;
    private final Supplier<Future<List<String>>> lister;
    private final Map<String, String> seen = new ConcurrentHashMap<>();
    private Future<Map<String, KnownTag>> records;
    /** The listed tags; empty when the list could not be read (nothing is known then). */
    private Future<Optional<Set<String>>> listed;

    /**
     * @param tags the target tags this plan checks in the repository
     * @param now the plan's clock reading: records are aged against it and renewed with it
     * @param lister the target's tag list, through the plan's call bound
     */
    TargetTags(
            KnownTags known,
            String registry,
            String repository,
            Set<String> tags,
            Duration recheck,
            long now,
            Supplier<Future<List<String>>> lister) {
        this.known = known;
        this.registry = registry;
        this.repository = repository;
        this.tags = Set.copyOf(tags);
        this.recheck = recheck;
        this.now = now;
        this.lister = lister;
    }

    /** Whether the tag is up to date by Ferry's record, absent by the target's list, or needs a HEAD. */
    Future<Lookup> lookup(String tag, String sourceDigest) {
        Future<Map<String, KnownTag>> all = records();
        Future<Optional<Set<String>>> names = listed();
        // Neither fails (each recovers to "nothing known"); read together, not one after the other.
        return Future.all(all, names).map(v -> {
            if (names.result().isEmpty()) {
                return Lookup.ASK;
            }
            boolean listedThere = names.result().get().contains(tag);
            if (!listedThere) {
                return Lookup.ABSENT;
            }
            return TagTrust.upToDate(all.result().get(tag), sourceDigest, recheck, now, listedThere)
                    ? Lookup.UP_TO_DATE
                    : Lookup.ASK;
        });
    }

    /** A HEAD found the tag holding the source digest: renew its record at {@link #flush}. */
    void saw(String tag, String digest) {
        seen.put(tag, digest);
    }

    /** Writes the renewed records in one call; never fails (a lost renewal costs a HEAD next time). */
    Future<Void> flush() {
        if (seen.isEmpty()) {
            return Future.succeededFuture();
        }
        return known.saw(registry, repository, Map.copyOf(seen), now).recover(e -> {
            LOG.info("tag records of {}/{} not renewed: {}", registry, repository, e.getMessage());
            return Future.succeededFuture();
        });
    }

    private synchronized Future<Map<String, KnownTag>> records() {
        if (records == null) {
            records = known.of(registry, repository, tags).recover(e -> {
                LOG.info(
                        "tag records of {}/{} not read, asking the registry: {}", registry, repository, e.getMessage());
                return Future.succeededFuture(Map.of());
            });
        }
        return records;
    }

    private synchronized Future<Optional<Set<String>>> listed() {
        if (listed == null) {
            listed = lister.get()
                    .<Optional<Set<String>>>map(names -> Optional.of(new HashSet<>(names)))
                    .recover(e -> {
                        if (e instanceof RegistryException re && re.isNotFound()) {
                            return Future.succeededFuture(Optional.of(Set.of())); // no such repository yet
                        }
                        LOG.info(
                                "tag list of {}/{} not read, asking for each tag: {}",
                                registry,
                                repository,
                                e.getMessage());
                        return Future.succeededFuture(Optional.empty());
                    });
        }
        return listed;
    }
}
