package dev.ferry.worker.resilience;

import dev.ferry.common.image.SourceReadException;
import dev.ferry.common.transport.ErrorCode;
import dev.ferry.common.transport.RegistryException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This worker's Resilience4j objects for one registry, shared by every job that touches it:
 * a {@link Retry} for temporary errors, a {@link CircuitBreaker}, and, when the schedule caps
 * them, a {@link RateLimiter} and a bulkhead. Resilience4j decides (may I call, may I retry,
 * how long to wait); the waits themselves are Vert.x timers, so no thread ever sleeps.
 *
 * <p>Each registry answers for its own faults only: an upload that fails because its source
 * stalled or broke ({@link SourceReadException}) neither counts against the target's breaker
 * nor reports the target unavailable; the source's breaker counts it instead
 * ({@link #failedMidStream}).
 *
 * <p>A {@code Retry-After} on a 429 or 503 pauses every call to the registry from this
 * worker until it has passed, not just the retried one: the registry asked the client, not
 * the request, to wait.
 *
 * <p>Over 300 lines because retries, the circuit breaker, Retry-After and the held/failed decision for one registry read and change the same state.
 */
public final class RegistryGuard {

    private static final Logger LOG = LoggerFactory.getLogger(RegistryGuard.class);
    /** A longer wait than this is not spent inside a lease: the job fails temporarily instead. */
    static final long MAX_WAIT_MILLIS = 600_000;
    /** While the breaker's trial calls are out, other calls wait this long and ask again. */
    static final long HALF_OPEN_POLL_MILLIS = 100;

    private final String registry;
    private final Vertx vertx;
    private final Clock clock;
    private final RandomGenerator random;
    private ResilienceSettings settings;
    private volatile CircuitBreaker breaker;
    private volatile Retry retry;
    private volatile RateLimiter limiter;
    private volatile AsyncBulkhead bulkhead;
    private volatile long openedAt;
    private volatile long pausedUntil;

    RegistryGuard(String registry, Vertx vertx, Clock clock, RandomGenerator random, ResilienceSettings settings) {
        this.registry = registry;
        this.vertx = vertx;
        this.clock = clock;
        this.random = random;
        update(settings);
    }

    /** Applies a lease's settings; parts that did not change keep their state. */
    synchronized void update(ResilienceSettings next) {
        ResilienceSettings prev = settings;
        if (next.equals(prev)) {
            return;
        }
        settings = next;
        if (prev == null
                || prev.failureRateThreshold() != next.failureRateThreshold()
                || prev.minimumCalls() != next.minimumCalls()
                || !prev.openFor().equals(next.openFor())) {
            if (prev != null) {
                LOG.info("registry {}: new circuit breaker settings; its record starts afresh", registry);
            }
            breaker = newBreaker(next);
        }
        retry = Retry.of(
                registry,
                RetryConfig.custom()
                        .maxAttempts(next.maxAttempts())
                        .retryOnException(RegistryGuard::retryable)
                        .intervalBiFunction((attempt, outcome) ->
                                backoffMillis(attempt, outcome.isLeft() ? outcome.getLeft() : null))
                        .build());
        limiter = next.requestsPerSecond() == 0 ? null : limiter(next.requestsPerSecond());
        if (next.maxConcurrency() == 0) {
            bulkhead = null;
        } else if (bulkhead == null) {
            bulkhead = new AsyncBulkhead(registry, next.maxConcurrency());
        } else {
            bulkhead.resize(next.maxConcurrency());
        }
    }

    private RateLimiter limiter(int perSecond) {
        RateLimiter current = limiter;
        if (current != null) {
            current.changeLimitForPeriod(perSecond);
            return current;
        }
        return RateLimiter.of(
                registry,
                RateLimiterConfig.custom()
                        .limitForPeriod(perSecond)
                        .limitRefreshPeriod(Duration.ofSeconds(1))
                        .timeoutDuration(Duration.ofMillis(MAX_WAIT_MILLIS))
                        .build());
    }

    private CircuitBreaker newBreaker(ResilienceSettings s) {
        CircuitBreaker cb = CircuitBreaker.of(
                registry,
                CircuitBreakerConfig.custom()
                        .slidingWindowType(SlidingWindowType.COUNT_BASED)
                        .slidingWindowSize(s.minimumCalls())
                        .minimumNumberOfCalls(s.minimumCalls())
                        .failureRateThreshold(s.failureRateThreshold())
                        .waitDurationInOpenState(s.openFor())
                        .permittedNumberOfCallsInHalfOpenState(Math.min(3, s.minimumCalls()))
                        .recordException(RegistryGuard::countsAsFailure)
                        .ignoreException(e -> throttled(e) || e instanceof SourceReadException)
                        .clock(clock)
                        .build());
        cb.getEventPublisher().onStateTransition(event -> {
            if (event.getStateTransition().getToState() == CircuitBreaker.State.OPEN) {
                openedAt = clock.millis();
            }
            LOG.warn("registry {}: circuit breaker {}", registry, event.getStateTransition());
        });
        return cb;
    }

    public String registry() {
        return registry;
    }

    /** The settings in force, timeouts included (for the registry client's options). */
    public synchronized ResilienceSettings settings() {
        return settings;
    }

    public BreakerState state() {
        return switch (breaker.getState()) {
            case OPEN, FORCED_OPEN -> BreakerState.OPEN;
            case HALF_OPEN -> BreakerState.HALF_OPEN;
            default -> BreakerState.CLOSED;
        };
    }

    /** How long until an open breaker lets a trial call through; zero when it is not open. */
    public Duration untilHalfOpen() {
        if (state() != BreakerState.OPEN) {
            return Duration.ZERO;
        }
        long left = openedAt + settings().openFor().toMillis() - clock.millis();
        return Duration.ofMillis(Math.max(0, left));
    }

    /**
     * Counts a failure of a stream this registry was sending after its request had succeeded
     * (a blob body that stalled or broke midway) against this registry's breaker. Returns
     * {@code e}, so it can sit in a stream's error mapping.
     */
    public Throwable failedMidStream(Throwable e) {
        if (countsAsFailure(e)) {
            breaker.onError(0, TimeUnit.NANOSECONDS, e);
        }
        return e;
    }

    /** Runs a request with retries, the breaker and the caps; call it on the caller's context. */
    public <T> Future<T> call(Supplier<Future<T>> request) {
        Context context = vertx.getOrCreateContext();
        Promise<T> done = Promise.promise();
        attempt(context, request, retry.<T>asyncContext(), done);
        return done.future();
    }

    /**
     * Runs a request once, behind the breaker and the caps: for a streamed upload, whose body
     * cannot be sent twice.
     */
    public <T> Future<T> once(Supplier<Future<T>> request) {
        return guarded(vertx.getOrCreateContext(), request).recover(e -> Future.failedFuture(unavailableIfOpen(e)));
    }

    private <T> void attempt(
            Context context, Supplier<Future<T>> request, Retry.AsyncContext<T> tries, Promise<T> done) {
        guarded(context, request).onComplete(ar -> {
            if (ar.succeeded()) {
                tries.onComplete();
                done.complete(ar.result());
                return;
            }
            Throwable e = ar.cause();
            long wait = e instanceof RegistryUnavailableException ? -1 : tries.onError(e);
            if (wait < 0 || wait > MAX_WAIT_MILLIS || state() == BreakerState.OPEN) {
                done.fail(unavailableIfOpen(e));
                return;
            }
            LOG.debug("registry {}: retrying in {} ms after {}", registry, wait, e.getMessage());
            later(context, wait, () -> attempt(context, request, tries, done));
        });
    }

    /** One call: the breaker's permission, the pause and rate limit, a bulkhead permit, then the request. */
    private <T> Future<T> guarded(Context context, Supplier<Future<T>> request) {
        CircuitBreaker cb = breaker;
        if (!cb.tryAcquirePermission()) {
            if (cb.getState() == CircuitBreaker.State.HALF_OPEN) {
                // Trial calls are out: their outcome decides, so wait for it rather than give up.
                Promise<T> retried = Promise.promise();
                later(
                        context,
                        HALF_OPEN_POLL_MILLIS,
                        () -> guarded(context, request).onComplete(retried));
                return retried.future();
            }
            return Future.failedFuture(new RegistryUnavailableException(registry, untilHalfOpen(), null));
        }
        AsyncBulkhead heldBulkhead = bulkhead;
        return admitted(context)
                .onFailure(e -> cb.releasePermission()) // never called: the breaker must not count it
                .compose(v -> heldBulkhead == null ? Future.<Void>succeededFuture() : heldBulkhead.acquire(context))
                .compose(v -> {
                    long started = System.nanoTime();
                    Future<T> result;
                    try {
                        result = request.get();
                    } catch (RuntimeException e) {
                        result = Future.failedFuture(e);
                    }
                    return result.andThen(ar -> {
                        if (heldBulkhead != null) {
                            heldBulkhead.release();
                        }
                        long nanos = System.nanoTime() - started;
                        if (ar.succeeded()) {
                            cb.onSuccess(nanos, TimeUnit.NANOSECONDS);
                        } else {
                            cb.onError(nanos, TimeUnit.NANOSECONDS, ar.cause());
                            noteRetryAfter(ar.cause());
                        }
                    });
                });
    }

    /** Completes when the registry's pause is over and the rate limiter has a permit for us. */
    private Future<Void> admitted(Context context) {
        long pause = pausedUntil - clock.millis();
        RateLimiter rl = limiter;
        long limiterMillis = 0;
        if (rl != null) {
            long nanos = rl.reservePermission();
            if (nanos < 0) {
                return Future.failedFuture(new RegistryException(
                        "registry " + registry + ": no request permit within " + MAX_WAIT_MILLIS
                                + " ms (requestsPerSecond)",
                        0,
                        List.of(),
                        null,
                        null));
            }
            limiterMillis = TimeUnit.NANOSECONDS.toMillis(nanos + 999_999);
        }
        long wait = Math.max(pause, limiterMillis);
        if (wait <= 0) {
            return Future.succeededFuture();
        }
        Promise<Void> ready = Promise.promise();
        later(context, wait, ready::complete);
        return ready.future();
    }

    private void noteRetryAfter(Throwable e) {
        Duration after = honouredRetryAfter(e);
        if (after != null) {
            long until = clock.millis() + after.toMillis();
            synchronized (this) {
                pausedUntil = Math.max(pausedUntil, until);
            }
        }
    }

    /** Attempt n waits between half and all of initialBackoff * 2^(n-1), capped, and never less than a Retry-After. */
    long backoffMillis(int attempt, Throwable cause) {
        ResilienceSettings s = settings();
        long ceiling = s.initialBackoff().toMillis() << Math.min(20, Math.max(0, attempt - 1));
        long capped = Math.min(ceiling, s.maxBackoff().toMillis());
        long jittered = capped / 2 + random.nextLong(capped / 2 + 1);
        Duration after = honouredRetryAfter(cause);
        return after == null ? jittered : Math.max(jittered, after.toMillis());
    }

    /** The Retry-After of a 429 or 503; other statuses' are not a promise worth waiting on. */
    private static Duration honouredRetryAfter(Throwable e) {
        if (e instanceof RegistryException re && (re.status() == 429 || re.status() == 503)) {
            return re.retryAfter().orElse(null);
        }
        return null;
    }

    private void later(Context context, long millis, Runnable action) {
        context.runOnContext(v -> vertx.setTimer(Math.max(1, millis), id -> action.run()));
    }

    private Throwable unavailableIfOpen(Throwable e) {
        if (!(e instanceof RegistryUnavailableException)
                && !(e instanceof SourceReadException)
                && retryable(e)
                && state() == BreakerState.OPEN) {
            return new RegistryUnavailableException(registry, untilHalfOpen(), e);
        }
        return e;
    }

    /** Only the error type decides (style: no message matching). */
    static boolean retryable(Throwable e) {
        return e instanceof RegistryException re && re.isTemporary();
    }

    /** A 429 means the registry is up and asks us to slow down: the rate limit's business, not the breaker's. */
    static boolean throttled(Throwable e) {
        return e instanceof RegistryException re && (re.status() == 429 || re.hasCode(ErrorCode.TOOMANYREQUESTS));
    }

    /** A source's failure during an upload is the source's: it never counts against the target. */
    static boolean countsAsFailure(Throwable e) {
        return retryable(e) && !throttled(e) && !(e instanceof SourceReadException);
    }
}
