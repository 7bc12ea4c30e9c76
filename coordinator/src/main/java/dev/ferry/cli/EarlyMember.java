package dev.ferry.cli;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The Hazelcast member of {@code ferry standalone}, started on a thread of its own as soon as the
 * schedule has loaded, so that its start (a second or more of class loading and service set-up
 * in a fresh JVM) overlaps starting Vert.x instead of following it.
 */
final class EarlyMember {

    private final CompletableFuture<HazelcastInstance> member = new CompletableFuture<>();
    private volatile boolean taken;

    private EarlyMember() {}

    /** Starts a member of {@code config} in the background. */
    static EarlyMember start(Config config) {
        EarlyMember early = new EarlyMember();
        Thread starter = new Thread(
                () -> {
                    try {
                        early.member.complete(Hazelcast.newHazelcastInstance(config));
                    } catch (RuntimeException | Error e) {
                        early.member.completeExceptionally(e);
                    }
                },
                "ferry-member-start");
        starter.setDaemon(true);
        starter.start();
        return early;
    }

    /** Waits for the member and hands it over: the caller stops it. Rethrows what its start threw. */
    HazelcastInstance take() throws InterruptedException {
        try {
            HazelcastInstance instance = member.get();
            taken = true;
            return instance;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("the Hazelcast member did not start", e.getCause());
        }
    }

    /**
     * The command ended before taking the member (a schedule error, say): stops it, now or as
     * soon as it has started.
     */
    void discardUnlessTaken() {
        if (!taken) {
            member.thenAccept(h -> h.getLifecycleService().terminate());
        }
    }
}
