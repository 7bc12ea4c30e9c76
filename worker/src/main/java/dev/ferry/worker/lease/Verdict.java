package dev.ferry.worker.lease;

import dev.ferry.common.digest.DigestMismatchException;
import dev.ferry.common.digest.InvalidDigestException;
import dev.ferry.common.dockerconfig.DockerConfigException;
import dev.ferry.common.lease.LeaseProtocol.Completion;
import dev.ferry.common.lease.Outcome;
import dev.ferry.common.manifest.InvalidManifestException;
import dev.ferry.common.reference.InvalidReferenceException;
import dev.ferry.common.signature.SignatureRejectedException;
import dev.ferry.common.transport.PullBudgetExhaustedException;
import dev.ferry.common.transport.RegistryException;
import dev.ferry.worker.resilience.RegistryUnavailableException;
import io.vertx.core.VertxException;
import java.io.IOException;
import java.util.concurrent.TimeoutException;

/**
 * How a job ended, as the coordinator is told. Retryability is read from the error type
 * ({@link RegistryException#isTemporary()}), never from a message.
 *
 * <p>{@code rejected} belongs to the signature gate alone: it means a policy refused the
 * image. Everything else that goes wrong is {@code failed} with its cause: content that did
 * not match its digest (or a truncated source) is a temporary failure, retried a bounded
 * number of times (the next attempt may read intact bytes); a manifest, reference, digest or
 * job that is invalid as such is a permanent one.
 *
 * @param outcome how the job ended, sent as its wire name
 * @param holdMillis for {@code held}: how long until the unavailable registry is tried again
 * @param reason for {@code rejected} by the signature gate: {@link Completion#SIGNATURE}; null otherwise
 */
record Verdict(Outcome outcome, String error, boolean temporary, Long holdMillis, String reason) {

    private static final int MAX_ERROR_CHARS = 1000;

    Verdict(Outcome outcome, String error, boolean temporary) {
        this(outcome, error, temporary, null, null);
    }

    static Verdict succeeded() {
        return new Verdict(Outcome.SUCCEEDED, null, false);
    }

    /** Handed back unfinished: re-queued at once, no attempt lost. */
    static Verdict handedBack(String reason) {
        return new Verdict(Outcome.FAILED, reason, true);
    }

    static Verdict of(Throwable e) {
        String error = describe(e);
        if (e instanceof RegistryUnavailableException unavailable) {
            // A registry that is down is not the job's fault: held, with no attempt counted.
            return new Verdict(Outcome.HELD, error, true, unavailable.retryIn().toMillis(), null);
        }
        if (e instanceof PullBudgetExhaustedException exhausted) {
            // The registry's pull budget ran out: wait for it to refill, with no attempt counted.
            return new Verdict(Outcome.HELD, error, true, exhausted.retryIn().toMillis(), null);
        }
        if (e instanceof DockerConfigException helper) {
            // A helper that timed out may answer next time; a missing one will not.
            return new Verdict(Outcome.FAILED, error, helper.isTemporary());
        }
        if (e instanceof SignatureRejectedException) {
            return new Verdict(Outcome.REJECTED, error, false, null, Completion.SIGNATURE);
        }
        if (e instanceof InvalidJobException
                || e instanceof InvalidManifestException
                || e instanceof InvalidReferenceException
                || e instanceof InvalidDigestException) {
            return new Verdict(Outcome.FAILED, error, false);
        }
        if (e instanceof CommitRefusedException) {
            return new Verdict(Outcome.CONFLICT, error, false);
        }
        if (e instanceof RegistryException re) {
            return new Verdict(Outcome.FAILED, error, re.isTemporary());
        }
        if (e instanceof CoordinatorException ce) {
            return new Verdict(Outcome.FAILED, error, ce.isTemporary());
        }
        if (e instanceof DigestMismatchException) {
            return new Verdict(Outcome.FAILED, error, true);
        }
        boolean network = e instanceof IOException || e instanceof TimeoutException || e instanceof VertxException;
        return new Verdict(Outcome.FAILED, error, network);
    }

    Completion completion(long fencingToken) {
        return new Completion(fencingToken, outcome.wireName(), error, temporary, holdMillis, reason);
    }

    private static String describe(Throwable e) {
        String msg = e.getMessage();
        String text = msg == null || msg.isBlank() ? e.getClass().getSimpleName() : msg;
        return text.length() <= MAX_ERROR_CHARS ? text : text.substring(0, MAX_ERROR_CHARS) + "...";
    }
}
