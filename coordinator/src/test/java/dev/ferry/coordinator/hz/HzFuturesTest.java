package dev.ferry.coordinator.hz;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HzFuturesTest {

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() {
        vertx.close().await();
    }

    @Test
    void aValueCompletedOnAnotherThreadArrivesOnTheContext() throws Exception {
        Context context = vertx.getOrCreateContext();
        CompletableFuture<String> stage = new CompletableFuture<>();
        AtomicReference<Object> seen = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        context.runOnContext(v -> HzFutures.on(context, stage).onComplete(ar -> {
            seen.set(Vertx.currentContext() == context ? ar.result() : "wrong context");
            done.countDown();
        }));
        Thread other = new Thread(() -> stage.complete("value"));
        other.start();
        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(seen.get()).isEqualTo("value");
    }

    @Test
    void aFailureArrivesUnwrapped() throws Exception {
        Context context = vertx.getOrCreateContext();
        IllegalStateException cause = new IllegalStateException("lost");
        CompletableFuture<String> stage = CompletableFuture.failedFuture(new CompletionException(cause));
        AtomicReference<Throwable> seen = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        HzFutures.on(context, stage).onComplete(ar -> {
            seen.set(ar.cause());
            done.countDown();
        });
        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(seen.get()).isSameAs(cause);
    }
}
