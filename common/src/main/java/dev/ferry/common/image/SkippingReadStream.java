package dev.ferry.common.image;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.util.function.Function;

/**
 * A blob stream from a given offset: drops the first {@code skip} bytes of its source (for a
 * source that cannot seek, or ignored a Range request), and translates the source's errors
 * (so a transport failure mid-stream surfaces as the store's error type).
 */
public final class SkippingReadStream implements ReadStream<Buffer>, Abandonable {

    private final ReadStream<Buffer> source;
    private final Function<Throwable, Throwable> errors;
    private long toSkip;
    private Handler<Buffer> handler;

    public SkippingReadStream(ReadStream<Buffer> source, long skip, Function<Throwable, Throwable> errors) {
        this.source = source;
        this.toSkip = skip;
        source.handler(this::onData);
        this.errors = errors;
    }

    private void onData(Buffer chunk) {
        Buffer rest = chunk;
        if (toSkip > 0) {
            if (chunk.length() <= toSkip) {
                toSkip -= chunk.length();
                return;
            }
            rest = chunk.getBuffer((int) toSkip, chunk.length());
            toSkip = 0;
        }
        Handler<Buffer> h = handler;
        if (h != null) {
            h.handle(rest);
        }
    }

    @Override
    public void abandon() {
        Streams.abandon(source);
    }

    @Override
    public SkippingReadStream exceptionHandler(Handler<Throwable> h) {
        source.exceptionHandler(h == null ? null : e -> h.handle(errors.apply(e)));
        return this;
    }

    @Override
    public SkippingReadStream handler(Handler<Buffer> h) {
        this.handler = h;
        return this;
    }

    @Override
    public SkippingReadStream pause() {
        source.pause();
        return this;
    }

    @Override
    public SkippingReadStream resume() {
        source.resume();
        return this;
    }

    @Override
    public SkippingReadStream fetch(long amount) {
        source.fetch(amount);
        return this;
    }

    @Override
    public SkippingReadStream endHandler(Handler<Void> h) {
        source.endHandler(h);
        return this;
    }
}
