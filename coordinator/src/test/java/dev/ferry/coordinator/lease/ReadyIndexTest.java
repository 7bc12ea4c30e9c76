package dev.ferry.coordinator.lease;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.coordinator.job.Job;
import dev.ferry.coordinator.job.JobKey;
import dev.ferry.coordinator.job.JobState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReadyIndexTest {

    private static final Map<String, String> REGIONS = Map.of("mirror-eu", "eu-west", "mirror-us", "us-east");

    private static Job queued(String id, String registry, String repository, long notBefore) {
        JobKey key = JobKey.of(id, "normal", registry, repository);
        Job planned = Job.planned(key, "p", "run", "normal", id, "sha256:" + "a".repeat(64), null, 0);
        return new Job(
                planned.id(),
                key,
                "p",
                "run",
                "normal",
                id,
                planned.sourceDigest(),
                null,
                JobState.QUEUED,
                0,
                notBefore,
                null,
                0,
                null,
                null,
                0,
                0,
                null,
                null,
                0,
                0,
                null,
                null);
    }

    private static Job leased(Job j, long expiresAt) {
        return new Job(
                j.id(),
                j.key(),
                j.policy(),
                j.runId(),
                j.tier(),
                j.tag(),
                j.sourceDigest(),
                null,
                JobState.LEASED,
                0,
                0,
                null,
                1,
                "lease",
                "w",
                expiresAt,
                0,
                null,
                null,
                0,
                0,
                null,
                null);
    }

    @Test
    void aWorkerGetsItsOwnRegionFirstThenAnyRegion() {
        ReadyIndex index = new ReadyIndex(REGIONS::get);
        index.onJob(queued("us1", "mirror-us", "app", 0));
        index.onJob(queued("eu1", "mirror-eu", "app", 0));
        index.onJob(queued("eu2", "mirror-eu", "web", 0));
        index.onJob(queued("none", "elsewhere", "app", 0));

        List<String> taken = new ArrayList<>();
        JobKey k;
        while ((k = index.take("normal", 10, "eu-west")) != null) {
            taken.add(k.id());
        }
        assertThat(taken).hasSize(4);
        assertThat(taken.subList(0, 2)).containsExactlyInAnyOrder("eu1", "eu2");
        assertThat(taken.subList(2, 4)).containsExactlyInAnyOrder("us1", "none");
    }

    @Test
    void aWorkerWithoutARegionOrFromAnUnknownOneIsServedEverything() {
        ReadyIndex index = new ReadyIndex(REGIONS::get);
        index.onJob(queued("us1", "mirror-us", "app", 0));
        index.onJob(queued("eu1", "mirror-eu", "app", 0));
        assertThat(index.take("normal", 10, null)).isNotNull();
        assertThat(index.take("normal", 10, "ap-south")).isNotNull();
        assertThat(index.take("normal", 10, "ap-south")).isNull();
        assertThat(index.readyCount()).isZero();
    }

    private static Job queued(String id, String tier, String registry, String repository, String tag) {
        JobKey key = JobKey.of(id, tier, registry, repository);
        return Job.planned(key, "p", "run", tier, tag, "sha256:" + "a".repeat(64), null, 0);
    }

    private static List<String> drain(ReadyIndex index, String tier) {
        List<String> taken = new ArrayList<>();
        JobKey k;
        while ((k = index.take(tier, 10)) != null) {
            taken.add(k.id());
        }
        return taken;
    }

    @Test
    void differentTagsOfOneRepositoryAreInFlightTogetherUpToTheCap() {
        ReadyIndex index = new ReadyIndex(r -> null, r -> 3);
        for (int i = 1; i <= 5; i++) {
            index.onJob(queued("a" + i, "r", "a", 0));
        }

        assertThat(drain(index, "normal")).containsExactly("a1", "a2", "a3");
        assertThat(index.hasReady("normal", 10))
                .as("the repository is at its cap")
                .isFalse();
        index.release(JobKey.of("a2", "normal", "r", "a"));
        assertThat(index.take("normal", 10).id()).isEqualTo("a4");
    }

    @Test
    void eachRegistryHasItsOwnCapAndACapBelowOneMeansOne() {
        ReadyIndex index = new ReadyIndex(r -> null, r -> r.equals("wide") ? 2 : 0);
        for (String registry : List.of("wide", "narrow")) {
            for (int i = 1; i <= 3; i++) {
                index.onJob(queued(registry + i, registry, "app", 0));
            }
        }
        assertThat(drain(index, "normal")).containsExactlyInAnyOrder("wide1", "wide2", "narrow1");
    }

    @Test
    void repositoriesTakeTurnsWhileTheirTagsRunInParallel() {
        ReadyIndex index = new ReadyIndex();
        for (int i = 1; i <= 3; i++) {
            index.onJob(queued("a" + i, "r", "a", 0));
        }
        index.onJob(queued("b1", "r", "b", 0));

        List<String> taken = drain(index, "normal");
        assertThat(taken).containsExactlyInAnyOrder("a1", "a2", "a3", "b1");
        assertThat(taken.subList(0, 2))
                .as("round robin: b is served second, not after all of a")
                .containsExactly("a1", "b1");
    }

    @Test
    void twoJobsOfOneTargetTagAreNeverInFlightTogetherWhateverTheirTiers() {
        ReadyIndex index = new ReadyIndex();
        Job replication = queued("sync", "normal", "r", "app", "v1");
        Job repair = queued("repair", "critical", "r", "app", "v1");
        Job otherTag = queued("sync-v2", "normal", "r", "app", "v2");
        index.onJob(replication);
        index.onJob(repair);
        index.onJob(otherTag);

        JobKey first = index.take("critical", 10);
        assertThat(first.id()).isEqualTo("repair");
        assertThat(index.hasReady("normal", 10)).isTrue();
        assertThat(index.take("normal", 10).id())
                .as("v1 waits for the repair; v2 goes")
                .isEqualTo("sync-v2");
        assertThat(index.take("normal", 10)).isNull();

        // Leased, then finished: the tag is free again.
        index.onJob(leased(repair, 5_000));
        assertThat(index.take("normal", 10)).isNull();
        index.onRemoved(first);
        assertThat(index.take("normal", 10).id()).isEqualTo("sync");
    }

    @Test
    void aLeasedJobFoundByARebuildKeepsItsTagFromOthers() {
        ReadyIndex index = new ReadyIndex();
        index.onJob(leased(queued("rollback", "critical", "r", "app", "v1"), 5_000));
        index.onJob(queued("sync", "normal", "r", "app", "v1"));
        assertThat(index.take("normal", 10)).isNull();
        assertThat(index.inFlightCount()).isEqualTo(1);
    }

    @Test
    void backoffHoldsAJobUntilItsTime() {
        ReadyIndex index = new ReadyIndex();
        index.onJob(queued("later", "r", "a", 1_000));
        assertThat(index.hasReady("normal", 999)).isFalse();
        assertThat(index.take("normal", 999)).isNull();
        assertThat(index.hasReady("normal", 1_000)).isTrue();
        assertThat(index.take("normal", 1_000).id()).isEqualTo("later");
    }

    @Test
    void leasedJobsAreWatchedForExpiryAndFinishedOnesLeave() {
        ReadyIndex index = new ReadyIndex(REGIONS::get);
        Job j = queued("eu1", "mirror-eu", "app", 0);
        index.onJob(j);
        JobKey key = index.take("normal", 0, "eu-west");
        index.onJob(leased(j, 5_000));
        assertThat(index.expired(5_000)).isEmpty();
        assertThat(index.expired(5_001)).containsExactly(key);

        index.onJob(j); // re-queued after expiry
        assertThat(index.readyCount()).isEqualTo(1);
        index.onRemoved(key);
        assertThat(index.readyCount()).isZero();
        assertThat(index.take("normal", 0, "eu-west")).isNull();
    }
}
