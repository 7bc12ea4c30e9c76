package dev.ferry.common.digest;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class VerifyingReadStreamTest {

    private static final int CHUNK = 4096;
    private static final byte[] DATA = random(100_000, 7); // 24 full chunks and one of 1696 bytes
    private static final Digest DIGEST = Digest.sha256(DATA);

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Everything a consumer of the verified stream observes. */
    private static final class Consumer {
        final Buffer received = Buffer.buffer();
        final List<Integer> chunkSizes = new ArrayList<>();
        final List<Throwable> errors = new ArrayList<>();
        int ends;

        Consumer attach(VerifyingReadStream s) {
            s.handler(b -> {
                received.appendBuffer(b);
                chunkSizes.add(b.length());
            });
            s.endHandler(v -> ends++);
            s.exceptionHandler(errors::add);
            return this;
        }
    }

    private static byte[] corruptAt(int index) {
        byte[] corrupt = DATA.clone();
        corrupt[index] ^= 0x40;
        return corrupt;
    }

    @Test
    void correctDataPassesThroughCompletelyAndEnds() {
        InMemoryReadStream source = InMemoryReadStream.of(DATA, CHUNK);
        VerifyingReadStream verified = new VerifyingReadStream(source, DIGEST, DATA.length);
        Consumer consumer = new Consumer().attach(verified);

        verified.resume();

        assertThat(consumer.errors).isEmpty();
        assertThat(consumer.ends).isEqualTo(1);
        assertThat(consumer.received.getBytes()).isEqualTo(DATA);
        assertThat(consumer.chunkSizes).isEqualTo(source.chunkSizes());
        assertThat(verified.bytesRead()).isEqualTo(DATA.length);
    }

    @Test
    void correctDataOfUnknownSizePassesThrough() {
        VerifyingReadStream verified = new VerifyingReadStream(InMemoryReadStream.of(DATA, CHUNK), DIGEST, -1);
        Consumer consumer = new Consumer().attach(verified);

        verified.resume();

        assertThat(consumer.errors).isEmpty();
        assertThat(consumer.ends).isEqualTo(1);
        assertThat(consumer.received.length()).isEqualTo(DATA.length);
    }

    @Test
    void singleChunkBlobIsReleasedOnlyAtTheEnd() {
        byte[] small = "hello".getBytes();
        InMemoryReadStream source = InMemoryReadStream.ofChunks(small);
        VerifyingReadStream verified = new VerifyingReadStream(source, Digest.sha256(small), 5);
        Consumer consumer = new Consumer().attach(verified);

        verified.fetch(1); // the source hands over its only chunk, but no end yet

        assertThat(source.emitted()).isEqualTo(1);
        assertThat(consumer.received.length()).as("held back until verified").isZero();

        verified.fetch(1); // now the source ends

        assertThat(consumer.received.toString()).isEqualTo("hello");
        assertThat(consumer.ends).isEqualTo(1);
    }

    @Test
    void emptyBlobEndsWithoutData() {
        byte[] empty = new byte[0];
        VerifyingReadStream verified = new VerifyingReadStream(InMemoryReadStream.ofChunks(), Digest.sha256(empty), 0);
        Consumer consumer = new Consumer().attach(verified);

        verified.resume();

        assertThat(consumer.ends).isEqualTo(1);
        assertThat(consumer.errors).isEmpty();
        assertThat(consumer.received.length()).isZero();
    }

    @Test
    void corruptDataFailsWithoutTheLastChunkOrTheEnd() {
        InMemoryReadStream source = InMemoryReadStream.of(corruptAt(DATA.length / 2), CHUNK);
        VerifyingReadStream verified = new VerifyingReadStream(source, DIGEST, DATA.length);
        Consumer consumer = new Consumer().attach(verified);

        verified.resume();

        assertThat(consumer.errors).singleElement().isInstanceOfSatisfying(DigestMismatchException.class, e -> {
            assertThat(e.expected()).isEqualTo(DIGEST);
            assertThat(e.actual()).isEqualTo(Digest.sha256(corruptAt(DATA.length / 2)));
        });
        assertThat(consumer.ends).isZero();
        assertThat(consumer.received.length()).isLessThan(DATA.length);
        int last = source.chunkSizes().get(source.chunkCount() - 1);
        assertThat(consumer.received.length()).isEqualTo(DATA.length - last);
        assertThat(consumer.chunkSizes).hasSize(source.chunkCount() - 1);
    }

    @Test
    void corruptionInTheLastChunkNeverReachesTheConsumer() {
        byte[] corrupt = corruptAt(DATA.length - 1);
        VerifyingReadStream verified =
                new VerifyingReadStream(InMemoryReadStream.of(corrupt, CHUNK), DIGEST, DATA.length);
        Consumer consumer = new Consumer().attach(verified);

        verified.resume();

        assertThat(consumer.errors).hasSize(1);
        assertThat(consumer.ends).isZero();
        byte[] got = consumer.received.getBytes();
        assertThat(got.length).isLessThan(DATA.length);
        // What did arrive is the intact prefix; the corrupt byte is not in it.
        assertThat(got).isEqualTo(java.util.Arrays.copyOf(DATA, got.length));
    }

    @Test
    void truncatedSourceFailsWithSizeMismatchAndWithholdsItsLastChunk() {
        byte[] truncated = java.util.Arrays.copyOf(DATA, DATA.length - 100);
        VerifyingReadStream verified =
                new VerifyingReadStream(InMemoryReadStream.of(truncated, CHUNK), DIGEST, DATA.length);
        Consumer consumer = new Consumer().attach(verified);

        verified.resume();

        assertThat(consumer.errors).singleElement().isInstanceOfSatisfying(DigestMismatchException.class, e -> {
            assertThat(e.expectedSize()).isEqualTo(DATA.length);
            assertThat(e.actualSize()).isEqualTo(truncated.length);
        });
        assertThat(consumer.ends).isZero();
        assertThat(consumer.received.length()).isLessThan(truncated.length);
    }

    @Test
    void oversizedSourceIsStoppedEarly() {
        byte[] big = random(DATA.length * 3, 8);
        InMemoryReadStream source = InMemoryReadStream.of(big, CHUNK);
        VerifyingReadStream verified = new VerifyingReadStream(source, DIGEST, DATA.length);
        Consumer consumer = new Consumer().attach(verified);

        verified.resume();

        assertThat(consumer.errors).singleElement().isInstanceOfSatisfying(DigestMismatchException.class, e -> {
            assertThat(e.expectedSize()).isEqualTo(DATA.length);
            assertThat(e.actualSize()).isGreaterThan(DATA.length);
            assertThat(e.actual()).isNull();
        });
        assertThat(source.isPaused()).as("source paused on overflow").isTrue();
        assertThat(source.emitted()).as("source not read to its end").isLessThan(source.chunkCount());
        assertThat(consumer.received.length()).isLessThanOrEqualTo(DATA.length);
        assertThat(consumer.ends).isZero();
    }

    @Test
    void nothingIsDeliveredAfterAFailureEvenIfTheSourceCarriesOn() {
        byte[] big = random(DATA.length * 2, 9);
        InMemoryReadStream source = InMemoryReadStream.of(big, CHUNK);
        VerifyingReadStream verified = new VerifyingReadStream(source, DIGEST, DATA.length);
        Consumer consumer = new Consumer().attach(verified);
        verified.resume();
        int receivedAtFailure = consumer.received.length();

        verified.resume(); // a careless consumer drains the rest of the source

        assertThat(source.emitted()).isEqualTo(source.chunkCount());
        assertThat(consumer.received.length()).isEqualTo(receivedAtFailure);
        assertThat(consumer.ends).isZero();
        assertThat(consumer.errors).hasSize(1);
    }

    @Test
    void sourceErrorReachesTheConsumerWithoutTheHeldChunk() {
        IOException reset = new IOException("connection reset");
        InMemoryReadStream source = InMemoryReadStream.of(DATA, CHUNK).failingBeforeChunk(5, reset);
        VerifyingReadStream verified = new VerifyingReadStream(source, DIGEST, DATA.length);
        Consumer consumer = new Consumer().attach(verified);

        verified.resume();

        assertThat(consumer.errors).containsExactly(reset);
        assertThat(consumer.ends).isZero();
        assertThat(source.emitted()).isEqualTo(5);
        assertThat(consumer.chunkSizes).as("the fifth chunk was still held").hasSize(4);
    }

    @Test
    void progressHandlerSeesEveryChunkSize() {
        InMemoryReadStream source = InMemoryReadStream.of(DATA, CHUNK);
        VerifyingReadStream verified = new VerifyingReadStream(source, DIGEST, DATA.length);
        List<Integer> progress = new ArrayList<>();
        verified.progressHandler(progress::add);
        new Consumer().attach(verified);

        verified.resume();

        assertThat(progress).isEqualTo(source.chunkSizes());
        assertThat(progress.stream().mapToInt(Integer::intValue).sum()).isEqualTo(DATA.length);
    }

    @Test
    void progressIsReportedAsChunksArriveNotWhenTheyAreReleased() {
        InMemoryReadStream source = InMemoryReadStream.of(DATA, CHUNK);
        VerifyingReadStream verified = new VerifyingReadStream(source, DIGEST, DATA.length);
        List<Integer> progress = new ArrayList<>();
        verified.progressHandler(progress::add);
        Consumer consumer = new Consumer().attach(verified);

        verified.fetch(3);

        assertThat(progress).hasSize(3);
        assertThat(consumer.chunkSizes).hasSize(2);
        assertThat(verified.bytesRead()).isEqualTo(3L * CHUNK);
    }

    @Test
    void progressCountsCorruptChunksToo() {
        InMemoryReadStream source = InMemoryReadStream.of(corruptAt(10), CHUNK);
        VerifyingReadStream verified = new VerifyingReadStream(source, DIGEST, DATA.length);
        List<Integer> progress = new ArrayList<>();
        verified.progressHandler(progress::add);
        new Consumer().attach(verified);

        verified.resume();

        assertThat(progress).isEqualTo(source.chunkSizes());
    }

    @Test
    void pauseAndResumeControlTheSource() {
        InMemoryReadStream source = InMemoryReadStream.of(DATA, CHUNK);
        VerifyingReadStream verified = new VerifyingReadStream(source, DIGEST, DATA.length);
        Consumer consumer = new Consumer();
        consumer.attach(verified);
        int[] count = {0};
        verified.handler(b -> {
            consumer.received.appendBuffer(b);
            if (++count[0] == 3) {
                verified.pause();
            }
        });

        verified.resume();

        assertThat(count[0]).isEqualTo(3);
        assertThat(source.isPaused()).isTrue();
        assertThat(source.emitted()).isEqualTo(4); // the fourth arrived, released the third, is held

        verified.resume();

        assertThat(consumer.ends).isEqualTo(1);
        assertThat(consumer.received.getBytes()).isEqualTo(DATA);
    }

    @Test
    void errorIsReportedOnlyOnce() {
        IOException late = new IOException("late");
        InMemoryReadStream source =
                InMemoryReadStream.of(random(DATA.length * 2, 3), CHUNK).failingBeforeChunk(40, late);
        VerifyingReadStream verified = new VerifyingReadStream(source, DIGEST, DATA.length);
        Consumer consumer = new Consumer().attach(verified);

        verified.resume();
        verified.resume(); // reaches the source's own failure after the size failure

        assertThat(consumer.errors).singleElement().isInstanceOf(DigestMismatchException.class);
    }

    @Test
    void pipedCorruptBlobFailsThePipeAndTheDestinationNeverHasAllBytes(Vertx vertx, VertxTestContext test) {
        byte[] corrupt = corruptAt(DATA.length / 3);
        CollectingWriteStream dest = new CollectingWriteStream();
        vertx.runOnContext(v -> {
            InMemoryReadStream source = InMemoryReadStream.onContext(vertx.getOrCreateContext(), corrupt, CHUNK);
            new VerifyingReadStream(source, DIGEST, DATA.length)
                    .pipeTo(dest)
                    .onComplete(test.failing(e -> test.verify(() -> {
                        assertThat(e).isInstanceOf(DigestMismatchException.class);
                        assertThat(dest.bytes.length()).isLessThan(DATA.length);
                        test.completeNow();
                    })));
        });
    }

    @Test
    void pipedGoodBlobArrivesWhole(Vertx vertx, VertxTestContext test) {
        CollectingWriteStream dest = new CollectingWriteStream();
        vertx.runOnContext(v -> {
            InMemoryReadStream source = InMemoryReadStream.onContext(vertx.getOrCreateContext(), DATA, CHUNK);
            new VerifyingReadStream(source, DIGEST, DATA.length)
                    .pipeTo(dest)
                    .onComplete(test.succeeding(ok -> test.verify(() -> {
                        assertThat(dest.bytes.getBytes()).isEqualTo(DATA);
                        assertThat(dest.ended).isTrue();
                        test.completeNow();
                    })));
        });
    }

    /** A write stream that keeps what it is given. */
    private static final class CollectingWriteStream implements WriteStream<Buffer> {
        final Buffer bytes = Buffer.buffer();
        boolean ended;

        @Override
        public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
            return this;
        }

        @Override
        public Future<Void> write(Buffer data) {
            bytes.appendBuffer(data);
            return Future.succeededFuture();
        }

        @Override
        public Future<Void> end() {
            ended = true;
            return Future.succeededFuture();
        }

        @Override
        public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
            return this;
        }

        @Override
        public boolean writeQueueFull() {
            return false;
        }

        @Override
        public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
            return this;
        }
    }
}
