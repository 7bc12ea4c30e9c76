package dev.ferry.coordinator.history;

import dev.ferry.common.digest.Digest;
import dev.ferry.common.digest.InvalidDigestException;
import dev.ferry.common.lease.LeaseProtocol.JobSpec;
import dev.ferry.common.manifest.ManifestParser;
import dev.ferry.config.diff.ReloadableSchedule;
import dev.ferry.config.model.RegistryConfig;
import dev.ferry.config.model.Tier;
import dev.ferry.coordinator.error.ApiException;
import dev.ferry.coordinator.job.Job;
import dev.ferry.coordinator.job.JobKey;
import dev.ferry.coordinator.job.JobKind;
import dev.ferry.coordinator.job.JobState;
import dev.ferry.coordinator.job.JobStore;
import dev.ferry.coordinator.plan.JobIds;
import dev.ferry.coordinator.plan.JobSpecs;
import dev.ferry.coordinator.plan.RegistryAccess;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Rollback: puts a target tag back to an earlier digest and pins it there.
 *
 * <p>A rollback is a job like any replication: the target registry is both source (by
 * digest) and target (by tag), it is leased, fenced and committed the same way, and its
 * write is recorded in the tag history as {@code rollback}. Its policy is
 * {@link JobKind#ROLLBACK}'s, which the conflict rule lets overwrite (an operator asked for exactly
 * this digest). It runs in the {@code critical} tier.
 */
public final class Rollbacks {

    /** One tag put back. */
    public record Item(String registry, String repository, String tag, String from, String to, String job) {}

    /** What a rollback request did: the tags it is putting back, and the ones it left, with why. */
    public record Result(String rollback, List<Item> tags, List<String> skipped) {}

    private final ReloadableSchedule schedule;
    private final TagHistory history;
    private final PinStore pins;
    private final JobStore jobs;
    private final RegistryAccess registries;
    private final Clock clock;

    public Rollbacks(
            ReloadableSchedule schedule,
            TagHistory history,
            PinStore pins,
            JobStore jobs,
            RegistryAccess registries,
            Clock clock) {
        this.schedule = schedule;
        this.history = history;
        this.pins = pins;
        this.jobs = jobs;
        this.registries = registries;
        this.clock = clock;
    }

    /**
     * Puts one tag back to {@code to}, or, when {@code to} is null, to what it held before
     * Ferry's last write to it.
     */
    public Future<Result> tag(String registry, String repository, String tag, String to) {
        String id = newId("rollback-");
        return restore(id, registry, repository, tag, to).map(item -> new Result(id, List.of(item), List.of()));
    }

    /**
     * Reverts every tag write of a run, on every target: each tag goes back to what it held
     * before the run wrote it. A tag the run created is left (and listed in {@code skipped}):
     * the registry API deletes manifests, not tags, and deleting the manifest could take
     * other tags with it.
     */
    public Future<Result> run(String runId) {
        String id = newId("rollback-");
        return history.ofRun(runId).compose(writes -> {
            if (writes.isEmpty()) {
                return Future.failedFuture(ApiException.notFound("run with tag writes", runId));
            }
            // Per tag, the run's first write says what the tag held before the run.
            Map<String, TagWrite> firstPerTag = new LinkedHashMap<>();
            writes.stream()
                    .sorted(java.util.Comparator.comparingLong(TagWrite::time))
                    .forEach(w -> firstPerTag.putIfAbsent(w.tagKey(), w));
            List<Item> items = new ArrayList<>();
            List<String> skipped = new ArrayList<>();
            Future<Void> chain = Future.succeededFuture();
            for (TagWrite w : firstPerTag.values()) {
                String where = w.registry() + "/" + w.repository() + ":" + w.tag();
                if (w.previousDigest() == null) {
                    skipped.add(where + ": the run created this tag; Ferry does not delete tags");
                    continue;
                }
                chain = chain.compose(v -> restore(id, w.registry(), w.repository(), w.tag(), w.previousDigest())
                        .map(item -> {
                            items.add(item);
                            return (Void) null;
                        })
                        .recover(e -> {
                            skipped.add(where + ": " + e.getMessage());
                            return Future.succeededFuture();
                        }));
            }
            return chain.map(v -> new Result(id, items, skipped));
        });
    }

