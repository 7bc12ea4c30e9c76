package dev.ferry.coordinator.plan;

import dev.ferry.common.digest.Digest;
import dev.ferry.common.image.ImageStore;
import dev.ferry.common.signature.CosignFormat;
import dev.ferry.common.transport.RegistryException;
import dev.ferry.config.filter.RepositoryFilter;
import dev.ferry.config.filter.TagFilter;
import dev.ferry.config.filter.UnmatchedPatterns;
import dev.ferry.config.model.PinnedDigest;
import dev.ferry.config.model.Policy;
import dev.ferry.config.model.RegistryConfig;
import dev.ferry.config.model.TagSpec;
import dev.ferry.config.model.TargetSpec;
import io.vertx.core.CompositeFuture;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;

/**
 * One planning pass of one policy. Every step recovers into an {@link Findings}, so a failing
 * repository, tag or target is an error line and never stops the others; the outcomes are
 * merged in policy order (repository, tag, target) however the calls interleave.
 *
 * <p>Over 300 lines because one run of the planner over a policy (repositories, tags, digests, targets with mapping, filters, warnings, and the target checks by record or HEAD); its steps share the run's limits and findings.
 */
final class PlanRun {

    record Target(TargetSpec spec, RegistryConfig config) {}

    /** @param error why the target cannot be used, or null */
    private record OpenTarget(TargetSpec spec, RegistryConfig config, ImageStore store, String error) {}

    private record Stores(ImageStore source, List<OpenTarget> targets) {}

    private final Planner planner;
    private final Policy policy;
    private final String runId;
    private final RegistryConfig source;
    private final List<Target> targets;
    private final RepositoryFilter repositories;
    private final TagFilter tags;
    private final UnmatchedPatterns repositoryPatterns;
    private final UnmatchedPatterns tagPatterns;
    private final ArtifactGate artifacts;
    /** Null in a run's plan; collects every (tag, target) check in a preview. */
    private final Queue<TagCheck> checks;
    /** Registries that gave no HTTP response in this run, with that error: later calls to them are skipped. */
    private final Map<String, String> unreachable = new ConcurrentHashMap<>();
    /** OCI-layout target name + "\n" + tag, to the target repositories planned there. */
    private final Map<String, Set<String>> layoutTags = new ConcurrentHashMap<>();
    /** The plan's clock reading, against which Ferry's tag records are aged. */
    private final long now;

    PlanRun(
            Planner planner,
            Policy policy,
            String runId,
            RegistryConfig source,
            List<Target> targets,
            RepositoryFilter repositories,
            TagFilter tags,
            boolean keepChecks) {
        this.planner = planner;
        this.now = planner.clock().millis();
        this.checks = keepChecks ? new ConcurrentLinkedQueue<>() : null;
        this.artifacts = ArtifactGate.of(policy.artifacts());
        TagSpec tagSpec =
                policy.source().tags() == null ? TagSpec.all() : policy.source().tags();
        this.repositoryPatterns = UnmatchedPatterns.forRepositories(
                "source", policy.source().repositories(), policy.source().exclude());
        this.tagPatterns = UnmatchedPatterns.forTags("source.tags", tagSpec.include(), tagSpec.exclude());
        this.policy = policy;
        this.runId = runId;
        this.source = source;
        this.targets = targets;
        this.repositories = repositories;
        this.tags = tags;
    }

    Future<Plan> execute() {
        return planner.registries().sourceStore(source.name()).transform(opened -> {
            if (opened.failed()) {
                return Future.succeededFuture(
                        finish(Findings.error("source " + source.name() + ": " + message(opened.cause()))));
            }
            return Future.all(targets.stream().map(this::open).toList()).compose(all -> {
                List<OpenTarget> usable = new ArrayList<>();
                List<Findings> outcomes = new ArrayList<>();
                for (OpenTarget target : all.<OpenTarget>list()) {
                    if (target.error() == null) {
                        usable.add(target);
                    } else {
                        outcomes.add(Findings.error(target.error()));
                    }
                }
                Future<Findings> planned = usable.isEmpty()
                        ? Future.succeededFuture(Findings.NOTHING)
                        : plan(new Stores(opened.result(), usable));
                return planned.map(outcome -> {
                    outcomes.add(outcome);
                    return finish(Findings.merge(outcomes));
                });
            });
        });
    }

