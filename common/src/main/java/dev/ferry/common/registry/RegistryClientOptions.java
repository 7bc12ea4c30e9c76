package dev.ferry.common.registry;

import java.time.Duration;

/**
 * Tuning for one registry client.
 *
 * <p>Timeouts, and why their defaults: a registry that is slow to accept a connection is
 * usually unreachable, so 10 s is plenty even over WAN. The first byte of a response can
 * legitimately take a while when the registry finishes an upload (it hashes or moves the
 * blob on the final PUT), so 60 s. A stream that moves no bytes at all for 60 s is stuck,
 * not slow: a throttled copy still moves bytes every few milliseconds.
 *
 * @param monolithicMax blobs up to this size go in one PUT; larger ones in PATCH chunks
 * @param chunkSize bytes per PATCH; each chunk boundary is a point an upload can resume from
 * @param connectTimeout how long opening a TCP (and TLS) connection may take
 * @param firstByteTimeout how long after a request was sent (its body ended) the response
 *     headers may take
 * @param idleTimeout how long a request may see no bytes in either direction before it is failed
 * @param pageSize entries asked for per page of tag and catalog listings
 */
public record RegistryClientOptions(
        long monolithicMax,
        long chunkSize,
        Duration connectTimeout,
        Duration firstByteTimeout,
        Duration idleTimeout,
        int pageSize) {

    public static final long MiB = 1024L * 1024;
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_FIRST_BYTE_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);

    /** Default timeouts; kept so callers written before the timeouts existed still compile. */
    public RegistryClientOptions(long monolithicMax, long chunkSize, Duration idleTimeout, int pageSize) {
        this(monolithicMax, chunkSize, DEFAULT_CONNECT_TIMEOUT, DEFAULT_FIRST_BYTE_TIMEOUT, idleTimeout, pageSize);
    }

    /**
     * 64 MiB chunks: few enough round trips that chunking costs little on distribution, and
     * under the 100 MB request limit common in front of registries (proxies, CDNs).
     */
    public static RegistryClientOptions defaults() {
        return withChunkSize(64 * MiB);
    }

    /** Blobs up to {@code chunkSize} go in one PUT, larger ones in PATCHes of that size. */
    public static RegistryClientOptions withChunkSize(long chunkSize) {
        return new RegistryClientOptions(
                chunkSize, chunkSize, DEFAULT_CONNECT_TIMEOUT, DEFAULT_FIRST_BYTE_TIMEOUT, DEFAULT_IDLE_TIMEOUT, 1000);
    }

    public RegistryClientOptions withPageSize(int size) {
        return new RegistryClientOptions(monolithicMax, chunkSize, connectTimeout, firstByteTimeout, idleTimeout, size);
    }

    public RegistryClientOptions withTimeouts(Duration connect, Duration firstByte, Duration idle) {
        return new RegistryClientOptions(monolithicMax, chunkSize, connect, firstByte, idle, pageSize);
    }

    public RegistryClientOptions {
        if (chunkSize <= 0 || monolithicMax < 0 || pageSize <= 0) {
            throw new IllegalArgumentException("chunkSize and pageSize must be positive, monolithicMax not negative");
        }
        requirePositive("connectTimeout", connectTimeout);
        requirePositive("firstByteTimeout", firstByteTimeout);
        requirePositive("idleTimeout", idleTimeout);
    }

    private static void requirePositive(String name, Duration value) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(name + " must be a positive duration, got " + value);
        }
    }
}
