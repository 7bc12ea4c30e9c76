package dev.ferry.worker.copy;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/** An in-memory ReadStream that honours pause, resume and fetch, emitting fixed-size chunks. */
final class ByteArrayReadStream implements ReadStream<Buffer> {

    private final Context context;
    private final byte[] data;
    private final int chunk;
    private int pos;
    private long demand;
    private boolean ended;
    private boolean scheduled;
    private Handler<Buffer> handler;
    private Handler<Void> endHandler;

    ByteArrayReadStream(Context context, byte[] data, int chunk) {
        this.context = context;
        this.data = data;
        this.chunk = chunk;
    }

    @Override
    public ReadStream<Buffer> exceptionHandler(Handler<Throwable> h) {
        return this;
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
        demand = demand + amount < 0 ? Long.MAX_VALUE : demand + amount;
        schedule();
        return this;
    }

    @Override
    public ReadStream<Buffer> endHandler(Handler<Void> h) {
        this.endHandler = h;
        return this;
    }

    private void schedule() {
        if (!scheduled) {
            scheduled = true;
            context.runOnContext(v -> {
                scheduled = false;
                drain();
            });
        }
    }

    private void drain() {
        while (demand > 0 && pos < data.length && handler != null) {
            int n = Math.min(chunk, data.length - pos);
            Buffer b = Buffer.buffer().appendBytes(data, pos, n);
            pos += n;
            if (demand != Long.MAX_VALUE) {
                demand--;
            }
            handler.handle(b);
        }
        if (pos == data.length && demand > 0 && !ended) {
            ended = true;
            if (endHandler != null) {
                endHandler.handle(null);
            }
        }
    }
}
