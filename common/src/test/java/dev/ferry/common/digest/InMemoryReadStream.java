package dev.ferry.common.digest;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A test source that emits prepared chunks only on demand. Like a blob response it starts
 * paused; {@link #resume()} and {@link #fetch(long)} release chunks, {@link #pause()} stops
 * them. It can fail instead of emitting a given chunk, and can emit synchronously (inside
 * the fetch call) or one chunk per event-loop turn on a Vert.x context.
 */
final class InMemoryReadStream implements ReadStream<Buffer> {

    private final List<Buffer> chunks;
    private final Context context;
    private int next;
    private long demand;
    private boolean emitting;
    private boolean scheduled;
    private boolean done;
    private int failBeforeChunk = -1;
    private Throwable failure;
    private int pauseCalls;

    private Handler<Buffer> handler;
    private Handler<Void> endHandler;
    private Handler<Throwable> exceptionHandler;

    private InMemoryReadStream(List<Buffer> chunks, Context context) {
        this.chunks = chunks;
        this.context = context;
    }

    /** Synchronous source of {@code data} cut into chunks of {@code chunkSize} bytes. */
    static InMemoryReadStream of(byte[] data, int chunkSize) {
        return new InMemoryReadStream(split(data, chunkSize), null);
    }

    /** Synchronous source of exactly these chunks. */
    static InMemoryReadStream ofChunks(byte[]... chunks) {
        List<Buffer> list = new ArrayList<>();
        for (byte[] c : chunks) {
            list.add(Buffer.buffer(c));
        }
        return new InMemoryReadStream(list, null);
    }

    /** A source that emits one chunk per event-loop turn on {@code context}. */
    static InMemoryReadStream onContext(Context context, byte[] data, int chunkSize) {
        return new InMemoryReadStream(split(data, chunkSize), context);
    }

    static List<Buffer> split(byte[] data, int chunkSize) {
        List<Buffer> list = new ArrayList<>();
        for (int off = 0; off < data.length; off += chunkSize) {
            list.add(Buffer.buffer(Arrays.copyOfRange(data, off, Math.min(data.length, off + chunkSize))));
        }
        return list;
    }

    /** Fails with {@code error} when it would emit chunk number {@code index} (0-based). */
    InMemoryReadStream failingBeforeChunk(int index, Throwable error) {
        this.failBeforeChunk = index;
        this.failure = error;
        return this;
    }

    int chunkCount() {
        return chunks.size();
    }

    List<Integer> chunkSizes() {
        return chunks.stream().map(Buffer::length).toList();
    }

    /** How many chunks have been handed to the handler so far. */
    int emitted() {
        return next;
    }

    boolean isPaused() {
        return demand == 0;
    }

    int pauseCalls() {
        return pauseCalls;
    }

    @Override
    public InMemoryReadStream handler(Handler<Buffer> h) {
        this.handler = h;
        return this;
    }

    @Override
    public InMemoryReadStream endHandler(Handler<Void> h) {
        this.endHandler = h;
        return this;
    }

    @Override
    public InMemoryReadStream exceptionHandler(Handler<Throwable> h) {
        this.exceptionHandler = h;
        return this;
    }

    @Override
    public InMemoryReadStream pause() {
        pauseCalls++;
        demand = 0;
        return this;
    }

    @Override
    public InMemoryReadStream resume() {
        return fetch(Long.MAX_VALUE);
    }

    @Override
    public InMemoryReadStream fetch(long amount) {
        demand = demand > Long.MAX_VALUE - amount ? Long.MAX_VALUE : demand + amount;
        if (context == null) {
            drain();
        } else if (!scheduled) {
            scheduled = true;
            context.runOnContext(v -> {
                scheduled = false;
                step();
                if (!done && demand > 0) {
                    fetch(0);
                }
            });
        }
        return this;
    }

    private void drain() {
        if (emitting) {
            return; // a handler fetched more from inside a delivery; the outer loop carries on
        }
        emitting = true;
        try {
            while (!done && demand > 0) {
                step();
            }
        } finally {
            emitting = false;
        }
    }

    /** Delivers one event: a chunk, the failure or the end. */
    private void step() {
        if (done || demand == 0) {
            return;
        }
        if (next == failBeforeChunk) {
            done = true;
            if (exceptionHandler != null) {
                exceptionHandler.handle(failure);
            }
            return;
        }
        if (next < chunks.size()) {
            Buffer chunk = chunks.get(next++);
            if (demand != Long.MAX_VALUE) {
                demand--;
            }
            if (handler != null) {
                handler.handle(chunk.copy());
            }
            return;
        }
        done = true;
        if (endHandler != null) {
            endHandler.handle(null);
        }
    }
}
