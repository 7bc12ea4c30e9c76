package dev.ferry.common.digest;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Optional;

/**
 * A running hash that keeps copies of its state every {@code step} bytes, so a resumed
 * upload can verify every byte without hashing the blob from the start again: restore the
 * latest checkpoint at or before the offset the registry holds, re-read the source from the
 * checkpoint and hash (without sending) up to that offset.
 *
 * <p>Memory stays bounded: {@link #forgetBefore} drops checkpoints that an acknowledged
 * offset has made useless, so only about {@code chunkSize / step} copies (a few hundred
 * bytes each) are held. Thread-safe, since the source and the target of a copy may call
 * back on different event loops.
 */
public final class DigestCheckpoints {

    /** 1 MiB: rehashing at most this much on a resume costs milliseconds. */
    public static final long DEFAULT_STEP = 1024L * 1024;

    /** The hash state after the first {@code offset} bytes. */
    public record Checkpoint(long offset, MessageDigest state) {
        MessageDigest copy() {
            return cloneOf(state);
        }
    }

    private final long step;
    private final MessageDigest md;
    private final Deque<Checkpoint> checkpoints = new ArrayDeque<>();
    private long count;

    /** Starts at byte 0 of a blob with {@code expected}'s algorithm. */
    public DigestCheckpoints(Digest expected, long step) {
        this(new Checkpoint(0, expected.algorithmInfo().newMessageDigest()), step);
    }

    /** Continues from a checkpoint taken earlier. */
    public DigestCheckpoints(Checkpoint from, long step) {
        if (step <= 0) {
            throw new IllegalArgumentException("step must be positive: " + step);
        }
        this.step = step;
        this.md = from.copy();
        this.count = from.offset();
        checkpoints.add(new Checkpoint(from.offset(), cloneOf(md)));
    }

    public synchronized long count() {
        return count;
    }

    /** Hashes the buffer's remaining bytes, taking a checkpoint at each multiple of the step. */
    public synchronized void update(ByteBuffer bytes) {
        while (bytes.hasRemaining()) {
            long toBoundary = step - count % step;
            int n = (int) Math.min(bytes.remaining(), toBoundary);
            ByteBuffer part = bytes.slice(bytes.position(), n);
            md.update(part);
            bytes.position(bytes.position() + n);
            count += n;
            if (count % step == 0) {
                checkpoints.add(new Checkpoint(count, cloneOf(md)));
            }
        }
    }

    /** The digest of every byte so far (the running state is left as it is). */
    public synchronized byte[] digestSoFar() {
        return cloneOf(md).digest();
    }

    /** The latest checkpoint at or before {@code offset}, if it is still held. */
    public synchronized Optional<Checkpoint> latestAtOrBefore(long offset) {
        Checkpoint best = null;
        for (Checkpoint c : checkpoints) {
            if (c.offset() <= offset) {
                best = c;
            }
        }
        return Optional.ofNullable(best);
    }

    /** Drops the checkpoints before the latest one at or before {@code offset}. */
    public synchronized void forgetBefore(long offset) {
        Optional<Checkpoint> keep = latestAtOrBefore(offset);
        if (keep.isEmpty()) {
            return;
        }
        Iterator<Checkpoint> it = checkpoints.iterator();
        while (it.hasNext() && it.next().offset() < keep.get().offset()) {
            it.remove();
        }
    }

    /** How many checkpoints are held (for tests of the memory bound). */
    public synchronized int size() {
        return checkpoints.size();
    }

    private static MessageDigest cloneOf(MessageDigest md) {
        try {
            return (MessageDigest) md.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(md.getAlgorithm() + " cannot be checkpointed", e);
        }
    }
}
