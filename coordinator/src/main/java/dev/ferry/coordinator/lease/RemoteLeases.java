package dev.ferry.coordinator.lease;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.core.IExecutorService;
import dev.ferry.coordinator.job.Job;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * Leases from the other members. Each member indexes only the partitions it owns, so a
 * worker may call any member: when this one has nothing ready, it asks the others, each
 * leasing from its own index on its own partitions.
 */
public final class RemoteLeases {

    /** Where a member's {@link LeaseService} is found by tasks sent to it. */
    public static final String CONTEXT_KEY = "ferry.leaseService";

    static final String EXECUTOR = "ferry-leases";

    private final HazelcastInstance hazelcast;
    private final Vertx vertx;

    public RemoteLeases(HazelcastInstance hazelcast, Vertx vertx) {
        this.hazelcast = hazelcast;
        this.vertx = vertx;
    }

    /** Registers this member's lease service for the tasks of other members. */
    public void register(LeaseService local) {
        hazelcast.getUserContext().put(CONTEXT_KEY, local);
    }

    Future<List<Job>> fromOthers(String workerId, String region, int capacity) {
        List<Member> others = new ArrayList<>();
        for (Member m : hazelcast.getCluster().getMembers()) {
            if (!m.localMember()) {
                others.add(m);
            }
        }
        if (others.isEmpty()) {
            return Future.succeededFuture(List.of());
        }
        IExecutorService executor = hazelcast.getExecutorService(EXECUTOR);
        return vertx.executeBlocking(
                () -> {
                    List<Job> got = new ArrayList<>();
                    for (Member m : others) {
                        if (got.size() >= capacity) {
                            break;
                        }
                        try {
                            got.addAll(executor.submitToMember(new Task(workerId, region, capacity - got.size()), m)
                                    .get(10, TimeUnit.SECONDS));
                        } catch (Exception e) {
                            // That member is leaving or slow: the next request will find its jobs elsewhere.
                        }
                    }
                    return got;
                },
                false);
    }

    /** Runs on another member: leases from that member's own index, without waiting. */
    static final class Task implements Callable<List<Job>>, Serializable, HazelcastInstanceAware {
        private final String workerId;
        private final String region;
        private final int capacity;
        private transient HazelcastInstance instance;

        Task(String workerId, String region, int capacity) {
            this.workerId = workerId;
            this.region = region;
            this.capacity = capacity;
        }

        @Override
        public void setHazelcastInstance(HazelcastInstance hazelcastInstance) {
            this.instance = hazelcastInstance;
        }

        @Override
        public List<Job> call() throws Exception {
            Object service = instance.getUserContext().get(CONTEXT_KEY);
            if (!(service instanceof LeaseService leases)) {
                return List.of();
            }
            return new ArrayList<>(leases.leaseLocal(workerId, region, capacity)
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(10, TimeUnit.SECONDS));
        }
    }
}