    /** Opens a target's store; a target that cannot be used carries the reason instead. */
    private Future<OpenTarget> open(Target target) {
        String name = target.config().name();
        if (source.isLayout()
                && !target.config().isLayout()
                && target.spec().prefix().isEmpty()) {
            return Future.succeededFuture(new OpenTarget(
                    target.spec(),
                    target.config(),
                    null,
                    "target " + name
                            + ": the source " + source.name() + " is an OCI layout, whose repository has no name;"
                            + " give this target a prefix to name it"));
        }
        return planner.registries()
                .store(name)
                .transform(ar -> Future.succeededFuture(
                        ar.succeeded()
                                ? new OpenTarget(target.spec(), target.config(), ar.result(), null)
                                : new OpenTarget(
                                        target.spec(),
                                        target.config(),
                                        null,
                                        "target " + name + ": " + message(ar.cause()))));
    }

    private Future<Findings> plan(Stores stores) {
        return listRepositories().transform(listed -> {
            if (listed.failed()) {
                return Future.succeededFuture(
                        Findings.error("source " + source.name() + ": " + message(listed.cause())));
            }
            List<String> collisions = TargetNaming.collisions(
                    policy.name(),
                    stores.targets().stream().map(OpenTarget::spec).toList(),
                    targetNames(stores),
                    listed.result());
            if (!collisions.isEmpty()) {
                return Future.succeededFuture(
                        Findings.merge(collisions.stream().map(Findings::error).toList()));
            }
            return mergeAll(listed.result().stream()
                    .map(repository -> repository(stores, repository))
                    .toList());
        });
    }

    /** The registry name of each open target, in order, for messages. */
    private static List<String> targetNames(Stores stores) {
        return stores.targets().stream().map(t -> t.config().name()).toList();
    }

    private Future<List<String>> listRepositories() {
        if (source.isLayout()) {
            return Future.succeededFuture(List.of(""));
        }
        Optional<List<String>> literal = Planner.literalNames(policy.source().repositories());
        if (literal.isPresent()) {
            return Future.succeededFuture(repositories.select(literal.get()));
        }
        return call(source, () -> planner.registries().catalog(source.name()))
                .recover(e -> Future.failedFuture(
                        CatalogRefusal.explain(source.name(), policy.source().repositories(), e)))
                .map(catalog -> {
                    repositoryPatterns.observe(catalog);
                    return repositories.select(catalog);
                });
    }

    private Future<Findings> repository(Stores stores, String repository) {
        Future<Findings> pinned = mergeAll(policy.source().digests().stream()
                .map(d -> pinnedDigest(stores, repository, d))
                .toList());
        if (!policy.source().copiesTags()) {
            return pinned;
        }
        return mergeAll(List.of(pinned, tags(stores, repository)));
    }

    private Future<Findings> tags(Stores stores, String repository) {
        return call(source, () -> stores.source().listTags(repository))
                .map(this::withoutArtifactTags)
                .map(names -> {
                    tagPatterns.observe(names);
                    return tags.selectNames(names);
                })
                .compose(selected -> {
                    Map<OpenTarget, TargetTags> known = targetTags(stores, repository, selected);
                    return mergeAll(selected.stream()
                                    .map(tag -> tag(stores, repository, tag, known))
                                    .toList())
                            .compose(found -> Future.all(known.values().stream()
                                            .map(TargetTags::flush)
                                            .toList())
                                    .map(v -> found));
                })
                .recover(e -> failed("source " + where(source.name(), repository, null), e));
    }

    /**
     * For each target whose tags may be taken from Ferry's records ({@link TagTrust}), its view
     * of the repository's selected tags. None in a preview (it shows what the targets hold), on
     * an OCI layout target (a HEAD there is a file read) or with {@code recheck: 0}.
     */
    private Map<OpenTarget, TargetTags> targetTags(Stores stores, String repository, List<String> selected) {
        Map<OpenTarget, TargetTags> known = new IdentityHashMap<>();
        if (checks != null) {
            return known;
        }
        for (OpenTarget target : stores.targets()) {
            Duration recheck = target.spec().recheckPeriod();
            if (target.config().isLayout() || recheck.isZero()) {
                continue;
            }
            String targetRepository;
            Set<String> targetTags = new HashSet<>();
            try {
                targetRepository = Planner.targetRepository(target.spec(), repository);
                for (String tag : selected) {
                    targetTags.add(target.spec().tagFor(tag));
                }
            } catch (IllegalArgumentException e) {
                continue; // a name the target cannot take: target() reports it, tag by tag
            }
            known.put(
                    target,
                    new TargetTags(
                            planner.known(),
                            target.config().name(),
                            targetRepository,
                            targetTags,
                            recheck,
                            now,
                            () -> call(target.config(), () -> target.store().listTags(targetRepository))));
        }
        return known;
    }

