package dev.ferry.common.registry;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * A slow but live source: hands out the first {@code gapAt} bytes of its data, falls silent
 * for {@code gapMillis}, then hands out the rest and ends. Demand is honoured on both sides
 * of the gap.
 */
final class GappedStream implements ReadStream<Buffer> {

    private final Vertx vertx;
    private final BufferStream before;
    private final BufferStream after;
    private final long gapAt;
    private final long gapMillis;
    private BufferStream current;
    private long sent;
    private boolean paused = true;
    private Handler<Buffer> handler;

    GappedStream(Vertx vertx, Buffer data, int gapAt, long gapMillis) {
        this.vertx = vertx;
        this.before = new BufferStream(data.getBuffer(0, gapAt), false);
        this.after = new BufferStream(data.getBuffer(gapAt, data.length()));
        this.gapAt = gapAt;
        this.gapMillis = gapMillis;
        this.current = before;
        before.handler(this::onData);
        after.handler(this::onData);
    }

    private void onData(Buffer chunk) {
        sent += chunk.length();
        if (handler != null) {
            handler.handle(chunk);
        }
        if (current == before && sent == gapAt) {
            current = null;
            vertx.setTimer(gapMillis, id -> {
                current = after;
                if (!paused) {
                    after.resume();
                }
            });
        }
    }

    @Override
    public GappedStream exceptionHandler(Handler<Throwable> h) {
        return this;
    }

    @Override
    public GappedStream handler(Handler<Buffer> h) {
        this.handler = h;
        return this;
    }

    @Override
    public GappedStream pause() {
        paused = true;
        if (current != null) {
            current.pause();
        }
        return this;
    }

    @Override
    public GappedStream resume() {
        paused = false;
        if (current != null) {
            current.resume();
        }
        return this;
    }

    @Override
    public GappedStream fetch(long amount) {
        paused = false;
        if (current != null) {
            current.fetch(amount);
        }
        return this;
    }

    @Override
    public GappedStream endHandler(Handler<Void> h) {
        after.endHandler(h);
        return this;
    }
}
