package dev.ferry.worker.lease;

import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;

/**
 * The worker's N job slots. Each slot owns an event-loop context of its own, so copies
 * (which hash every byte they stream) spread over the event-loop threads instead of
 * sharing the loop's. The contexts come from a verticle deployed with N instances, the
 * public way to get N event-loop contexts.
 */
final class Slots {

    /** One place a job runs. */
    record Slot(int index, Context context) {}

    private final Vertx vertx;
    private final String deploymentId;
    private final int size;
    private final Deque<Slot> free = new ArrayDeque<>();

    private Slots(Vertx vertx, String deploymentId, List<Context> contexts) {
        this.vertx = vertx;
        this.deploymentId = deploymentId;
        this.size = contexts.size();
        for (int i = 0; i < contexts.size(); i++) {
            free.add(new Slot(i, contexts.get(i)));
        }
    }

    static Future<Slots> start(Vertx vertx, int size) {
        List<Context> contexts = Collections.synchronizedList(new ArrayList<>());
        return vertx.deployVerticle(
                        () -> new VerticleBase() {
                            @Override
                            public Future<?> start() {
                                contexts.add(context);
                                return Future.succeededFuture();
                            }
                        },
                        new DeploymentOptions().setInstances(size))
                .map(id -> new Slots(vertx, id, List.copyOf(contexts)));
    }

    int size() {
        return size;
    }

    synchronized int free() {
        return free.size();
    }

    synchronized int busy() {
        return size - free.size();
    }

    /** A free slot, or null when all are busy. */
    synchronized Slot acquire() {
        return free.poll();
    }

    synchronized void release(Slot slot) {
        free.push(slot);
    }

    Future<Void> close() {
        return vertx.undeploy(deploymentId).recover(e -> Future.succeededFuture());
    }
}
