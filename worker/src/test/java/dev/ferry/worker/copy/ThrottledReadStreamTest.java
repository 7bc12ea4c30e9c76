package dev.ferry.worker.copy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The stream side: bytes pass intact and in order, pauses are kept apart, cancel fails at once. */
class ThrottledReadStreamTest {

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() {
        vertx.close().await();
    }

    private static byte[] data(int n) {
        byte[] b = new byte[n];
        new Random(7).nextBytes(b);
        return b;
    }

    /** Reads a throttled stream to its end on a Vert.x context; fails with the stream's error. */
    private Buffer readAll(byte[] data, Throttle throttle) throws Exception {
        Context ctx = vertx.getOrCreateContext();
        Promise<Buffer> done = Promise.promise();
        ctx.runOnContext(v -> {
            Buffer acc = Buffer.buffer();
            ThrottledReadStream s = new ThrottledReadStream(vertx, new ByteArrayReadStream(ctx, data, 4096), throttle);
            s.handler(acc::appendBuffer);
            s.exceptionHandler(done::tryFail);
            s.endHandler(x -> done.tryComplete(acc));
            s.resume();
        });
        return Await.result(done.future());
    }

    @Test
    void everyBytePassesInOrder() throws Exception {
        byte[] data = data(200_000);
        Throttle throttle = Throttle.of(2_000_000);
        Buffer got = readAll(data, throttle);
        assertThat(got.getBytes()).isEqualTo(data);
        assertThat(throttle.bytes()).isEqualTo(data.length);
    }

    @Test
    void aCancelledThrottleFailsTheStreamWhileItWaits() throws Exception {
        // 1 KB/s for 200 KB would take minutes: the cancel must end it long before.
        Throttle throttle = Throttle.of(1_000);
        vertx.setTimer(300, id -> throttle.cancel(new IllegalStateException("run r-1 cancelled")));
        assertThatThrownBy(() -> readAll(data(200_000), throttle))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("run r-1 cancelled");
    }

    @Test
    void theThrottleDoesNotResumeWhatTheConsumerPaused() throws Exception {
        Context ctx = vertx.getOrCreateContext();
        byte[] data = data(64 * 1024);
        AtomicBoolean pausedByUs = new AtomicBoolean();
        AtomicBoolean dataWhilePaused = new AtomicBoolean();
        CountDownLatch checked = new CountDownLatch(1);
        ctx.runOnContext(v -> {
            // 4 KB chunks at 8 KB/s: the throttle pauses after almost every chunk.
            ThrottledReadStream s =
                    new ThrottledReadStream(vertx, new ByteArrayReadStream(ctx, data, 4096), Throttle.of(8 * 1024));
            s.handler(chunk -> {
                if (pausedByUs.get()) {
                    dataWhilePaused.set(true);
                } else {
                    pausedByUs.set(true);
                    s.pause();
                    // Long past the throttle's own wait: nothing may arrive until we resume.
                    vertx.setTimer(1500, id -> {
                        checked.countDown();
                    });
                }
            });
            s.resume();
        });
        assertThat(checked.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(dataWhilePaused).isFalse();
    }

    @Test
    void aCancelBeforeTheConsumerAttachedIsNotLost() throws Exception {
        Context ctx = vertx.getOrCreateContext();
        Throttle throttle = Throttle.unlimited();
        Promise<Throwable> heard = Promise.promise();
        ctx.runOnContext(v -> {
            ThrottledReadStream s =
                    new ThrottledReadStream(vertx, new ByteArrayReadStream(ctx, data(1000), 100), throttle);
            throttle.cancel(new IllegalStateException("lease lost"));
            // The upload attaches only later (it waited for a connection): it must still hear of the cancel.
            vertx.setTimer(50, id -> s.exceptionHandler(heard::tryComplete));
        });
        assertThat(Await.result(heard.future())).hasMessage("lease lost");
    }

    @Test
    void aStreamPausedAtATinyShareResumesSoonAfterTheShareGrows() throws Exception {
        // At 100 B/s the first 4 KB chunk alone means a 40 s wait; the share then grows.
        Throttle throttle = Throttle.of(100);
        vertx.setTimer(300, id -> throttle.rate(100_000_000));
        long t0 = System.nanoTime();
        Buffer got = readAll(data(64 * 1024), throttle);
        assertThat(got.length()).isEqualTo(64 * 1024);
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0)).isLessThan(10);
    }
}