    /**
     * Signature, attestation, SBOM and referrers-index tags travel with their image when the
     * policy carries referrers, and are not images a signature rule could admit: then they are
     * not planned as tags of their own.
     */
    private List<String> withoutArtifactTags(List<String> names) {
        if (!policy.referrers() && !policy.verify().required()) {
            return names;
        }
        return names.stream().filter(t -> !CosignFormat.isArtifactTag(t)).toList();
    }

    private Future<Findings> tag(Stores stores, String repository, String tag, Map<OpenTarget, TargetTags> known) {
        return call(source, () -> stores.source().headManifest(repository, tag))
                .compose(found -> {
                    if (found.isEmpty()) {
                        return Future.succeededFuture(Findings.NOTHING); // deleted since it was listed
                    }
                    Digest digest = found.get().digest();
                    return call(source, () -> artifacts.admits(stores.source(), repository, digest.toString()))
                            .compose(admitted -> !admitted
                                    ? Future.succeededFuture(
                                            Findings.NOTHING) // a kind the policy's artifacts filter leaves out
                                    : mergeAll(stores.targets().stream()
                                            .map(t -> target(t, repository, tag, false, digest, known.get(t)))
                                            .toList()));
                })
                .recover(e -> failed("source " + where(source.name(), repository, tag), e));
    }

    /**
     * A digest the policy pins: copied when the source repository holds it, under the entry's
     * tag or, without one, by digest only.
     */
    private Future<Findings> pinnedDigest(Stores stores, String repository, PinnedDigest pinned) {
        return call(source, () -> stores.source().headManifest(repository, pinned.digest()))
                .compose(found -> {
                    if (found.isEmpty()) {
                        return Future.succeededFuture(Findings.error("source " + where(source.name(), repository, null)
                                + ": has no manifest " + pinned.digest() + " (pinned in source.digests)"));
                    }
                    String reference = pinned.tag() != null ? pinned.tag() : pinned.digest();
                    Digest digest = found.get().digest();
                    return mergeAll(stores.targets().stream()
                            .map(t -> target(t, repository, reference, true, digest, null))
                            .toList());
                })
                .recover(e -> failed("source " + where(source.name(), repository, null) + "@" + pinned.digest(), e));
    }

    /**
     * @param asGiven write {@code sourceTag} (a pinned digest's tag, or the digest) as it is, not through the template
     * @param known the target repository's records and tag list; null to HEAD without them
     */
    private Future<Findings> target(
            OpenTarget target,
            String repository,
            String sourceTag,
            boolean asGiven,
            Digest sourceDigest,
            TargetTags known) {
        String targetRepository;
        String tag;
        try {
            targetRepository = Planner.targetRepository(target.spec(), repository);
            tag = asGiven ? sourceTag : target.spec().tagFor(sourceTag);
        } catch (IllegalArgumentException e) {
            return failed(
                    "target " + target.config().name() + " for " + where(source.name(), repository, sourceTag), e);
        }
        if (target.config().isLayout()) {
            layoutTags
                    .computeIfAbsent(target.config().name() + "\n" + tag, k -> ConcurrentHashMap.newKeySet())
                    .add(targetRepository);
        }
        if (known == null) {
            return head(target, repository, targetRepository, tag, sourceDigest, null);
        }
        return known.lookup(tag, sourceDigest.toString()).compose(lookup -> switch (lookup) {
            case UP_TO_DATE -> Future.succeededFuture(Findings.BY_RECORD);
            // The target's list lacks the tag: a copy is due whatever a HEAD would say (a stale
            // list costs a job that finds the tag there, never a wrong write: the worker asks again).
            case ABSENT ->
                Future.succeededFuture(
                        Findings.job(job(target.config(), repository, targetRepository, tag, sourceDigest.toString()))
                                .afterList());
            case ASK -> head(target, repository, targetRepository, tag, sourceDigest, known);
        });
    }

