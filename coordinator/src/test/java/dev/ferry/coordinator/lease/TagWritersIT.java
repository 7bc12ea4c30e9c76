package dev.ferry.coordinator.lease;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.coordinator.job.TagWriters;
import dev.ferry.testing.FreePort;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The commit point's claim on a tag, on two real Hazelcast members: whichever member a job's
 * partition lives on, two jobs never hold one tag's claim at once.
 */
@ExtendWith(VertxExtension.class)
class TagWritersIT {

    private static final String TAG = TagWriters.key("mirror", "team/app", "v1");

    private final MutableClock clock = new MutableClock();
    private Member a;
    private Member b;
    private TagWriters onA;
    private TagWriters onB;

    @BeforeEach
    void setUp(Vertx vertx) {
        String cluster = "ferry-test-" + UUID.randomUUID();
        int p1 = FreePort.forListener();
        int p2 = FreePort.forListener();
        List<String> all = List.of("127.0.0.1:" + p1, "127.0.0.1:" + p2);
        a = new Member(vertx, clock, cluster, p1, all);
        b = new Member(vertx, clock, cluster, p2, all);
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> a.hazelcast.getCluster().getMembers().size() == 2);
        onA = new TagWriters(a.hazelcast, vertx);
        onB = new TagWriters(b.hazelcast, vertx);
    }

    @AfterEach
    void tearDown() {
        a.close();
        b.close();
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Test
    void aTagHasOneWriterAcrossMembersUntilItsClaimIsReleased() throws Exception {
        long now = clock.millis();
        assertThat(await(onA.claim(TAG, "sync-job", "lease-1", now + 15_000, now)))
                .isEmpty();

        assertThat(await(onB.claim(TAG, "repair-job", "lease-2", now + 15_000, now)))
                .as("a repair of the same tag, asked on the other member")
                .contains("sync-job");
        assertThat(await(onB.claim(
                        TagWriters.key("mirror", "team/app", "v2"), "other-job", "lease-3", now + 15_000, now)))
                .as("another tag of the repository is free")
                .isEmpty();

        await(onB.release(TAG, "lease-2")); // not its claim: nothing changes
        assertThat(await(onA.claim(TAG, "repair-job", "lease-2", now + 15_000, now)))
                .contains("sync-job");

        await(onB.release(TAG, "lease-1"));
        assertThat(await(onA.claim(TAG, "repair-job", "lease-2", now + 15_000, now)))
                .isEmpty();
    }

    @Test
    void aClaimEndsWithItsLeaseUnlessTheLeaseIsRenewed() throws Exception {
        long now = clock.millis();
        assertThat(await(onA.claim(TAG, "sync-job", "lease-1", now + 15_000, now)))
                .isEmpty();
        await(onB.extend(TAG, "lease-1", now + 30_000, now + 10_000));

        assertThat(await(onB.claim(TAG, "repair-job", "lease-2", now + 60_000, now + 20_000)))
                .as("renewed past its first expiry")
                .isEqualTo(Optional.of("sync-job"));
        assertThat(await(onB.claim(TAG, "sync-job", "lease-9", now + 60_000, now + 20_000)))
                .as("the same job under a newer lease takes its claim over")
                .isEmpty();
        assertThat(await(onB.claim(TAG, "repair-job", "lease-2", now + 90_000, now + 60_001)))
                .as("a worker that died: its claim ends with its lease")
                .isEmpty();
    }
}
