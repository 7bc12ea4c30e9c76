package dev.ferry.common.lease;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.ferry.common.transport.TlsSettings;
import java.io.Serializable;
import java.util.List;

/**
 * The lease protocol between workers and coordinators, as JSON bodies (HTTP, any member):
 * <pre>
 *   POST /v1/workers/{id}/leases        LeaseRequest    -> 200 LeaseResponse, or 204 after waitSeconds
 *   POST /v1/leases/{id}/renew          RenewRequest    -> 200 RenewResponse, 409 when the lease is lost
 *   POST /v1/leases/{id}/commit-intent  CommitIntent    -> 200 CommitDecision, 409 when the token is stale
 *   POST /v1/leases/{id}/complete       Completion      -> 204, 409 when the lease is lost
 *   POST /v1/leases/completions         CompletionBatch -> 200 CompletionResults, one result per item
 * </pre>
 * Credentials travel only as references (a variable or file name); the worker resolves them
 * in its own environment, so no secret ever crosses the API.
 *
 * <p>Over 300 lines because the records of the lease protocol on the wire, kept in one file as its single definition beside docs/openapi.yaml.
 */
public final class LeaseProtocol {

    private LeaseProtocol() {}

    /**
     * A long poll for up to {@code capacity} jobs near {@code region}.
     *
     * @param openBreakers registries (schedule names) whose circuit breaker is open on this
     *     worker now: the coordinators combine these reports with their health probes
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record LeaseRequest(String region, int capacity, int waitSeconds, List<String> openBreakers)
            implements Serializable {

        public LeaseRequest {
            openBreakers = openBreakers == null ? List.of() : List.copyOf(openBreakers);
        }

        public LeaseRequest(String region, int capacity, int waitSeconds) {
            this(region, capacity, waitSeconds, List.of());
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record LeaseResponse(List<Lease> leases) implements Serializable {}

    /**
     * One leased job.
     *
     * @param fencingToken rises every time the job is leased; tag writes present it
     * @param bandwidth bytes per second this lease may use, 0 when unlimited
     * @param renewMillis how often to renew; 0 leaves it to the worker (a third of the TTL).
     *     Leases on a link with a quota renew more often, so shares follow the leases quickly.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Lease(
            String leaseId,
            String jobId,
            long fencingToken,
            long ttlMillis,
            long bandwidth,
            JobSpec job,
            long renewMillis)
            implements Serializable {

        public Lease(String leaseId, String jobId, long fencingToken, long ttlMillis, long bandwidth, JobSpec job) {
            this(leaseId, jobId, fencingToken, ttlMillis, bandwidth, job, 0);
        }
    }

    /**
     * What to copy.
     *
     * @param platforms empty means all
     * @param referrers copy the image's signatures, attestations, SBOMs and OCI referrers along
     * @param cosignKeys PEM public keys (text, not file names: workers may not see the schedule's
     *     files); when not empty the image is written only with a valid cosign signature by one
     *     of them. Public keys only: no secret travels here.
     * @param referrerInclude kind names or media types of the referrers that travel (see
     *     {@link dev.ferry.common.mediatype.ArtifactFilter}); empty means every kind
     * @param referrerExclude kind names or media types of the referrers that never travel
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record JobSpec(
            String policy,
            String runId,
            String tier,
            Endpoint source,
            Endpoint target,
            List<String> platforms,
            boolean referrers,
            List<String> cosignKeys,
            List<String> referrerInclude,
            List<String> referrerExclude)
            implements Serializable {

        public JobSpec {
            cosignKeys = cosignKeys == null ? List.of() : List.copyOf(cosignKeys);
            referrerInclude = referrerInclude == null ? List.of() : List.copyOf(referrerInclude);
            referrerExclude = referrerExclude == null ? List.of() : List.copyOf(referrerExclude);
        }

        /** A job whose referrers, if it carries them, all travel. */
        public JobSpec(
                String policy,
                String runId,
                String tier,
                Endpoint source,
                Endpoint target,
                List<String> platforms,
                boolean referrers,
                List<String> cosignKeys) {
            this(policy, runId, tier, source, target, platforms, referrers, cosignKeys, List.of(), List.of());
        }

