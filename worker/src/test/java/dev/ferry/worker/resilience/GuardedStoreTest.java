package dev.ferry.worker.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.common.digest.Digest;
import dev.ferry.common.image.ImageStore;
import dev.ferry.common.image.SourceReadException;
import dev.ferry.common.lease.LeaseProtocol.BreakerLimits;
import dev.ferry.common.lease.LeaseProtocol.Limits;
import dev.ferry.common.lease.LeaseProtocol.RetryLimits;
import dev.ferry.common.manifest.Descriptor;
import dev.ferry.common.transport.RegistryException;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import io.vertx.junit5.VertxExtension;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The resilience decorator against a scripted store: what is retried, when, and when it gives up. */
@ExtendWith(VertxExtension.class)
class GuardedStoreTest {

    private static final RegistryException DOWN =
            RegistryException.network("GET tags", new ConnectException("refused"));
    private static final RegistryException NOT_FOUND = RegistryException.fromResponse("GET tags", 404, "", null);
    private static final Descriptor BLOB =
            Descriptor.of("application/octet-stream", Digest.parse("sha256:" + "a".repeat(64)), 1);

    private Vertx vertx;
    private RegistryGuards guards;
    private final ScriptedStore store = new ScriptedStore();

    @BeforeEach
    void setUp(Vertx vertx) {
        this.vertx = vertx;
        this.guards = new RegistryGuards(
                vertx,
                java.time.Clock.systemUTC(),
                RandomGenerator.of("L64X128MixRandom"),
                new CompositeMeterRegistry());
    }

    private static Limits limits(int maxAttempts, long backoffMillis, int minimumCalls, long openForMillis) {
        return new Limits(
                null,
                null,
                new RetryLimits(maxAttempts, backoffMillis, backoffMillis * 4),
                new BreakerLimits(50, minimumCalls, openForMillis),
                null);
    }

    private ImageStore guarded(Limits limits) {
        return guards.decorate("hub", limits, store);
    }

    private static <T> T await(Future<T> f) throws Exception {
        try {
            return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw (Exception) e.getCause();
        }
    }

    private static RegistryException tooMany(int status, long retryAfterMillis) {
        return RegistryException.fromResponse("GET tags", status, "", Duration.ofMillis(retryAfterMillis));
    }

    @Test
    void temporaryErrorsAreRetriedUntilTheRequestSucceeds() throws Exception {
        store.failWith(DOWN, 2);

        assertThat(await(guarded(limits(5, 10, 10, 1_000)).listTags("app"))).containsExactly("v1");
        assertThat(store.calls()).isEqualTo(3);
    }

    @Test
    void permanentErrorsAreNotRetried() {
        store.failWith(NOT_FOUND, 3);

        assertThatThrownBy(() -> await(guarded(limits(5, 10, 10, 1_000)).listTags("app")))
                .isSameAs(NOT_FOUND);
        assertThat(store.calls()).isEqualTo(1);
    }

    @Test
    void theRetriesRunOutAndTheLastErrorIsReported() {
        store.failWith(DOWN, 10);

        assertThatThrownBy(() -> await(guarded(limits(3, 10, 20, 1_000)).listTags("app")))
                .isSameAs(DOWN);
        assertThat(store.calls()).isEqualTo(3);
    }

    @Test
    void aRetryNeverComesSoonerThanTheRetryAfterOfA429OrA503() throws Exception {
        store.failWith(tooMany(429, 400), 1).failWith(tooMany(503, 300), 1);

        assertThat(await(guarded(limits(5, 10, 10, 1_000)).listTags("app"))).containsExactly("v1");

        assertThat(store.calls()).isEqualTo(3);
        assertThat(gapMillis(0, 1)).isGreaterThanOrEqualTo(400);
        assertThat(gapMillis(1, 2)).isGreaterThanOrEqualTo(300);
    }

    @Test
    void aRetryAfterPausesEveryRequestToTheRegistryNotOnlyTheRetriedOne() throws Exception {
        ImageStore s = guarded(limits(5, 10, 10, 1_000));
        store.failWith(tooMany(429, 500), 1);
        Future<List<String>> first = s.listTags("a");
        Thread.sleep(50); // the test thread, not an event loop
        Future<List<String>> second = s.listTags("b");

        await(first);
        await(second);

        assertThat(store.calls()).isEqualTo(3);
        assertThat(gapMillis(0, 1)).isGreaterThanOrEqualTo(500);
        assertThat(gapMillis(0, 2)).isGreaterThanOrEqualTo(500);
    }

