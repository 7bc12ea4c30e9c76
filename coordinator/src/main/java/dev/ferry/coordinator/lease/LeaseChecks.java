package dev.ferry.coordinator.lease;

import dev.ferry.common.digest.Digest;
import dev.ferry.common.digest.InvalidDigestException;
import dev.ferry.common.lease.LeaseProtocol;
import dev.ferry.common.lease.Outcome;
import dev.ferry.coordinator.error.ApiException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What a lease-protocol request must satisfy before the coordinator acts on it, whichever way
 * it came: over HTTP (after its JSON is parsed) or from the in-process worker of
 * {@code ferry standalone}. The one place of these rules: {@link ClusterLeases} applies them to
 * every call, and the HTTP resource parses with these bounds. Each check fails with a 400
 * {@link ApiException} naming the field.
 */
public final class LeaseChecks {

    /**
     * The most jobs one poll may ask for: a worker asks for its free slots, and a worker has at
     * most 256 ({@code WorkerOptions}).
     */
    public static final int MAX_CAPACITY = 256;
    /** Longer polls than this risk idle timeouts in proxies and load balancers. */
    public static final int MAX_WAIT_SECONDS = 60;

    public static final List<String> OUTCOMES = Outcome.wireNames();
    /** The longest hold a worker may ask for; the coordinator clamps it further. */
    public static final long MAX_HOLD_MILLIS = 86_400_000;
    /** The OCI distribution spec's tag grammar. */
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");

    private LeaseChecks() {}

    public static LeaseProtocol.LeaseRequest leaseRequest(LeaseProtocol.LeaseRequest r) {
        if (r.region() == null || r.region().isEmpty()) {
            throw ApiException.badRequest("field \"region\" must be a non-empty string");
        }
        range("capacity", r.capacity(), 1, MAX_CAPACITY);
        range("waitSeconds", r.waitSeconds(), 0, MAX_WAIT_SECONDS);
        return r;
    }

    public static LeaseProtocol.RenewRequest renew(LeaseProtocol.RenewRequest r) {
        range("bytesDone", r.bytesDone(), 0, Long.MAX_VALUE);
        range("bytesStreamed", r.bytesStreamed(), 0, Long.MAX_VALUE);
        return r;
    }

    /** The intent with its digests in canonical form. */
    public static LeaseProtocol.CommitIntent commitIntent(LeaseProtocol.CommitIntent i) {
        range("fencingToken", i.fencingToken(), 0, Long.MAX_VALUE);
        if (i.tag() == null) {
            throw ApiException.badRequest("field \"tag\" is required");
        }
        if (!TAG.matcher(i.tag()).matches()) {
            throw ApiException.badRequest("field \"tag\" must be an OCI tag: [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
        }
        if (i.digest() == null) {
            throw ApiException.badRequest("field \"digest\" is required");
        }
        return new LeaseProtocol.CommitIntent(
                i.fencingToken(),
                i.tag(),
                digest("digest", i.digest()),
                i.current() == null ? null : digest("current", i.current()));
    }

    public static LeaseProtocol.Completion completion(LeaseProtocol.Completion c) {
        range("fencingToken", c.fencingToken(), 0, Long.MAX_VALUE);
        if (Outcome.parse(c.outcome()).isEmpty()) {
            throw ApiException.badRequest("field \"outcome\" must be one of " + String.join(", ", OUTCOMES)
                    + (c.outcome() == null ? "" : "; got \"" + c.outcome() + "\""));
        }
        if (c.reason() != null && !LeaseProtocol.Completion.SIGNATURE.equals(c.reason())) {
            throw ApiException.badRequest("field \"reason\" must be " + LeaseProtocol.Completion.SIGNATURE
                    + " when given; got \"" + c.reason() + "\"");
        }
        if (c.holdMillis() != null) {
            range("holdMillis", c.holdMillis(), 0, MAX_HOLD_MILLIS);
        }
        if (c.bytesCopied() != null) {
            range("bytesCopied", c.bytesCopied(), 0, Long.MAX_VALUE);
        }
        return c;
    }

    /**
     * The most completions one batch request may carry: with errors of up to 1,000 characters
     * each, 32 stay well inside the API's 64 KiB body limit. A worker sends at most this many.
     */
    public static final int MAX_BATCH_COMPLETIONS = 32;

    /** A batch of completions: between 1 and {@link #MAX_BATCH_COMPLETIONS} items. */
    public static List<LeaseProtocol.CompletionItem> completionBatch(List<LeaseProtocol.CompletionItem> items) {
        range("completions", items == null ? 0 : items.size(), 1, MAX_BATCH_COMPLETIONS);
        return items;
    }

    /** One item of a batch: a lease id and a completion as {@link #completion} checks it. */
    public static LeaseProtocol.CompletionItem completionItem(LeaseProtocol.CompletionItem item) {
        if (item == null || item.leaseId() == null || item.leaseId().isEmpty()) {
            throw ApiException.badRequest("field \"leaseId\" must be a non-empty string");
        }
        if (item.completion() == null) {
            throw ApiException.badRequest("field \"completion\" is required");
        }
        return new LeaseProtocol.CompletionItem(item.leaseId(), completion(item.completion()));
    }

    private static String digest(String field, String value) {
        try {
            return Digest.parse(value).toString();
        } catch (InvalidDigestException e) {
            throw ApiException.badRequest("field \"" + field + "\": " + e.getMessage());
        }
    }

    private static void range(String field, long value, long min, long max) {
        if (value < min || value > max) {
            throw ApiException.badRequest(
                    "field \"" + field + "\" must be between " + min + " and " + max + "; got " + value);
        }
    }
}