        /** A job without a signature rule. */
        public JobSpec(
                String policy,
                String runId,
                String tier,
                Endpoint source,
                Endpoint target,
                List<String> platforms,
                boolean referrers) {
            this(policy, runId, tier, source, target, platforms, referrers, List.of());
        }
    }

    /**
     * One side of a job.
     *
     * @param url {@code https://host}, {@code http://host} (insecure) or {@code oci:/dir}
     * @param reference a tag or a digest
     * @param fallbackUrls for a source: endpoints serving the same content, read in order when
     *     {@code url} gives no answer; empty for none (and always for a target)
     * @param tls the registry's TLS settings (file paths, read on the worker like credential
     *     files); null for the defaults. Fallback endpoints use them too.
     * @param proxy the registry's {@code proxy:} ({@code direct} for none); null to follow the
     *     worker's HTTPS_PROXY / HTTP_PROXY / NO_PROXY. Fallback endpoints use it too.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Endpoint(
            String registry,
            String url,
            String repository,
            String reference,
            CredentialsRef credentials,
            Limits limits,
            List<String> fallbackUrls,
            TlsSettings tls,
            String proxy)
            implements Serializable {

        public Endpoint {
            fallbackUrls = fallbackUrls == null ? List.of() : List.copyOf(fallbackUrls);
        }

        /** An endpoint that carries no limits: the worker then uses its defaults. */
        public Endpoint(String registry, String url, String repository, String reference, CredentialsRef credentials) {
            this(registry, url, repository, reference, credentials, null);
        }

        /** An endpoint without fallbacks, with the default TLS settings and the worker's own proxy settings. */
        public Endpoint(
                String registry,
                String url,
                String repository,
                String reference,
                CredentialsRef credentials,
                Limits limits) {
            this(registry, url, repository, reference, credentials, limits, List.of(), null, null);
        }

        /** The same endpoint with other limits (a worker's share of the registry's). */
        public Endpoint withLimits(Limits other) {
            return new Endpoint(registry, url, repository, reference, credentials, other, fallbackUrls, tls, proxy);
        }
    }

    /**
     * How a worker treats one registry: its request caps and its retry, circuit-breaker and
     * timeout settings, from the schedule. Every part may be absent (null): the worker then
     * uses its own default for it, so an older coordinator and a newer worker still agree.
     *
     * @param requestsPerSecond this worker's share of the registry's request rate; null when unlimited
     * @param maxConcurrency this worker's share of the requests in flight; null when unlimited
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Limits(
            Integer requestsPerSecond,
            Integer maxConcurrency,
            RetryLimits retry,
            BreakerLimits circuitBreaker,
            TimeoutLimits timeouts)
            implements Serializable {}

    /** Request retries inside a worker; see the schedule's {@code registries[].retry}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record RetryLimits(int maxAttempts, long initialBackoffMillis, long maxBackoffMillis)
            implements Serializable {}

    /** A worker's circuit breaker for the registry; see {@code registries[].circuitBreaker}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record BreakerLimits(int failureRateThreshold, int minimumCalls, long openForMillis)
            implements Serializable {}

    /** See {@code registries[].timeouts}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record TimeoutLimits(long connectMillis, long firstByteMillis, long idleMillis) implements Serializable {}

    /** Where the worker finds a registry's secret; never the secret. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CredentialsRef(
            String username,
            String passwordEnv,
            String passwordFile,
            String tokenFile,
            String dockerConfig,
            Long refreshAfterMillis)
            implements Serializable {

        public CredentialsRef(String username, String passwordEnv, String passwordFile, String tokenFile) {
            this(username, passwordEnv, passwordFile, tokenFile, null, null);
        }
    }

    /**
     * @param bytesDone bytes of the image verified so far (blobs skipped or mounted count whole)
     * @param bytesStreamed bytes that passed through the lease's throttle, from which the
     *     coordinator measures the rate the lease actually uses
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record RenewRequest(long bytesDone, long bytesStreamed) implements Serializable {

        public RenewRequest(long bytesDone) {
            this(bytesDone, 0);
        }
    }

    /** The lease lives {@code ttlMillis} more; {@code bandwidth} and {@code renewMillis} as in {@link Lease}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record RenewResponse(long ttlMillis, long bandwidth, long renewMillis) implements Serializable {

        public RenewResponse(long ttlMillis, long bandwidth) {
            this(ttlMillis, bandwidth, 0);
        }
    }

    /**
     * Asked before a tag write: may this lease write {@code digest} under {@code tag}?
     *
     * @param current the digest the target tag holds right now (the worker has just looked), or
     *     null when the tag does not exist; the coordinator decides conflicts with it
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CommitIntent(long fencingToken, String tag, String digest, String current) implements Serializable {

        /** An intent that tells nothing of the target's current digest. */
        public CommitIntent(long fencingToken, String tag, String digest) {
            this(fencingToken, tag, digest, null);
        }
    }

    /**
     * The coordinator's answer to a {@link CommitIntent}.
     *
     * @param allowed whether the worker may write the tag
     * @param previousDigest the digest Ferry last wrote under the tag, or null
     * @param backupTag when not null, tag the current digest with this name first, then write
     * @param reason why the write was refused (a conflict, an immutable tag), or null
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CommitDecision(boolean allowed, String previousDigest, String backupTag, String reason)
            implements Serializable {

        public CommitDecision(boolean allowed, String previousDigest) {
            this(allowed, previousDigest, null, null);
        }
    }

    /**
     * How a job ended. {@code outcome} is succeeded, failed, conflict, rejected or held.
     *
     * @param holdMillis for {@code held} (a registry the job needs is unavailable: its circuit
     *     breaker is open): how long until the worker tries that registry again; null otherwise
     * @param reason for {@code rejected}: {@value #SIGNATURE} when the image failed its policy's
     *     signature rule (audited and counted apart); null otherwise
     * @param bytesCopied for {@code succeeded}: blob bytes the job streamed to the target (skipped
     *     and mounted blobs not counted); null when the worker does not say
     * @param sourceEndpoint the URL of the source's fallback endpoint that served the image's
     *     reads; null when the primary served them (or the worker does not say)
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Completion(
            long fencingToken,
            String outcome,
            String error,
            boolean temporary,
            Long holdMillis,
            String reason,
            Long bytesCopied,
            String sourceEndpoint)
            implements Serializable {

        public Completion(
                long fencingToken,
                String outcome,
                String error,
                boolean temporary,
                Long holdMillis,
                String reason,
                Long bytesCopied) {
            this(fencingToken, outcome, error, temporary, holdMillis, reason, bytesCopied, null);
        }

        /** This completion naming the fallback endpoint that served the source, as {@code sourceEndpoint}. */
        public Completion withSourceEndpoint(String url) {
            return new Completion(fencingToken, outcome, error, temporary, holdMillis, reason, bytesCopied, url);
        }

        /** The {@code reason} of a rejection by the signature gate. */
        public static final String SIGNATURE = "signature";

        public Completion(
                long fencingToken, String outcome, String error, boolean temporary, Long holdMillis, String reason) {
            this(fencingToken, outcome, error, temporary, holdMillis, reason, null);
        }

        public Completion withBytesCopied(long bytes) {
            return new Completion(fencingToken, outcome, error, temporary, holdMillis, reason, bytes, sourceEndpoint);
        }

        public Completion(long fencingToken, String outcome, String error, boolean temporary, Long holdMillis) {
            this(fencingToken, outcome, error, temporary, holdMillis, null, null);
        }

        public Completion(long fencingToken, String outcome, String error, boolean temporary) {
            this(fencingToken, outcome, error, temporary, null, null, null);
        }
    }

    /** One completion of a {@link CompletionBatch}: the lease it ends, and how the job ended. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record CompletionItem(String leaseId, Completion completion) implements Serializable {}

    /**
     * Several completions in one request. Each item is checked and fenced exactly as a single
     * {@code complete} would be, and answered on its own: a stale token in one item refuses that
     * item only.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record CompletionBatch(List<CompletionItem> completions) implements Serializable {

        public CompletionBatch {
            completions = completions == null ? List.of() : List.copyOf(completions);
        }
    }

    /**
     * The answer to one item of a {@link CompletionBatch}: {@code status} is what the single
     * {@code complete} call would have answered (204 recorded, 409 {@code lease_lost}, 400, 503,
     * 500), with the error's {@code code} and {@code message} when it is not 204.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CompletionResult(String leaseId, int status, String code, String message) implements Serializable {

        public static CompletionResult recorded(String leaseId) {
            return new CompletionResult(leaseId, 204, null, null);
        }

        public boolean recorded() {
            return status == 204;
        }
    }

    /** The answers to a {@link CompletionBatch}, in the order of its items. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record CompletionResults(List<CompletionResult> results) implements Serializable {

        public CompletionResults {
            results = results == null ? List.of() : List.copyOf(results);
        }
    }
}