    @Test
    void aRegistryThatKeepsFailingOpensTheBreakerAndIsNotCalledWhileItIsOpen() throws Exception {
        ImageStore s = guarded(limits(5, 10, 4, 60_000));
        store.failWith(DOWN, 100);

        assertThatThrownBy(() -> await(s.listTags("app")))
                .isInstanceOfSatisfying(RegistryUnavailableException.class, e -> {
                    assertThat(e.registry()).isEqualTo("hub");
                    assertThat(e.retryIn())
                            .isGreaterThan(Duration.ofSeconds(50))
                            .isLessThanOrEqualTo(Duration.ofSeconds(60));
                    assertThat(e.getCause()).isSameAs(DOWN);
                });
        assertThat(store.calls()).isEqualTo(4);
        assertThat(guards.state("hub")).contains(BreakerState.OPEN);

        assertThatThrownBy(() -> await(s.listTags("app"))).isInstanceOf(RegistryUnavailableException.class);
        assertThatThrownBy(() -> await(s.putBlob("app", BLOB, null))).isInstanceOf(RegistryUnavailableException.class);
        assertThat(store.calls()).as("no call while the breaker is open").isEqualTo(4);
    }

    @Test
    void afterOpenForATrialCallThatSucceedsClosesTheBreaker() throws Exception {
        ImageStore s = guarded(limits(2, 10, 2, 1_000));
        store.failWith(DOWN, 2);
        assertThatThrownBy(() -> await(s.listTags("app"))).isInstanceOf(RegistryUnavailableException.class);
        assertThat(guards.state("hub")).contains(BreakerState.OPEN);

        Thread.sleep(1_100);
        assertThat(await(s.listTags("app"))).containsExactly("v1");
        assertThat(await(s.listTags("app"))).containsExactly("v1");

        assertThat(guards.state("hub")).contains(BreakerState.CLOSED);
    }

    @Test
    void throttlingDoesNotOpenTheBreaker() throws Exception {
        store.failWith(tooMany(429, 10), 4);

        assertThat(await(guarded(limits(5, 10, 2, 60_000)).listTags("app"))).containsExactly("v1");
        assertThat(guards.state("hub")).contains(BreakerState.CLOSED);
    }

    @Test
    void aStreamedUploadIsNotRetried() {
        store.failWith(DOWN, 1);

        assertThatThrownBy(() -> await(guarded(limits(5, 10, 10, 1_000)).putBlob("app", BLOB, null)))
                .isSameAs(DOWN);
        assertThat(store.calls()).isEqualTo(1);
    }

    @Test
    void anUploadFailedByItsSourceNeverCountsAgainstTheTarget() {
        ImageStore target = guarded(limits(1, 10, 2, 60_000));
        SourceReadException stalled = new SourceReadException(
                "src.example:5000",
                RegistryException.timeout(
                        "GET blob app@" + BLOB.digest() + " at http://src.example:5000",
                        "no bytes moved for 2s (idle timeout)",
                        null));
        store.failWith(stalled, 4);

        for (int i = 0; i < 4; i++) {
            assertThatThrownBy(() -> await(target.putBlob("app", BLOB, null))).isSameAs(stalled);
        }

        assertThat(guards.state("hub")).contains(BreakerState.CLOSED);
        // The same count of the target's own failures does open it.
        store.failWith(DOWN, 2);
        assertThatThrownBy(() -> await(target.putBlob("app", BLOB, null))).isSameAs(DOWN);
        assertThatThrownBy(() -> await(target.putBlob("app", BLOB, null)))
                .isInstanceOf(RegistryUnavailableException.class);
        assertThat(guards.state("hub")).contains(BreakerState.OPEN);
    }

    @Test
    void aBlobBodyThatBreaksAfterItsRequestSucceededCountsAgainstItsRegistry() throws Exception {
        ImageStore source = guarded(limits(1, 10, 2, 60_000));
        RegistryException stall = RegistryException.timeout(
                "GET blob app@" + BLOB.digest() + " at http://hub", "no bytes moved for 2s (idle timeout)", null);
        List<Throwable> seen = new ArrayList<>();
        store.blobBody = new FailingBody(stall);
        ReadStream<Buffer> body = await(source.openBlob("app", BLOB));
        assertThat(guards.state("hub")).contains(BreakerState.CLOSED);

        body.exceptionHandler(seen::add);
        body.resume();

        assertThat(seen).containsExactly(stall);
        // One call that succeeded and one body that broke: half of the judged two failed.
        assertThat(guards.state("hub")).contains(BreakerState.OPEN);
    }

