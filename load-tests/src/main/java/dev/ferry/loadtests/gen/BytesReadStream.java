package dev.ferry.loadtests.gen;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/** A paused stream over bytes already in memory, sent in 256 KiB buffers on the given context. */
final class BytesReadStream implements ReadStream<Buffer> {

    private static final int CHUNK = 256 * 1024;

    private final Context context;
    private final byte[] bytes;
    private int position;
    private long demand;
    private boolean ended;
    private boolean draining;
    private Handler<Buffer> handler;
    private Handler<Void> endHandler;

    BytesReadStream(Context context, byte[] bytes) {
        this.context = context;
        this.bytes = bytes;
    }

    @Override
    public ReadStream<Buffer> exceptionHandler(Handler<Throwable> h) {
        return this; // reading memory does not fail
    }

    @Override
    public ReadStream<Buffer> handler(Handler<Buffer> h) {
        this.handler = h;
        return this;
    }

    @Override
    public ReadStream<Buffer> pause() {
        demand = 0;
        return this;
    }

    @Override
    public ReadStream<Buffer> resume() {
        return fetch(Long.MAX_VALUE);
    }

    @Override
    public ReadStream<Buffer> fetch(long amount) {
        demand = Long.MAX_VALUE - demand < amount ? Long.MAX_VALUE : demand + amount;
        context.runOnContext(v -> drain());
        return this;
    }

    @Override
    public ReadStream<Buffer> endHandler(Handler<Void> h) {
        this.endHandler = h;
        return this;
    }

    private void drain() {
        if (draining) {
            return;
        }
        draining = true;
        try {
            while (demand > 0 && position < bytes.length && handler != null) {
                int n = Math.min(CHUNK, bytes.length - position);
                Buffer chunk = Buffer.buffer(n).appendBytes(bytes, position, n);
                position += n;
                if (demand != Long.MAX_VALUE) {
                    demand--;
                }
                handler.handle(chunk);
            }
            if (position >= bytes.length && !ended && demand > 0) {
                ended = true;
                if (endHandler != null) {
                    endHandler.handle(null);
                }
            }
        } finally {
            draining = false;
        }
    }
}
