package dev.ferry.coordinator.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.ferry.common.lease.LeaseProtocol;
import dev.ferry.common.lease.Outcome;
import dev.ferry.coordinator.cluster.ClusterSettings;
import dev.ferry.coordinator.cluster.HazelcastConfigs;
import dev.ferry.coordinator.job.Backoff;
import dev.ferry.coordinator.job.Job;
import dev.ferry.coordinator.job.JobKey;
import dev.ferry.coordinator.job.JobStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Replication lag on a real member: the oldest pending change per policy and target, then zero. */
@ExtendWith(VertxExtension.class)
class ReplicationLagIT {

    private HazelcastInstance hazelcast;

    @AfterEach
    void stop() {
        hazelcast.getLifecycleService().terminate();
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static Job job(String policy, String registry, String repo, long createdAt) {
        LeaseProtocol.JobSpec spec = new LeaseProtocol.JobSpec(policy, "run-1", "normal", null, null, List.of(), false);
        return Job.planned(
                JobKey.of(policy + registry + repo, "normal", registry, repo),
                policy,
                "run-1",
                "normal",
                "v1",
                "sha256:" + "a".repeat(64),
                spec,
                createdAt);
    }

    @Test
    void lagIsTheAgeOfTheOldestPendingChangeAndZeroOnceCaughtUp(Vertx vertx) throws Exception {
        hazelcast = Hazelcast.newHazelcastInstance(HazelcastConfigs.member(
                new ClusterSettings("ferry-test-" + UUID.randomUUID(), "127.0.0.1", 0, List.of(), 1)));
        Clock clock = Clock.systemUTC();
        JobStore store = new JobStore(hazelcast, vertx, clock, Backoff.defaults(), Duration.ofMinutes(5));
        long now = clock.millis();
        Job old = job("apps", "mirror", "a", now - 90_000);
        await(store.upsert(old));
        await(store.upsert(job("apps", "mirror", "b", now - 10_000)));
        await(store.upsert(job("apps", "edge", "a", now - 30_000)));
        await(store.upsert(job("(rollback)", "mirror", "c", now - 500_000)));
        FerryMetrics metrics = FerryMetrics.prometheus();
        ReplicationLag lag = new ReplicationLag(store.map(), vertx, clock, metrics);

        Map<String, Double> first = await(lag.refresh());

        assertThat(first).containsOnlyKeys("apps|mirror", "apps|edge");
        assertThat(first.get("apps|mirror")).isBetween(90.0, 120.0);
        assertThat(first.get("apps|edge")).isBetween(30.0, 60.0);
        assertThat(metrics.scrape())
                .containsPattern(
                        "ferry_replication_lag_seconds\\{policy=\"apps\",registry=\"mirror\"} (9\\d|1[01]\\d)\\.");

        // The oldest change reaches its target: the lag falls to the next one; then to zero.
        Job leased = await(store.lease(old.key(), "lease-1", "w", 15_000)).orElseThrow();
        await(store.complete(old.key(), "lease-1", leased.fencingToken(), Outcome.SUCCEEDED, null, false));
        assertThat(await(lag.refresh()).get("apps|mirror")).isBetween(10.0, 40.0);
        for (String repo : List.of("b")) {
            Job other = job("apps", "mirror", repo, 0);
            Job l = await(store.lease(other.key(), "lease-" + repo, "w", 15_000))
                    .orElseThrow();
            await(store.complete(other.key(), "lease-" + repo, l.fencingToken(), Outcome.SUCCEEDED, null, false));
        }
        assertThat(await(lag.refresh()).get("apps|mirror")).isZero();
        assertThat(metrics.scrape()).contains("ferry_replication_lag_seconds{policy=\"apps\",registry=\"mirror\"} 0.0");
    }
}
