package dev.ferry.coordinator.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class CallLimiterTest {

    @Test
    void queuedCallsStartInOrderAsSlotsFree(Vertx vertx) throws Exception {
        CallLimiter limiter = new CallLimiter(vertx, 2);
        List<Promise<Integer>> pending = Collections.synchronizedList(new ArrayList<>());
        List<Integer> started = Collections.synchronizedList(new ArrayList<>());
        List<Future<Integer>> results = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int n = i;
            results.add(limiter.run(() -> {
                started.add(n);
                Promise<Integer> p = Promise.promise();
                pending.add(p);
                return p.future();
            }));
        }

        assertThat(started).containsExactly(0, 1);
        pending.get(0).complete(0);
        awaitSize(started, 3);
        pending.get(1).fail("boom");
        awaitSize(started, 4);
        for (int i = 2; i < 4; i++) {
            pending.get(i).complete(i);
        }
        awaitSize(started, 5);
        pending.get(4).complete(4);

        assertThat(started).containsExactly(0, 1, 2, 3, 4);
        assertThat(Await.result(results.get(4))).isEqualTo(4);
        assertThat(results.get(1).failed()).isTrue();
        assertThat(limiter.running()).isZero();
    }

    @Test
    void aCallThatThrowsFailsItsFutureAndFreesItsSlot(Vertx vertx) throws Exception {
        CallLimiter limiter = new CallLimiter(vertx, 1);

        Future<String> thrown = limiter.run(() -> {
            throw new IllegalStateException("bad call");
        });
        String next = Await.result(limiter.run(() -> Future.succeededFuture("next")));

        assertThat(thrown.cause()).hasMessage("bad call");
        assertThat(next).isEqualTo("next");
        assertThat(limiter.running()).isZero();
    }

    @Test
    void aLongQueueDrainingAtOnceDoesNotDeepenTheStack(Vertx vertx) throws Exception {
        CallLimiter limiter = new CallLimiter(vertx, 1);
        Promise<Void> gate = Promise.promise();
        AtomicInteger done = new AtomicInteger();
        limiter.run(gate::future);
        List<Future<Void>> queued = new ArrayList<>();
        for (int i = 0; i < 50_000; i++) {
            queued.add(limiter.run(() -> {
                done.incrementAndGet();
                return Future.succeededFuture();
            }));
        }

        gate.complete();
        Await.result(Future.all(queued));

        assertThat(done).hasValue(50_000);
    }

    private static void awaitSize(List<?> list, int size) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (list.size() < size && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(list).hasSize(size);
    }
}