    /** Asks the target what the tag holds; a match renews Ferry's record of it in {@code known}, when given. */
    private Future<Findings> head(
            OpenTarget target,
            String repository,
            String targetRepository,
            String tag,
            Digest sourceDigest,
            TargetTags known) {
        return call(target.config(), () -> target.store().headManifest(targetRepository, tag))
                .map(found -> {
                    if (checks != null) {
                        checks.add(new TagCheck(
                                repository,
                                tag,
                                sourceDigest.toString(),
                                target.config().name(),
                                targetRepository,
                                found.map(d -> d.digest().toString()).orElse(null)));
                    }
                    return found;
                })
                .map(found -> {
                    if (found.isPresent() && found.get().digest().equals(sourceDigest)) {
                        if (known != null) {
                            known.saw(tag, sourceDigest.toString());
                        }
                        return Findings.UP_TO_DATE.afterHead();
                    }
                    return Findings.job(
                                    job(target.config(), repository, targetRepository, tag, sourceDigest.toString()))
                            .afterHead();
                })
                .recover(e -> planner.writesHeld(target.config().name())
                        // The target is down or out of service: plan the tag; its job waits (held) until it is back.
                        ? Future.succeededFuture(Findings.job(
                                job(target.config(), repository, targetRepository, tag, sourceDigest.toString())))
                        : failed("target " + where(target.config().name(), targetRepository, tag), e));
    }

    private PlannedJob job(
            RegistryConfig target, String repository, String targetRepository, String tag, String sourceDigest) {
        String id = JobIds.of(policy.name(), target.name(), targetRepository, tag);
        return new PlannedJob(
                id,
                policy.tier().yamlName(),
                target.name(),
                targetRepository,
                tag,
                sourceDigest,
                JobSpecs.of(policy, runId, source, repository, sourceDigest, target, targetRepository, tag));
    }

    /** Runs a registry call within that registry's bound, unless it gave no response before. */
    private <T> Future<T> call(RegistryConfig registry, Supplier<Future<T>> call) {
        return planner.limiter(registry)
                .run(() -> {
                    String first = unreachable.get(registry.name());
                    return first != null
                            ? Future.<T>failedFuture(new IllegalStateException("skipped: registry " + registry.name()
                                    + " gave no response earlier in this plan (" + first + ")"))
                            : call.get();
                })
                .onFailure(e -> {
                    if (e instanceof RegistryException re && re.gaveNoResponse()) {
                        unreachable.putIfAbsent(registry.name(), String.valueOf(re.getMessage()));
                    }
                });
    }

    private Plan finish(Findings outcome) {
        Map<String, PlannedJob> jobs = new LinkedHashMap<>();
        outcome.jobs().forEach(job -> jobs.putIfAbsent(job.id(), job));
        List<String> errors = new ArrayList<>(outcome.errors());
        errors.addAll(layoutCollisions());
        if (errors.size() > Plan.MAX_ERRORS) {
            int more = errors.size() - Plan.MAX_ERRORS;
            errors = new ArrayList<>(errors.subList(0, Plan.MAX_ERRORS));
            errors.add("... and " + more + " more errors");
        }
        List<String> warnings = new ArrayList<>(repositoryPatterns.warnings());
        warnings.addAll(tagPatterns.warnings());
        return new Plan(
                policy.name(),
                runId,
                List.copyOf(jobs.values()),
                outcome.upToDate(),
                errors,
                warnings,
                checks == null ? List.of() : List.copyOf(checks),
                new Plan.Lookups(outcome.fromRecord(), outcome.heads(), outcome.fromList()));
    }

    /** An OCI layout has one set of tags: two repositories copied into it overwrite each other's. */
    private List<String> layoutCollisions() {
        return layoutTags.entrySet().stream()
                .filter(e -> e.getValue().size() > 1)
                .sorted(Map.Entry.comparingByKey())
                .map(e -> {
                    String[] key = e.getKey().split("\n", 2);
                    return "target " + key[0] + ": tag " + key[1] + " would be written from "
                            + e.getValue().size()
                            + " repositories " + new TreeSet<>(e.getValue())
                            + ", but an OCI layout holds one repository,"
                            + " so each copy overwrites the others";
                })
                .toList();
    }

    private static Future<Findings> mergeAll(List<Future<Findings>> parts) {
        return Future.all(parts).map(CompositeFuture::<Findings>list).map(Findings::merge);
    }

    private static Future<Findings> failed(String where, Throwable e) {
        return Future.succeededFuture(Findings.error(where + ": " + message(e)));
    }

    private static String where(String registry, String repository, String tag) {
        String name = repository.isEmpty() ? "" : " " + repository;
        if (tag == null) {
            return registry + name;
        }
        return registry + (repository.isEmpty() ? " " : name + ":") + tag;
    }

    private static String message(Throwable e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