    /** A blob body that fails as soon as it is read. */
    private static final class FailingBody implements ReadStream<Buffer> {
        private final Throwable failure;
        private Handler<Throwable> onError;

        FailingBody(Throwable failure) {
            this.failure = failure;
        }

        @Override
        public ReadStream<Buffer> exceptionHandler(Handler<Throwable> h) {
            onError = h;
            return this;
        }

        @Override
        public ReadStream<Buffer> handler(Handler<Buffer> h) {
            return this;
        }

        @Override
        public ReadStream<Buffer> pause() {
            return this;
        }

        @Override
        public ReadStream<Buffer> resume() {
            onError.handle(failure);
            return this;
        }

        @Override
        public ReadStream<Buffer> fetch(long amount) {
            return resume();
        }

        @Override
        public ReadStream<Buffer> endHandler(Handler<Void> h) {
            return this;
        }
    }

    @Test
    void maxConcurrencyCapsTheRequestsInFlight() throws Exception {
        store.hold = true;
        ImageStore s = guards.decorate("hub", new Limits(null, 2, null, null, null), store);
        List<Future<List<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            calls.add(s.listTags("r" + i));
        }
        for (int done = 0; done < 5; done++) {
            int expected = done + Math.min(2, 5 - done);
            waitUntil(() -> store.open.size() == expected);
            assertThat(store.open).hasSize(expected);
            store.open.get(done).complete();
        }
        for (Future<List<String>> f : calls) {
            await(f);
        }
        assertThat(store.maxInFlight()).isEqualTo(2);
    }

    @Test
    void requestsPerSecondSpacesTheRequests() throws Exception {
        ImageStore s = guards.decorate("hub", new Limits(5, null, null, null, null), store);
        List<Future<List<String>>> calls = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < 15; i++) {
            calls.add(s.listTags("r" + i));
        }
        for (Future<List<String>> f : calls) {
            await(f);
        }

        assertThat(store.calls()).isEqualTo(15);
        // Five per one-second period: the last five cannot start before two period boundaries.
        assertThat(TimeUnit.NANOSECONDS.toMillis(store.callNanos.get(14) - start))
                .isGreaterThanOrEqualTo(1_000);
        assertThat(TimeUnit.NANOSECONDS.toMillis(store.callNanos.get(4) - start))
                .isLessThan(500);
    }

    @Test
    void aLeaseWithNewLimitsUpdatesTheGuardAndKeepsTheBreakersRecord() throws Exception {
        Limits first = limits(1, 10, 2, 60_000);
        store.failWith(DOWN, 1);
        assertThatThrownBy(() -> await(guarded(first).listTags("a"))).isSameAs(DOWN);

        RegistryGuard guard = guards.guard("hub", new Limits(7, null, first.retry(), first.circuitBreaker(), null));
        assertThat(guard.settings().requestsPerSecond()).isEqualTo(7);
        store.failWith(DOWN, 1);
        assertThatThrownBy(() -> await(guarded(first).listTags("b"))).isInstanceOf(RegistryUnavailableException.class);
        assertThat(guards.states()).containsEntry("hub", BreakerState.OPEN);
    }

    @Test
    void backoffGrowsWithJitterAndStaysUnderItsCap() {
        RegistryGuard guard = guards.guard("hub", new Limits(null, null, new RetryLimits(10, 100, 1_000), null, null));
        for (int i = 0; i < 50; i++) {
            assertThat(guard.backoffMillis(1, DOWN)).isBetween(50L, 100L);
            assertThat(guard.backoffMillis(3, DOWN)).isBetween(200L, 400L);
            assertThat(guard.backoffMillis(8, DOWN)).isBetween(500L, 1_000L);
            assertThat(guard.backoffMillis(1, tooMany(429, 5_000))).isEqualTo(5_000L);
            assertThat(guard.backoffMillis(1, RegistryException.fromResponse("x", 500, "", Duration.ofSeconds(5))))
                    .as("a Retry-After on other statuses is not a promise")
                    .isLessThanOrEqualTo(100L);
        }
    }

    private long gapMillis(int from, int to) {
        return TimeUnit.NANOSECONDS.toMillis(store.callNanos.get(to) - store.callNanos.get(from));
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }
}
