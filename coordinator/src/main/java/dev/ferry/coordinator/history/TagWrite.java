package dev.ferry.coordinator.history;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.Serializable;

/**
 * One tag write Ferry made, as the tag history records it.
 *
 * @param kind {@code write} (a replication), {@code rollback}, {@code repair} (drift put
 *     right), or {@code backup} (the image
 *     someone else had pushed, kept under a backup tag before Ferry overwrote it)
 * @param previousDigest what the tag held before, or null when it did not exist
 * @param actor who wrote: {@code worker:ID} for replication
 * @param time epoch milliseconds
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TagWrite(String registry, String repository, String tag, String kind, String previousDigest,
    String newDigest, String job, String run, String policy, String actor, long time) implements Serializable {

  public static final String WRITE = "write";
  public static final String ROLLBACK = "rollback";
  public static final String BACKUP = "backup";
  public static final String REPAIR = "repair";

  /** Whether this write left the tag with content Ferry put there (so it is L for the conflict rule). */
  public boolean ownsTag() {
    return WRITE.equals(kind) || ROLLBACK.equals(kind) || REPAIR.equals(kind);
  }

  /** The key of the tag's history in the history map. */
  public String tagKey() {
    return TagHistory.key(registry, repository, tag);
  }
}