    /**
     * Puts one tag back to {@code to} (or, when null, to what it held before Ferry's last write)
     * as part of rollback {@code rollbackId}, and pins it.
     */
    Future<Item> restore(String rollbackId, String registryName, String repository, String tag, String to) {
        RegistryConfig registry = schedule.current().registry(registryName).orElse(null);
        if (registry == null) {
            return Future.failedFuture(ApiException.notFound("registry", registryName));
        }
        if (to != null) {
            try {
                Digest.parse(to);
            } catch (InvalidDigestException e) {
                return Future.failedFuture(ApiException.badRequest("field \"to\": " + e.getMessage()));
            }
        }
        String where = registryName + "/" + repository + ":" + tag;
        return history.list(registryName, repository, tag, TagHistory.KEEP_PER_TAG)
                .compose(writes -> {
                    // The newest change to the tag's content: a write of Ferry's, or a propagated delete.
                    TagWrite last = writes.stream()
                            .filter(w -> w.ownsTag() || TagWrite.DELETE.equals(w.kind()))
                            .findFirst()
                            .orElse(null);
                    if (to == null && last == null) {
                        return Future.failedFuture(ApiException.notFound("tag history of", where));
                    }
                    String target = to != null ? to : last.previousDigest();
                    if (target == null) {
                        return Future.failedFuture(new ApiException(
                                409,
                                "nothing_to_roll_back",
                                where + " did not exist before Ferry's last write to it; name a digest with \"to\""));
                    }
                    String from = last == null ? null : last.newDigest();
                    TagWrite deleted = writes.stream()
                            .filter(w -> TagWrite.DELETE.equals(w.kind())
                                    && target.equals(w.previousDigest())
                                    && w.manifest() != null)
                            .findFirst()
                            .orElse(null);
                    return restoreDeleted(registryName, repository, target, deleted)
                            .compose(v -> present(
                                    registryName, repository, target, "cannot roll " + where + " back to " + target))
                            .compose(v -> enqueue(
                                    JobKind.ROLLBACK,
                                    JobKind.ROLLBACK.policyName(),
                                    rollbackId,
                                    registry,
                                    repository,
                                    tag,
                                    target))
                            .compose(jobId -> pins.set(new Pin(
                                            registryName,
                                            repository,
                                            tag,
                                            target,
                                            "rollback " + rollbackId,
                                            clock.millis()))
                                    .map(new Item(registryName, repository, tag, from, target, jobId)));
                });
    }

    /**
     * Puts back what policy {@code policy} last wrote to a drifted tag, through a repair job.
     * Answers the job id; fails when the digest is no longer in the registry.
     */
    public Future<String> repair(String policy, String registryName, String repository, String tag, String digest) {
        RegistryConfig registry = schedule.current().registry(registryName).orElse(null);
        if (registry == null) {
            return Future.failedFuture(ApiException.notFound("registry", registryName));
        }
        String where = registryName + "/" + repository + ":" + tag;
        return present(registryName, repository, digest, "cannot put " + digest + " back under " + where)
                .compose(v -> enqueue(JobKind.REPAIR, policy, newId("repair-"), registry, repository, tag, digest));
    }

    /**
     * When Ferry deleted this manifest (propagating a source delete), it kept its bytes: put it
     * back by digest (no tag), which works while its blobs are still in the registry.
     */
    private Future<Void> restoreDeleted(String registryName, String repository, String digest, TagWrite deleted) {
        if (deleted == null) {
            return Future.succeededFuture();
        }
        return registries
                .store(registryName)
                .compose(store -> store.headManifest(repository, digest)
                        .compose(found -> found.isPresent()
                                ? Future.<Void>succeededFuture()
                                : store.putManifest(
                                        repository,
                                        digest,
                                        ManifestParser.parse(
                                                java.util.Base64.getDecoder().decode(deleted.manifest()),
                                                deleted.mediaType()))));
    }

    private Future<Void> present(String registryName, String repository, String digest, String what) {
        return registries
                .store(registryName)
                .compose(store -> store.headManifest(repository, digest))
                .compose(found -> found.isPresent()
                        ? Future.<Void>succeededFuture()
                        : Future.failedFuture(new ApiException(
                                409,
                                "manifest_gone",
                                what + ": that manifest is no longer in " + registryName + "/" + repository
                                        + " (deleted or garbage-collected)")));
    }

    /**
     * Queues a restore job in the critical tier.
     *
     * @param kind {@link JobKind#ROLLBACK} or {@link JobKind#REPAIR}
     * @param specPolicy the policy recorded in the tag history for the write
     */
    private Future<String> enqueue(
            JobKind kind,
            String specPolicy,
            String runId,
            RegistryConfig registry,
            String repository,
            String tag,
            String digest) {
        String tier = Tier.CRITICAL.yamlName();
        String jobPolicy = kind.policyName();
        String jobId = JobIds.of(jobPolicy, registry.name(), repository, tag);
        JobKey key = JobKey.of(jobId, tier, registry.name(), repository);
        JobSpec spec = new JobSpec(
                specPolicy,
                runId,
                tier,
                JobSpecs.endpoint(registry, repository, digest),
                JobSpecs.endpoint(registry, repository, tag),
                List.of(),
                false);
        return jobs.upsert(Job.planned(key, jobPolicy, runId, tier, tag, digest, spec, clock.millis()))
                .compose(state -> state == JobState.LEASED
                        ? Future.failedFuture(new ApiException(
                                409,
                                "rollback_running",
                                "a restore of " + registry.name() + "/" + repository + ":" + tag
                                        + " is running now; try again when it has finished"))
                        : Future.succeededFuture(jobId));
    }

    static String newId(String prefix) {
        return prefix + UUID.randomUUID().toString().substring(0, 13).replace("-", "");
    }
}
