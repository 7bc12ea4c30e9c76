package dev.ferry.coordinator.job;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;
import com.hazelcast.map.IMap;
import dev.ferry.coordinator.hz.HzFutures;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.Serializable;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Who may write a target tag now: the commit point's half of "one writer per tag".
 *
 * <p>The ready index keeps two jobs of one tag from being leased together, but only among the
 * jobs its member owns, and a tag's jobs in different tiers (a replication in {@code normal},
 * a repair or rollback in {@code critical}) sit on different partitions, maybe on different
 * members. So a lease also claims the tag here, cluster-wide, when it records its commit
 * intent, and holds the claim until it completes, or until its lease runs out (a worker that
 * died). A second lease that asks while the claim is held is told who holds it and writes
 * nothing. Each decision is an entry processor on the tag's partition; {@code now} is passed
 * in, so the processors are pure and give the same answer on the backup replica.
 */
public final class TagWriters {

    public static final String MAP_NAME = "ferry-tag-writers";
    /** A claim outlives its lease's expiry by this much before the map forgets it. */
    private static final long GRACE_MILLIS = 60_000;

    /** The lease that may write a tag, until {@code until} (its lease's expiry). */
    public record Writer(String jobId, String leaseId, long until) implements Serializable {}

    private final IMap<String, Writer> map;
    private final Vertx vertx;

    public TagWriters(HazelcastInstance hazelcast, Vertx vertx) {
        this.map = hazelcast.getMap(MAP_NAME);
        this.vertx = vertx;
    }

    /** The key of a target tag: registry, repository and tag. */
    public static String key(String registry, String repository, String tag) {
        return registry + "|" + repository + "|" + tag;
    }

    /**
     * Claims {@code tag} for a lease until {@code until}. Empty when granted (or already this
     * job's); otherwise the job that holds it.
     */
    public Future<Optional<String>> claim(String tag, String jobId, String leaseId, long until, long now) {
        return run(tag, new Claim(jobId, leaseId, until, now)).map(Optional::ofNullable);
    }

    /** Moves a held claim's end to {@code until} (the lease was renewed); nothing when not held. */
    public Future<Void> extend(String tag, String leaseId, long until, long now) {
        return run(tag, new Extend(leaseId, until, now)).mapEmpty();
    }

    /** Gives the tag up, if this lease holds it. */
    public Future<Void> release(String tag, String leaseId) {
        return run(tag, new Release(leaseId)).mapEmpty();
    }

    private <R> Future<R> run(String tag, EntryProcessor<String, Writer, R> processor) {
        return HzFutures.on(vertx.getOrCreateContext(), map.submitToKey(tag, processor));
    }

    private static void hold(Map.Entry<String, Writer> entry, Writer writer, long now) {
        long ttl = Math.max(1, writer.until() - now) + GRACE_MILLIS;
        ((ExtendedMapEntry<String, Writer>) entry).setValue(writer, ttl, TimeUnit.MILLISECONDS);
    }

    /** Answers the holder's job id when another job's live lease holds the tag, else null (granted). */
    record Claim(String jobId, String leaseId, long until, long now) implements EntryProcessor<String, Writer, String> {
        @Override
        public String process(Map.Entry<String, Writer> entry) {
            Writer held = entry.getValue();
            // The same job under a newer lease may take its own claim over: a job has one valid lease.
            if (held != null && held.until() >= now && !held.jobId().equals(jobId)) {
                return held.jobId();
            }
            hold(entry, new Writer(jobId, leaseId, until), now);
            return null;
        }
    }

    record Extend(String leaseId, long until, long now) implements EntryProcessor<String, Writer, Boolean> {
        @Override
        public Boolean process(Map.Entry<String, Writer> entry) {
            Writer held = entry.getValue();
            if (held == null || !held.leaseId().equals(leaseId)) {
                return false;
            }
            hold(entry, new Writer(held.jobId(), leaseId, Math.max(until, held.until())), now);
            return true;
        }
    }

    record Release(String leaseId) implements EntryProcessor<String, Writer, Boolean> {
        @Override
        public Boolean process(Map.Entry<String, Writer> entry) {
            Writer held = entry.getValue();
            if (held == null || !held.leaseId().equals(leaseId)) {
                return false;
            }
            entry.setValue(null);
            return true;
        }
    }
}
