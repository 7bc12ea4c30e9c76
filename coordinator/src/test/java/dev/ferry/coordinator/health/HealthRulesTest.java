package dev.ferry.coordinator.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.config.model.FailoverConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class HealthRulesTest {

    private static final FailoverConfig CONFIG = new FailoverConfig(
            Duration.ofSeconds(1), Duration.ofMillis(500), 3, Duration.ofSeconds(30), Duration.ofMillis(200), 30);
    private final HealthRules rules = new HealthRules(CONFIG);
    private long now = 1_000_000;

    private RegistryHealth probe(RegistryHealth h, boolean ok, long latency) {
        now += 1000;
        return rules.afterProbe(h, new ProbeResult(now, latency, ok, ok ? "200" : "connection refused"));
    }

    private RegistryHealth fresh() {
        return RegistryHealth.initial("mirror", now);
    }

    @Test
    void downAfterConsecutiveFailuresLeavesRoutesAndHoldsWrites() {
        RegistryHealth h = probe(fresh(), true, 10);
        h = probe(h, false, 500);
        h = probe(h, false, 500);
        assertThat(h.state()).isEqualTo(HealthState.DEGRADED);
        assertThat(h.inRoutes()).isTrue();
        assertThat(h.holdsWrites()).isNull();
        h = probe(h, false, 500);
        assertThat(h.state()).isEqualTo(HealthState.DOWN);
        assertThat(h.reason()).contains("3 probes in a row failed").contains("connection refused");
        assertThat(h.inRoutes()).isFalse();
        assertThat(h.holdsWrites()).contains("mirror is down");
        assertThat(h.since()).isEqualTo(now);
    }

    @Test
    void recoveryFromDownStartsACatchUpAndStaysOutOfRoutes() {
        RegistryHealth h = fresh();
        for (int i = 0; i < 3; i++) {
            h = probe(h, false, 1);
        }
        h = probe(h, true, 5);
        assertThat(h.state()).isNotEqualTo(HealthState.DOWN);
        assertThat(h.inRoutes()).isFalse();
        assertThat(h.holdsWrites()).as("catch-up must be able to write").isNull();
        assertThat(h.recovery().phase()).isEqualTo(Recovery.PENDING);
        // Another failure in a row does not take it down again, but downAfter failures do, and reset the recovery.
        for (int i = 0; i < 3; i++) {
            h = probe(h, false, 1);
        }
        assertThat(h.state()).isEqualTo(HealthState.DOWN);
        assertThat(h.recovery()).isNull();
    }

    @Test
    void slowProbesDegradeButDoNotTakeOutOfRoutes() {
        RegistryHealth h = fresh();
        for (int i = 0; i < 5; i++) {
            h = probe(h, true, 10);
        }
        assertThat(h.state()).isEqualTo(HealthState.HEALTHY);
        for (int i = 0; i < 3; i++) {
            h = probe(h, true, 900);
        }
        assertThat(h.state()).isEqualTo(HealthState.DEGRADED);
        assertThat(h.reason()).contains("3 of the last 8 probes were slow");
        assertThat(h.inRoutes()).isTrue();
        for (int i = 0; i < 10; i++) {
            h = probe(h, true, 10);
        }
        assertThat(h.state()).isEqualTo(HealthState.HEALTHY);
        assertThat(h.recent()).hasSize(HealthRules.WINDOW);
    }

    @Test
    void anOpenBreakerDegradesForAFewProbeIntervals() {
        RegistryHealth h = probe(fresh(), true, 10);
        h = rules.breakerOpen(h, "worker-7", now);
        assertThat(h.state()).isEqualTo(HealthState.DEGRADED);
        assertThat(h.reason()).contains("worker-7");
        now += 3_000;
        h = probe(h, true, 10);
        assertThat(h.state()).isEqualTo(HealthState.HEALTHY);
    }

    @Test
    void failbackIsRefusedUntilTheCatchUpIsVerifiedUnlessForced() {
        RegistryHealth h = probe(fresh(), true, 10);
        h = rules.takeOut(h, new Manual(Manual.FAILOVER, "alice", "maintenance", now, null, 0), now);
        assertThat(h.state()).isEqualTo(HealthState.OUT_OF_SERVICE);
        assertThat(h.inRoutes()).isFalse();
        assertThat(h.holdsWrites()).contains("failover by alice");

        HealthRules.Failback first = rules.failback(h, false, now);
        assertThat(first.done()).isFalse();
        assertThat(first.message()).contains("catch-up started");
        assertThat(first.health().holdsWrites()).isNull();
        assertThat(first.health().inRoutes()).isFalse();
        assertThat(first.health().recovery().phase()).isEqualTo(Recovery.PENDING);

        RegistryHealth catching =
                first.health().withRecovery(first.health().recovery().catchingUp(java.util.List.of("run-1")));
        HealthRules.Failback second = rules.failback(catching, false, now);
        assertThat(second.done()).isFalse();
        assertThat(second.message()).contains("catching-up").contains("run-1");

        RegistryHealth verified = catching.withRecovery(catching.recovery().phase(Recovery.VERIFIED, now, "ok"));
        HealthRules.Failback third = rules.failback(verified, false, now);
        assertThat(third.done()).isTrue();
        assertThat(third.health().inRoutes()).isTrue();
        assertThat(third.health().recovery()).isNull();

        HealthRules.Failback forced = rules.failback(h, true, now);
        assertThat(forced.done()).isTrue();
        assertThat(forced.health().inRoutes()).isTrue();
        assertThat(forced.health().manual()).isNull();
    }

    @Test
    void automaticFailbackWaitsOutTheStablePeriodExceptAfterADrill() {
        RegistryHealth h = probe(fresh(), true, 10);
        Recovery verified =
                Recovery.pending(now, false).catchingUp(java.util.List.of()).phase(Recovery.VERIFIED, now, "ok");
        RegistryHealth waiting = h.withRoutes(false).withRecovery(verified);
        assertThat(rules.readyForFailback(waiting, now + 29_000)).isFalse();
        assertThat(rules.readyForFailback(waiting, now + 30_000)).isTrue();

        Recovery drill = Recovery.pending(now, true).phase(Recovery.VERIFIED, now, "ok");
        assertThat(rules.readyForFailback(h.withRoutes(false).withRecovery(drill), now))
                .isTrue();

        RegistryHealth failed = waiting.withRecovery(verified.phase(Recovery.FAILED, now, "drift"));
        assertThat(rules.readyForFailback(failed, now + 60_000)).isFalse();
        assertThat(rules.retryDue(failed, now + 29_000)).isFalse();
        assertThat(rules.retryDue(failed, now + 30_000)).isTrue();
    }

    @Test
    void aDrillEndsWithARecoveryThatFailsBackAtOnceWhenVerified() {
        RegistryHealth h = probe(fresh(), true, 10);
        h = rules.takeOut(h, new Manual(Manual.DRILL, "bob", "drill d1", now, "d1", now + 5000), now);
        assertThat(h.state()).isEqualTo(HealthState.OUT_OF_SERVICE);
        h = rules.endDrill(h, now + 5000);
        assertThat(h.manual()).isNull();
        assertThat(h.state()).isEqualTo(HealthState.HEALTHY);
        assertThat(h.inRoutes()).isFalse();
        assertThat(h.recovery().drill()).isTrue();
    }
}
