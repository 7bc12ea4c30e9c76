package dev.ferry.coordinator.api;

import io.vertx.core.Context;
import io.vertx.core.Promise;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * What the in-memory services of the API tests share: a small, fixed world (policy "apps", run
 * "r-1", lease "l-1" with fencing token 7, registries "mirror-eu" and "hub-eu", route "ci-eu"),
 * its times, and answers a test completes later on the Vert.x context that asked, as a real
 * service would.
 */
final class Fakes {

    static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
    static final Instant T1 = Instant.parse("2025-03-01T10:05:30.250Z");

    private Fakes() {}

    record Pending<T>(Context context, Promise<T> promise) {
        void complete(T value) {
            context.runOnContext(v -> promise.complete(value));
        }
    }

    static void awaitLatch(CountDownLatch latch) throws InterruptedException {
        if (!latch.await(10, TimeUnit.SECONDS)) {
            throw new AssertionError("the API never called the service");
        }
    }
}
