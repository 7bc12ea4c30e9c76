package dev.ferry.common.layout;

import dev.ferry.common.digest.Digest;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;

/**
 * A test source that generates its bytes chunk by chunk (never holding them all), honours
 * pause/fetch, starts paused like a real upload source, and can fail after some bytes.
 */
final class ChunkedReadStream implements ReadStream<Buffer> {

    private static final int CHUNK = 16 * 1024;
    private static final int CHUNKS_PER_TICK = 8;

    private final Context context;
    private final ChunkSource source;
    private long failAfter = -1;
    private Throwable failure;

    private Handler<Buffer> handler;
    private Handler<Void> endHandler;
    private Handler<Throwable> exceptionHandler;
    private long demand;
    private int pauses;
    private long emitted;
    private boolean scheduled;
    private boolean finished;

    private interface ChunkSource {
        /** The next chunk, or null at the end. */
        Buffer next();
    }

    private ChunkedReadStream(Vertx vertx, ChunkSource source) {
        this.context = vertx.getOrCreateContext();
        this.source = source;
    }

    static ChunkedReadStream of(Vertx vertx, byte[] bytes) {
        int[] offset = {0};
        return new ChunkedReadStream(vertx, () -> {
            if (offset[0] >= bytes.length) {
                return null;
            }
            int n = Math.min(CHUNK, bytes.length - offset[0]);
            Buffer chunk = Buffer.buffer().appendBytes(bytes, offset[0], n);
            offset[0] += n;
            return chunk;
        });
    }

    /** {@code size} pseudo-random bytes from {@code seed}; see {@link #randomDigest}. */
    static ChunkedReadStream random(Vertx vertx, long seed, long size) {
        Random random = new Random(seed);
        long[] left = {size};
        return new ChunkedReadStream(vertx, () -> {
            if (left[0] == 0) {
                return null;
            }
            byte[] chunk = new byte[(int) Math.min(CHUNK, left[0])];
            random.nextBytes(chunk);
            left[0] -= chunk.length;
            return Buffer.buffer(chunk);
        });
    }

    /** The digest of what {@link #random} produces for the same seed and size. */
    static Digest randomDigest(long seed, long size) {
        Random random = new Random(seed);
        MessageDigest md = Digest.Algorithm.SHA256.newMessageDigest();
        for (long left = size; left > 0; ) {
            byte[] chunk = new byte[(int) Math.min(CHUNK, left)];
            random.nextBytes(chunk);
            md.update(chunk);
            left -= chunk.length;
        }
        return new Digest("sha256", HexFormat.of().formatHex(md.digest()));
    }

    /** Reports {@code error} instead of the chunk that would take it past {@code bytes}. */
    ChunkedReadStream failingAfter(long bytes, Throwable error) {
        this.failAfter = bytes;
        this.failure = error;
        return this;
    }

    @Override
    public synchronized ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
        this.exceptionHandler = handler;
        return this;
    }

    @Override
    public synchronized ReadStream<Buffer> handler(Handler<Buffer> handler) {
        this.handler = handler;
        return this;
    }

    @Override
    public synchronized ReadStream<Buffer> endHandler(Handler<Void> handler) {
        this.endHandler = handler;
        return this;
    }

    @Override
    public synchronized ReadStream<Buffer> pause() {
        demand = 0;
        pauses++;
        return this;
    }

    /** How often the consumer pushed back. */
    synchronized int pauses() {
        return pauses;
    }

    @Override
    public ReadStream<Buffer> resume() {
        return fetch(Long.MAX_VALUE);
    }

    @Override
    public synchronized ReadStream<Buffer> fetch(long amount) {
        demand = Long.MAX_VALUE - demand < amount ? Long.MAX_VALUE : demand + amount;
        schedule();
        return this;
    }

    private synchronized void schedule() {
        if (!scheduled && !finished && demand > 0) {
            scheduled = true;
            context.runOnContext(v -> emit());
        }
    }

    private void emit() {
        synchronized (this) {
            scheduled = false;
        }
        for (int i = 0; i < CHUNKS_PER_TICK; i++) {
            Buffer chunk;
            Handler<Buffer> h;
            synchronized (this) {
                if (finished || demand == 0) {
                    return;
                }
                chunk = source.next();
                if (chunk == null || (failAfter >= 0 && emitted + chunk.length() > failAfter)) {
                    finished = true;
                } else {
                    emitted += chunk.length();
                    if (demand != Long.MAX_VALUE) {
                        demand--;
                    }
                }
                h = handler;
            }
            if (finished) {
                finish(chunk == null);
                return;
            }
            if (h != null) {
                h.handle(chunk);
            }
        }
        schedule();
    }

    private void finish(boolean ended) {
        Handler<Void> end;
        Handler<Throwable> error;
        synchronized (this) {
            end = endHandler;
            error = exceptionHandler;
        }
        if (!ended && failure != null) {
            if (error != null) {
                error.handle(failure);
            }
        } else if (end != null) {
            end.handle(null);
        }
    }
}
