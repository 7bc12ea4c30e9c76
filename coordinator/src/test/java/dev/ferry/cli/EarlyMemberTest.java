package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.HazelcastInstance;
import dev.ferry.coordinator.cluster.HazelcastConfigs;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The standalone's member, started in the background: handed over once, or stopped if never taken. */
class EarlyMemberTest {

    @Test
    void aTakenMemberRunsUntilItsTakerStopsIt() throws Exception {
        EarlyMember early = EarlyMember.start(HazelcastConfigs.standalone("early-taken"));

        HazelcastInstance member = early.take();
        early.discardUnlessTaken();

        try {
            assertThat(member.getLifecycleService().isRunning()).isTrue();
            assertThat(member.getCluster().getMembers()).hasSize(1);
        } finally {
            member.getLifecycleService().terminate();
        }
    }

    @Test
    void aMemberNeverTakenIsStoppedOnceItHasStarted() throws Exception {
        EarlyMember early = EarlyMember.start(HazelcastConfigs.standalone("early-discarded"));

        early.discardUnlessTaken();

        // take() here only to look at the member the discard stops.
        HazelcastInstance member = early.take();
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> !member.getLifecycleService().isRunning());
    }
}
