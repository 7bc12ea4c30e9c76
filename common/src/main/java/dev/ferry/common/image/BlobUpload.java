package dev.ferry.common.image;

import java.util.function.LongConsumer;

/**
 * The state of one resumable blob upload session on a store: where the session lives (the
 * upload URL the registry handed out last) and how many bytes the store has acknowledged.
 * The caller keeps it between attempts; the store updates it as chunks are accepted, and
 * clears it when the blob is committed or the session abandoned. Used from one event loop.
 */
public final class BlobUpload {

    private String location;
    private long offset;
    private LongConsumer onAcknowledged = offset -> {};

    /** True while a session is open that a later attempt may continue. */
    public boolean isOpen() {
        return location != null;
    }

    /** The session's URL as the store last gave it; {@code null} when none is open. */
    public String location() {
        return location;
    }

    /** Bytes the store holds in this session. */
    public long offset() {
        return offset;
    }

    /** Called with the new offset each time the store acknowledges bytes (to drop hash state before it). */
    public BlobUpload onAcknowledged(LongConsumer listener) {
        this.onAcknowledged = listener;
        return this;
    }

    /** The store opened a session, or reported where an open one stands. */
    public void at(String newLocation, long newOffset) {
        this.location = newLocation;
        this.offset = newOffset;
        onAcknowledged.accept(newOffset);
    }

    /** The session is committed or gone. */
    public void clear() {
        location = null;
        offset = 0;
    }

    @Override
    public String toString() {
        return isOpen() ? "upload session at " + offset + " bytes" : "no upload session";
    }
}
