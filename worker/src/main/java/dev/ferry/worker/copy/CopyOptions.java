package dev.ferry.worker.copy;

import dev.ferry.common.manifest.Platform;
import dev.ferry.common.mediatype.ArtifactFilter;
import dev.ferry.common.signature.CosignKey;
import java.time.Duration;
import java.util.List;

/**
 * How to copy.
 *
 * @param platforms the platforms to take from an index; empty means all of them, which
 *     keeps the index byte-identical. A subset produces a new, smaller index.
 * @param blobConcurrency blobs of one image copied at the same time
 * @param blobAttempts how often one blob's transfer is tried within the copy when it fails
 *     with a temporary error (1: no retry); later attempts resume the upload where they can
 * @param retryBackoff wait before the second attempt, doubled for each further one; a
 *     registry's Retry-After wins when it asks for longer
 * @param referrers also copy the image's cosign {@code .sig}/{@code .att}/{@code .sbom} tags and
 *     its OCI referrers, before the tag write
 * @param signatureKeys when not empty, the image is copied only with a valid cosign signature
 *     by one of these keys; checked before anything is written
 * @param referrerFilter which referrers travel when {@code referrers} is set; the others are
 *     left out (and logged)
 */
public record CopyOptions(
        List<Platform> platforms,
        int blobConcurrency,
        int blobAttempts,
        Duration retryBackoff,
        boolean referrers,
        List<CosignKey> signatureKeys,
        ArtifactFilter referrerFilter) {

    private static final ArtifactFilter EVERY_KIND = ArtifactFilter.of(List.of(), List.of());

    /** Every referrer travels. */
    public CopyOptions(
            List<Platform> platforms,
            int blobConcurrency,
            int blobAttempts,
            Duration retryBackoff,
            boolean referrers,
            List<CosignKey> signatureKeys) {
        this(platforms, blobConcurrency, blobAttempts, retryBackoff, referrers, signatureKeys, EVERY_KIND);
    }

    public static final int DEFAULT_BLOB_ATTEMPTS = 3;
    public static final Duration DEFAULT_RETRY_BACKOFF = Duration.ofMillis(500);

    /** Default blob retries. */
    public CopyOptions(List<Platform> platforms, int blobConcurrency) {
        this(platforms, blobConcurrency, DEFAULT_BLOB_ATTEMPTS, DEFAULT_RETRY_BACKOFF);
    }

    /** No referrers, no signature rule. */
    public CopyOptions(List<Platform> platforms, int blobConcurrency, int blobAttempts, Duration retryBackoff) {
        this(platforms, blobConcurrency, blobAttempts, retryBackoff, false, List.of());
    }

    public static CopyOptions defaults() {
        return new CopyOptions(List.of(), 4);
    }

    public CopyOptions withBlobRetries(int attempts, Duration backoff) {
        return new CopyOptions(platforms, blobConcurrency, attempts, backoff, referrers, signatureKeys, referrerFilter);
    }

    public CopyOptions withReferrers(boolean carry) {
        return new CopyOptions(
                platforms, blobConcurrency, blobAttempts, retryBackoff, carry, signatureKeys, referrerFilter);
    }

    public CopyOptions withSignatureKeys(List<CosignKey> keys) {
        return new CopyOptions(platforms, blobConcurrency, blobAttempts, retryBackoff, referrers, keys, referrerFilter);
    }

    /** Only the referrers {@code filter} admits travel. */
    public CopyOptions withReferrerFilter(ArtifactFilter filter) {
        return new CopyOptions(
                platforms, blobConcurrency, blobAttempts, retryBackoff, referrers, signatureKeys, filter);
    }

    public CopyOptions {
        platforms = List.copyOf(platforms);
        signatureKeys = List.copyOf(signatureKeys);
        referrerFilter = referrerFilter == null ? EVERY_KIND : referrerFilter;
        if (blobConcurrency < 1) {
            throw new IllegalArgumentException("blobConcurrency must be at least 1");
        }
        if (blobAttempts < 1) {
            throw new IllegalArgumentException("blobAttempts must be at least 1");
        }
        if (retryBackoff == null || retryBackoff.isNegative()) {
            throw new IllegalArgumentException("retryBackoff must be zero or positive");
        }
    }

    public boolean allPlatforms() {
        return platforms.isEmpty();
    }

    public boolean wants(Platform candidate) {
        return allPlatforms() || platforms.stream().anyMatch(p -> p.matches(candidate));
    }
}
