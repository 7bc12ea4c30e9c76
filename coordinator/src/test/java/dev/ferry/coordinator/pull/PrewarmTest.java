package dev.ferry.coordinator.pull;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.ferry.common.lease.LeaseProtocol;
import dev.ferry.config.model.OnConflict;
import dev.ferry.config.model.OnDrift;
import dev.ferry.config.model.Policy;
import dev.ferry.config.model.PrewarmSpec;
import dev.ferry.config.model.SourceSpec;
import dev.ferry.config.model.TargetSpec;
import dev.ferry.config.model.Tier;
import dev.ferry.config.model.Trigger;
import dev.ferry.config.model.VerifySpec;
import dev.ferry.coordinator.plan.Plan;
import dev.ferry.coordinator.plan.PlannedJob;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Decaying pull counts, the rising test, and how a pre-warming policy ranks and cuts its plan. */
class PrewarmTest {

    private static final long HOUR = 3_600_000;

    private static final Policy WARM = new Policy(
            "warm",
            new SourceSpec("hub", List.of("team/*"), List.of(), null),
            List.of(new TargetSpec("edge", "m/")),
            Trigger.manualOnly(),
            Tier.NORMAL,
            OnConflict.FAIL,
            List.of(),
            List.of(),
            false,
            VerifySpec.none(),
            OnDrift.REPORT,
            false,
            new PrewarmSpec(2));

    private static PullScore pulls(int n, long at) {
        PullScore s = PullScore.none(at);
        for (int i = 0; i < n; i++) {
            s = s.plusOne(at, HOUR);
        }
        return s;
    }

    @Test
    void aCountHalvesEveryHalfLifeAndItsFastPartFourTimesAsOften() {
        PullScore later = pulls(8, 0).at(HOUR, HOUR);

        assertThat(later.slow()).isCloseTo(4.0, within(1e-9));
        assertThat(later.fast()).isCloseTo(0.5, within(1e-9));
    }

    @Test
    void aTagIsRisingWhenItsRecentPullsOutpaceItsLongRunRate() {
        // Pulled steadily long ago, then quiet: its recent rate is below the long-run one.
        PullScore steady = pulls(40, 0).at(2 * HOUR, HOUR).plusOne(2 * HOUR, HOUR);
        // A burst now.
        PullScore burst = pulls(5, 2 * HOUR);

        assertThat(steady.rising()).isFalse();
        assertThat(burst.rising()).isTrue();
        assertThat(pulls(1, 0).rising()).as("one pull is no trend").isFalse();
    }

    @Test
    void theTopTagsAddSourceAndTargetPullsAndIgnoreOtherRepositories() {
        List<PullCounts.Count> counts = List.of(
                new PullCounts.Count("hub", "team/a", "v1", pulls(3, 0), 0),
                new PullCounts.Count("edge", "m/team/a", "v1", pulls(2, 0), 0),
                new PullCounts.Count("hub", "team/b", "v1", pulls(4, 0), 0),
                new PullCounts.Count("hub", "team/c", "v1", pulls(1, 0), 0),
                new PullCounts.Count("hub", "other/x", "v1", pulls(50, 0), 0),
                new PullCounts.Count("edge", "elsewhere/team/a", "v2", pulls(50, 0), 0));

        List<Prewarm.Ranked> top = Prewarm.top(WARM, counts, 0);

        assertThat(top).extracting(r -> r.repository() + ":" + r.tag()).containsExactly("team/a:v1", "team/b:v1");
        assertThat(top.get(0).score().slow()).isCloseTo(5.0, within(1e-9));
    }

    @Test
    void aTagNotPulledWithinTheTargetTtlIsNotWarmed() {
        Policy withTtl = new Policy(
                "warm",
                WARM.source(),
                List.of(new TargetSpec("edge", "m/", java.time.Duration.ofHours(1))),
                WARM.trigger(),
                WARM.tier(),
                WARM.onConflict(),
                List.of(),
                List.of(),
                false,
                VerifySpec.none(),
                OnDrift.REPORT,
                false,
                new PrewarmSpec(5));
        List<PullCounts.Count> counts = List.of(
                new PullCounts.Count("hub", "team/old", "v1", pulls(90, 0), 0),
                new PullCounts.Count("hub", "team/new", "v1", pulls(1, 2 * HOUR), 2 * HOUR));

        assertThat(Prewarm.top(withTtl, counts, 2 * HOUR))
                .extracting(Prewarm.Ranked::repository)
                .containsExactly("team/new");
    }

    @Test
    void theCutKeepsOnlyTopTagsAtHighWhenRisingAndBulkOtherwise() {
        Plan plan = new Plan(
                "warm", "run-1", List.of(job("team/a", "v1"), job("team/b", "v1"), job("team/c", "v1")), 4, List.of());
        PullScore old = pulls(40, 0).at(3 * HOUR, HOUR);
        List<Prewarm.Ranked> top =
                List.of(new Prewarm.Ranked("team/a", "v1", pulls(5, 0), 0), new Prewarm.Ranked("team/b", "v1", old, 0));

        Plan cut = Prewarm.cut(plan, top);

        assertThat(cut.jobs())
                .extracting(j -> j.spec().source().repository() + "@" + j.tier() + "/"
                        + j.spec().tier())
                .containsExactly("team/a@high/high", "team/b@bulk/bulk");
        assertThat(cut.upToDate()).isEqualTo(4);
    }

    private static PlannedJob job(String repository, String tag) {
        LeaseProtocol.Endpoint source = new LeaseProtocol.Endpoint("hub", "https://hub", repository, "sha256:aa", null);
        LeaseProtocol.Endpoint target =
                new LeaseProtocol.Endpoint("edge", "https://edge", "m/" + repository, tag, null);
        return new PlannedJob(
                "id-" + repository,
                "normal",
                "edge",
                "m/" + repository,
                tag,
                "sha256:aa",
                new LeaseProtocol.JobSpec("warm", "run-1", "normal", source, target, List.of(), false));
    }
}
