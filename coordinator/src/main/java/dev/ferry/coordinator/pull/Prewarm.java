package dev.ferry.coordinator.pull;

import dev.ferry.common.lease.LeaseProtocol;
import dev.ferry.config.filter.RepositoryFilter;
import dev.ferry.config.model.Policy;
import dev.ferry.config.model.TargetSpec;
import dev.ferry.coordinator.plan.Plan;
import dev.ferry.coordinator.plan.PlannedJob;
import io.vertx.core.Future;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code prewarm: { topK }}: cuts a policy's plan to its source's most-pulled tags. A source tag's
 * pulls are those counted at the source registry plus those at each target for the copy there
 * (the target repository, by the target's prefix). The top {@code topK} tags with any pulls
 * keep their jobs, at tier {@code high} when their pulls are rising and {@code bulk} otherwise.
 */
public final class Prewarm {

    public static final String BULK = "bulk";
    public static final String HIGH = "high";

    /** A source tag ranked by its pulls. */
    public record Ranked(String repository, String tag, PullScore score, long lastPull) {}

    private final PullCounts pulls;
    private final java.time.Clock clock;

    public Prewarm(PullCounts pulls, java.time.Clock clock) {
        this.pulls = pulls;
        this.clock = clock;
    }

    /** The plan itself for an ordinary policy; else only the jobs of the top tags, re-tiered. */
    public Future<Plan> apply(Policy policy, Plan plan) {
        if (policy.prewarm() == null) {
            return Future.succeededFuture(plan);
        }
        Set<String> registries = new HashSet<>();
        registries.add(policy.source().registry());
        policy.targets().forEach(t -> registries.add(t.registry()));
        return pulls.of(registries).map(counts -> cut(plan, top(policy, counts, clock.millis())));
    }

    /**
     * The policy's source tags with pulls, most pulled first, at most topK. A tag nobody pulled
     * within the shortest target ttl is left out: expiry would remove what this copied.
     */
    static List<Ranked> top(Policy policy, List<PullCounts.Count> counts, long now) {
        long ttl = policy.targets().stream()
                .filter(t -> t.ttl() != null)
                .mapToLong(t -> t.ttl().toMillis())
                .min()
                .orElse(Long.MAX_VALUE);
        RepositoryFilter selected = RepositoryFilter.of(
                policy.source().repositories(), policy.source().exclude());
        Map<String, Ranked> bySource = new HashMap<>();
        for (PullCounts.Count c : counts) {
            String repository = sourceRepository(policy, c.registry(), c.repository());
            if (repository == null || !selected.matches(repository)) {
                continue;
            }
            bySource.merge(
                    repository + ":" + c.tag(),
                    new Ranked(repository, c.tag(), c.score(), c.lastPull()),
                    (a, b) -> new Ranked(
                            a.repository(),
                            a.tag(),
                            new PullScore(
                                    a.score().slow() + b.score().slow(),
                                    a.score().fast() + b.score().fast(),
                                    Math.max(a.score().at(), b.score().at())),
                            Math.max(a.lastPull(), b.lastPull())));
        }
        return bySource.values().stream()
                .filter(r -> r.score().slow() > 0 && now - r.lastPull() <= ttl)
                .sorted(Comparator.comparingDouble((Ranked r) -> -r.score().slow())
                        .thenComparing(Ranked::repository)
                        .thenComparing(Ranked::tag))
                .limit(policy.prewarm().topK())
                .toList();
    }

    /** The source repository a count is about, or null when it is none of this policy's. */
    private static String sourceRepository(Policy policy, String registry, String repository) {
        if (registry.equals(policy.source().registry())) {
            return repository;
        }
        for (TargetSpec t : policy.targets()) {
            String prefix = t.prefix() == null ? "" : t.prefix();
            if (t.registry().equals(registry)
                    && repository.startsWith(prefix)
                    && repository.length() > prefix.length()) {
                return repository.substring(prefix.length());
            }
        }
        return null;
    }

    static Plan cut(Plan plan, List<Ranked> top) {
        Map<String, Ranked> wanted = new LinkedHashMap<>();
        top.forEach(r -> wanted.put(r.repository() + ":" + r.tag(), r));
        List<PlannedJob> kept = plan.jobs().stream()
                .filter(j -> wanted.containsKey(j.spec().source().repository() + ":" + j.tag()))
                .map(j -> retiered(
                        j,
                        wanted.get(j.spec().source().repository() + ":" + j.tag())
                                        .score()
                                        .rising()
                                ? HIGH
                                : BULK))
                .toList();
        return plan.with(kept, plan.upToDate(), plan.errors());
    }

    private static PlannedJob retiered(PlannedJob j, String tier) {
        LeaseProtocol.JobSpec s = j.spec();
        return new PlannedJob(
                j.id(),
                tier,
                j.targetRegistry(),
                j.targetRepository(),
                j.tag(),
                j.sourceDigest(),
                new LeaseProtocol.JobSpec(
                        s.policy(), s.runId(), tier, s.source(), s.target(), s.platforms(), s.referrers()));
    }
}
