package dev.ferry.coordinator.plan;

import dev.ferry.config.filter.RepositoryFilter;
import dev.ferry.config.filter.TagFilter;
import dev.ferry.config.model.Policy;
import dev.ferry.config.model.RegistryConfig;
import dev.ferry.config.model.Schedule;
import dev.ferry.config.model.TagSpec;
import dev.ferry.config.model.TargetSpec;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Works out, for one policy, what needs copying now: each selected source tag whose target
 * tag is absent or holds another digest becomes a {@link PlannedJob}.
 *
 * <ul>
 *   <li>Repositories: when every include glob is a literal name, those names are used as
 *       they are (no catalog call, which many registries refuse); otherwise the catalog is
 *       listed and filtered. An {@code oci:} source is a layout directory holding one unnamed
 *       repository: it is planned as repository {@code ""} and its globs are not applied;
 *       its target repository is the target's prefix without the trailing {@code /}.
 *   <li>Digests are compared with HEAD, never GET: on Docker Hub a GET counts as a pull.
 *   <li>Registry calls are bounded per registry, across all plans of this planner (at most
 *       {@code callsPerRegistry}, or the registry's {@code maxConcurrency} if lower).
 *   <li>A tag that vanished between listing and HEAD is skipped. A failure is recorded in
 *       {@link Plan#errors()} and the rest is still planned; once a registry has not answered
 *       at all (no HTTP response), the remaining calls to it in that plan are skipped.
 * </ul>
 *
 * <p>Within a target's {@code recheck} period, a tag Ferry wrote or saw there with the source's
 * digest, and which the target's tag list still has, needs no HEAD ({@link TagTrust}); a
 * {@linkplain #preview preview} always asks.
 *
 * <p>A policy with a platform subset copies a new, smaller index, whose digest never equals
 * the source's: such tags are planned on every run, and the worker finds them up to date.
 */
public final class Planner {

    public static final int DEFAULT_CALLS_PER_REGISTRY = 8;

    private final Vertx vertx;
    private final Schedule schedule;
    private final RegistryAccess registries;
    private final int callsPerRegistry;
    private final Map<String, CallLimiter> limiters = new ConcurrentHashMap<>();
    private final Function<String, String> writeHolds;
    private final KnownTags known;
    private final Clock clock;

    /**
     * A planner that asks every target for every tag (no records): for previews, which show
     * what the targets hold, and tests.
     *
     * @param writeHolds which target registries take no writes now (down or out of service), and
     *     why; null when writes may go ahead. A tag the planner cannot check there is planned
     *     anyway, and its job is held until the registry is back, instead of the plan reporting
     *     an error and the change being forgotten.
     */
    public Planner(Vertx vertx, Schedule schedule, RegistryAccess registries, Function<String, String> writeHolds) {
        this(vertx, schedule, registries, DEFAULT_CALLS_PER_REGISTRY, writeHolds, KnownTags.none(), Clock.systemUTC());
    }

    public Planner(
            Vertx vertx,
            Schedule schedule,
            RegistryAccess registries,
            int callsPerRegistry,
            Function<String, String> writeHolds) {
        this(vertx, schedule, registries, callsPerRegistry, writeHolds, KnownTags.none(), Clock.systemUTC());
    }

    /**
     * @param known Ferry's records of target tags, which stand in for a target HEAD within each
     *     target's {@code recheck} period ({@link TagTrust})
     * @param clock ages those records
     */
    public Planner(
            Vertx vertx,
            Schedule schedule,
            RegistryAccess registries,
            int callsPerRegistry,
            Function<String, String> writeHolds,
            KnownTags known,
            Clock clock) {
        this.writeHolds = writeHolds;
        this.known = known;
        this.clock = clock;
        if (callsPerRegistry < 1) {
            throw new IllegalArgumentException("callsPerRegistry must be at least 1");
        }
        this.vertx = vertx;
        this.schedule = schedule;
        this.registries = registries;
        this.callsPerRegistry = callsPerRegistry;
    }

    /**
     * Plans {@code policy} for run {@code runId}. Registry failures end up in the plan's
     * errors; the future fails only when the policy does not fit the schedule (an unknown
     * registry, a bad filter).
     */
    public Future<Plan> plan(Policy policy, String runId) {
        return plan(policy, runId, false);
    }

    /**
     * As {@link #plan}, keeping every (tag, target) check with both digests in
     * {@link Plan#checks()}, for a dry run that explains what it found. Reads only.
     */
    public Future<Plan> preview(Policy policy, String runId) {
        return plan(policy, runId, true);
    }

    private Future<Plan> plan(Policy policy, String runId, boolean keepChecks) {
        PlanRun run;
        try {
            // A source that names only digests lists no tags: its filter is never asked.
            TagSpec tags = policy.source().tags() == null
                    ? TagSpec.all()
                    : policy.source().tags();
            run = new PlanRun(
                    this,
                    policy,
                    runId,
                    registry(policy.source().registry()),
                    policy.targets().stream()
                            .map(t -> new PlanRun.Target(t, registry(t.registry())))
                            .toList(),
                    RepositoryFilter.of(
                            policy.source().repositories(), policy.source().exclude()),
                    TagFilter.of(tags.include(), tags.exclude(), tags.semver(), tags.latest()),
                    keepChecks);
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
        return run.execute();
    }

    private RegistryConfig registry(String name) {
        return schedule.registry(name)
                .orElseThrow(
                        () -> new IllegalArgumentException("unknown registry \"" + name + "\" (not in the schedule)"));
    }

    boolean writesHeld(String registry) {
        return writeHolds.apply(registry) != null;
    }

    KnownTags known() {
        return known;
    }

    Clock clock() {
        return clock;
    }

    RegistryAccess registries() {
        return registries;
    }

    CallLimiter limiter(RegistryConfig registry) {
        return limiters.computeIfAbsent(
                registry.name(),
                name -> new CallLimiter(
                        vertx,
                        registry.maxConcurrency() == null
                                ? callsPerRegistry
                                : Math.min(callsPerRegistry, registry.maxConcurrency())));
    }

    /** The target repository of {@code sourceRepository}; see the class comment for layouts. */
    static String targetRepository(TargetSpec target, String sourceRepository) {
        String repository = target.repositoryFor(sourceRepository);
        return sourceRepository.isEmpty() && repository.endsWith("/")
                ? repository.substring(0, repository.length() - 1)
                : repository;
    }

    /** True when a glob has no metacharacter, so it names exactly one repository. */
    static boolean isLiteral(String glob) {
        return glob.chars().noneMatch(c -> "*?[]{}\\".indexOf(c) >= 0);
    }

    /** The names themselves when every glob is literal; empty when the catalog must be listed. */
    static Optional<List<String>> literalNames(List<String> globs) {
        return globs.isEmpty() || !globs.stream().allMatch(Planner::isLiteral)
                ? Optional.empty()
                : Optional.of(globs.stream().distinct().toList());
    }
}
