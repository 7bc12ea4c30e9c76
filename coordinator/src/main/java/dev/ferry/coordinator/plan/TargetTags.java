package dev.ferry.coordinator.plan;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One target repository as one plan sees it: Ferry's records of the plan's tags there, read
 * once, and the target's tag list, read once and only when some record vouches for a tag
 * ({@link TagTrust}). The HEADs that found the source digest are written back as one batch by
 * {@link #flush}. A record or list that cannot be read trusts nothing: every tag gets its HEAD.
 */
final class TargetTags {

    private static final Logger LOG = LoggerFactory.getLogger(TargetTags.class);

    private final KnownTags known;
    private final String registry;
    private final String repository;
    private final Set<String> tags;
    private final Duration recheck;
    private final long now;
    private final Supplier<Future<List<String>>> lister;
    private final Map<String, String> seen = new ConcurrentHashMap<>();
    private Future<Map<String, KnownTag>> records;
    private Future<Set<String>> listed;

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

    /** True when the tag is up to date by Ferry's record; false when it needs a HEAD. */
    Future<Boolean> upToDate(String tag, String sourceDigest) {
        return records().compose(all -> {
            KnownTag record = all.get(tag);
            if (!TagTrust.recordVouches(record, sourceDigest, recheck, now)) {
                return Future.succeededFuture(false);
            }
            return listed().map(names -> TagTrust.upToDate(record, sourceDigest, recheck, now, names.contains(tag)));
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

    private synchronized Future<Set<String>> listed() {
        if (listed == null) {
            listed = lister.get().<Set<String>>map(HashSet::new).recover(e -> {
                LOG.info("tag list of {}/{} not read, asking for each tag: {}", registry, repository, e.getMessage());
                return Future.succeededFuture(Set.of());
            });
        }
        return listed;
    }
}
