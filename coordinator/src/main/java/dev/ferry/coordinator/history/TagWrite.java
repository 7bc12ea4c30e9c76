package dev.ferry.coordinator.history;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.Serializable;

/**
 * One tag write Ferry made, as the tag history records it.
 *
 * @param kind {@code write} (a replication), {@code rollback}, {@code repair} (drift put
 *     right), {@code delete} (a propagated delete; {@code newDigest} is null), or
 *     {@code backup} (the image
 *     someone else had pushed, kept under a backup tag before Ferry overwrote it)
 * @param previousDigest what the tag held before, or null when it did not exist
 * @param actor who wrote: {@code worker:ID} for replication
 * @param time epoch milliseconds
 * @param mediaType for a {@code delete}: the deleted manifest's media type
 * @param manifest for a {@code delete}: the deleted manifest's bytes, base64, so a rollback can
 *     put it back while its blobs are still in the registry
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TagWrite(
        String registry,
        String repository,
        String tag,
        String kind,
        String previousDigest,
        String newDigest,
        String job,
        String run,
        String policy,
        String actor,
        long time,
        String mediaType,
        String manifest)
        implements Serializable {

    /** A write that carries no manifest. */
    public TagWrite(
            String registry,
            String repository,
            String tag,
            String kind,
            String previousDigest,
            String newDigest,
            String job,
            String run,
            String policy,
            String actor,
            long time) {
        this(registry, repository, tag, kind, previousDigest, newDigest, job, run, policy, actor, time, null, null);
    }

    public static final String WRITE = "write";
    public static final String ROLLBACK = "rollback";
    public static final String BACKUP = "backup";
    public static final String REPAIR = "repair";
    public static final String DELETE = "delete";

    /** Whether this write left the tag with content Ferry put there (so it is L for the conflict rule). */
    public boolean ownsTag() {
        return WRITE.equals(kind) || ROLLBACK.equals(kind) || REPAIR.equals(kind);
    }

    /** The key of the tag's history in the history map. */
    public String tagKey() {
        return TagHistory.key(registry, repository, tag);
    }
}
