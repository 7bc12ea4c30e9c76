package dev.ferry.common.registry;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;

/**
 * Feeds one source stream into a sequence of requests, a bounded number of bytes each
 * (one PATCH per chunk, or a single PUT), with backpressure: the source is paused whenever
 * the request's write queue is full, and between slices. The slicer never ends or resets
 * the requests; the caller decides that, so a failed source never commits a body.
 */
final class StreamSlicer {

    private final ReadStream<Buffer> source;
    private Buffer leftover;
    private boolean ended;
    private Throwable failure;

    private WriteStream<Buffer> target;
    private long remaining;
    private long written;
    private Promise<Long> slice;

    StreamSlicer(ReadStream<Buffer> source) {
        this.source = source;
        source.pause();
        source.handler(this::onData);
        source.endHandler(v -> {
            ended = true;
            finishSlice();
        });
        source.exceptionHandler(e -> {
            failure = e;
            if (slice != null) {
                Promise<Long> p = slice;
                slice = null;
                p.tryFail(e);
            }
        });
    }

    /** True when the source has ended and every byte was handed out. */
    boolean exhausted() {
        return ended && leftover == null;
    }

    /**
     * Writes up to {@code max} bytes into {@code into}. Completes with the count written when
     * {@code max} is reached or the source ends; fails when the source fails.
     */
    Future<Long> writeSlice(WriteStream<Buffer> into, long max) {
        if (failure != null) {
            return Future.failedFuture(failure);
        }
        target = into;
        remaining = max;
        written = 0;
        slice = Promise.promise();
        Future<Long> result = slice.future();
        if (leftover != null) {
            Buffer pending = leftover;
            leftover = null;
            onData(pending);
        }
        if (slice != null) {
            if (remaining == 0 || ended) {
                finishSlice();
            } else if (!into.writeQueueFull()) {
                source.resume();
            } else {
                waitForDrain();
            }
        }
        return result;
    }

    private void onData(Buffer chunk) {
        if (slice == null) {
            // Data after a pause took effect is kept for the next slice.
            leftover = leftover == null ? chunk : leftover.appendBuffer(chunk);
            source.pause();
            return;
        }
        Buffer now = chunk;
        if (chunk.length() > remaining) {
            now = chunk.slice(0, (int) remaining);
            leftover = chunk.getBuffer((int) remaining, chunk.length());
        }
        if (now.length() > 0) {
            target.write(now);
            remaining -= now.length();
            written += now.length();
        }
        if (remaining == 0) {
            source.pause();
            finishSlice();
        } else if (target.writeQueueFull()) {
            source.pause();
            waitForDrain();
        }
    }

    private void waitForDrain() {
        WriteStream<Buffer> waitingOn = target;
        waitingOn.drainHandler(v -> {
            if (slice != null && target == waitingOn && !ended) {
                source.resume();
            }
        });
    }

    private void finishSlice() {
        if (slice != null) {
            Promise<Long> p = slice;
            slice = null;
            source.pause();
            p.tryComplete(written);
        }
    }
}
