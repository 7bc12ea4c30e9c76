package dev.ferry.common.registry;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * A paused source of one buffer, handed out in 64 KiB pieces on demand; optionally it never
 * ends after the last piece (a source that stalls).
 */
final class BufferStream implements ReadStream<Buffer> {

    private static final int PIECE = 64 * 1024;

    private final Buffer data;
    private final boolean ends;
    private int position;
    private long demand;
    private boolean emitting;
    private boolean ended;
    private Handler<Buffer> handler;
    private Handler<Void> endHandler;

    BufferStream(Buffer data) {
        this(data, true);
    }

    BufferStream(Buffer data, boolean ends) {
        this.data = data;
        this.ends = ends;
    }

    private void emit() {
        if (emitting) {
            return;
        }
        emitting = true;
        try {
            while (demand > 0 && position < data.length()) {
                int end = Math.min(data.length(), position + PIECE);
                Buffer piece = data.getBuffer(position, end);
                position = end;
                if (demand != Long.MAX_VALUE) {
                    demand--;
                }
                if (handler != null) {
                    handler.handle(piece);
                }
            }
            if (position == data.length() && ends && !ended && endHandler != null) {
                ended = true;
                endHandler.handle(null);
            }
        } finally {
            emitting = false;
        }
    }

    @Override
    public BufferStream exceptionHandler(Handler<Throwable> h) {
        return this;
    }

    @Override
    public BufferStream handler(Handler<Buffer> h) {
        this.handler = h;
        return this;
    }

    @Override
    public BufferStream pause() {
        demand = 0;
        return this;
    }

    @Override
    public BufferStream resume() {
        return fetch(Long.MAX_VALUE);
    }

    @Override
    public BufferStream fetch(long amount) {
        demand = amount == Long.MAX_VALUE || demand + amount < 0 ? Long.MAX_VALUE : demand + amount;
        emit();
        return this;
    }

    @Override
    public BufferStream endHandler(Handler<Void> h) {
        this.endHandler = h;
        return this;
    }
}
