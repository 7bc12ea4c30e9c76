package dev.ferry.coordinator.run;

import dev.ferry.coordinator.job.Job;
import dev.ferry.coordinator.job.JobState;
import dev.ferry.coordinator.job.JobStore;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The jobs a run planned that were still leased by an earlier run when it enqueued them (that
 * run ended early: its planning member left, or its plan failed after part of it was queued).
 * A queued job would have been re-planned in place; a leased one keeps its lease and its run.
 * Without this the new run could end {@code succeeded} while that copy, possibly of an older
 * source digest, was still in flight. The run waits for each: once the lease has ended, a job
 * that wrote the digest this run planned is done; any other outcome is planned again, now as
 * this run's job.
 *
 * <p>Held in the watching member's memory: a member that adopts the run after its watcher left
 * does not know them, and the run may then end before such a job does (docs/guarantees.md).
 */
final class BusyJobs {

    private static final Logger LOG = LoggerFactory.getLogger(BusyJobs.class);

    private final String runId;
    private final JobStore jobs;
    private final Map<String, Job> waiting = new ConcurrentHashMap<>();
    private volatile boolean replanned;

    BusyJobs(String runId, JobStore jobs) {
        this.runId = runId;
        this.jobs = jobs;
    }

    /** {@code planned} found its job leased by another run: wait for that lease. */
    void add(Job planned) {
        waiting.put(planned.id(), planned);
    }

    int size() {
        return waiting.size();
    }

    /** The run was cancelled: wait for nothing and re-plan nothing. */
    void clear() {
        waiting.clear();
    }

    /** Whether the last {@link #settle} queued any job as this run's. */
    boolean replannedAny() {
        return replanned;
    }

    /**
     * Looks at each waiting job once: drops those whose lease ended with this run's digest
     * written, re-plans the others whose lease ended. True when none is left waiting.
     */
    Future<Boolean> settle() {
        replanned = false;
        if (waiting.isEmpty()) {
            return Future.succeededFuture(true);
        }
        List<Future<Void>> looks = new ArrayList<>();
        for (Job planned : List.copyOf(waiting.values())) {
            looks.add(jobs.get(planned.key()).compose(found -> {
                Job now = found.orElse(null);
                if (now != null && now.state() == JobState.LEASED) {
                    return Future.succeededFuture(); // still in flight: wait
                }
                if (now != null
                        && now.state() == JobState.SUCCEEDED
                        && planned.sourceDigest().equals(now.writtenDigest())) {
                    waiting.remove(planned.id());
                    return Future.succeededFuture();
                }
                return jobs.upsert(planned).map(state -> {
                    if (state != JobState.LEASED) {
                        waiting.remove(planned.id());
                        replanned = true;
                        LOG.info(
                                "run {}: job {} ({}) re-planned after the earlier run's lease ended",
                                runId,
                                planned.id(),
                                planned.tag());
                    }
                    return null;
                });
            }));
        }
        return Future.join(looks).transform(ar -> Future.succeededFuture(waiting.isEmpty()));
    }
}
