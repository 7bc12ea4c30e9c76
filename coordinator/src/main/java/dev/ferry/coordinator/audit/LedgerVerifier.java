package dev.ferry.coordinator.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Re-checks a ledger's lines: each line's form and hash, the sequence with no gap, each
 * {@code prevHash} against the entry before, and each checkpoint's signature (by a pinned key
 * when keys are given). Stops at the first bad entry and names it.
 */
public final class LedgerVerifier {

  private final Set<String> pinnedKeys;

  /** @param pinnedKeys base64 public keys checkpoints must be signed with; empty accepts any */
  public LedgerVerifier(Set<String> pinnedKeys) {
    this.pinnedKeys = Set.copyOf(pinnedKeys);
  }

  /**
   * The first bad entry, if any.
   *
   * @param line 1-based line number in what was read
   * @param seq the entry's seq when it could be read, else -1
   */
  public record Problem(int line, long seq, String reason) {}

  /**
   * @param firstSeq the first entry's seq; a ledger read from its start has 1, a member's file
   *     that begins after a take-over starts later and its first prevHash is taken on trust
   * @param lastCheckpointSeq the last checkpoint's seq, -1 without one
   * @param keys the public keys that signed checkpoints
   */
  public record Report(int entries, long firstSeq, long lastSeq, String headHash, int checkpoints,
      long lastCheckpointSeq, Set<String> keys, Problem problem) {
    public boolean ok() {
      return problem == null;
    }
  }

  public Report verify(List<String> lines) {
    Map<Long, String> hashes = new HashMap<>();
    Set<String> keys = new java.util.TreeSet<>();
    long firstSeq = -1;
    long lastSeq = -1;
    String head = null;
    int entries = 0;
    int checkpoints = 0;
    long lastCheckpoint = -1;
    int lineNo = 0;
    for (String text : lines) {
      lineNo++;
      if (text.isBlank()) {
        continue;
      }
      LedgerLine entry;
      try {
        entry = LedgerLine.parse(text);
      } catch (LedgerLine.Invalid e) {
        long seq = seqOf(text);
        return new Report(entries, firstSeq, lastSeq, head, checkpoints, lastCheckpoint, keys,
            new Problem(lineNo, seq, e.getMessage()));
      }
      String reason = link(entry, lastSeq, head);
      if (reason == null && Checkpoint.ACTION.equals(entry.action())) {
        reason = checkpoint(entry.fields(), entry.seq(), hashes, firstSeq);
        if (reason == null) {
          checkpoints++;
          lastCheckpoint = entry.seq();
          keys.add(entry.fields().path("details").path("key").asText());
        }
      }
      if (reason != null) {
        return new Report(entries, firstSeq, lastSeq, head, checkpoints, lastCheckpoint, keys,
            new Problem(lineNo, entry.seq(), reason));
      }
      if (firstSeq < 0) {
        firstSeq = entry.seq();
      }
      entries++;
      lastSeq = entry.seq();
      head = entry.hash();
      hashes.put(entry.seq(), entry.hash());
    }
    return new Report(entries, firstSeq, lastSeq, head, checkpoints, lastCheckpoint, keys, null);
  }

  /** Why {@code entry} does not follow the one before, or null. */
  private static String link(LedgerLine entry, long lastSeq, String head) {
    if (lastSeq < 0) {
      if (entry.seq() < 1) {
        return "seq " + entry.seq() + " is not positive";
      }
      if (entry.seq() == 1 && !LedgerLine.GENESIS.equals(entry.prevHash())) {
        return "entry 1 has a prevHash other than " + LedgerLine.GENESIS;
      }
      return null;
    }
    if (entry.seq() != lastSeq + 1) {
      return "seq " + entry.seq() + " follows seq " + lastSeq + " (expected " + (lastSeq + 1) + ")";
    }
    if (!entry.prevHash().equals(head)) {
      return "prevHash does not match the hash of entry " + lastSeq;
    }
    return null;
  }

  private String checkpoint(JsonNode fields, long seq, Map<Long, String> hashes, long firstSeq) {
    JsonNode d = fields.path("details");
    long signedSeq = d.path("signedSeq").asLong(-1);
    String signedHash = d.path("signedHash").asText();
    String key = d.path("key").asText();
    if (signedSeq < 1 || signedSeq >= seq) {
      return "checkpoint signs seq " + signedSeq + ", which is not before it";
    }
    String known = hashes.get(signedSeq);
    if (known != null && !known.equals(signedHash)) {
      return "checkpoint signs a hash that is not entry " + signedSeq + "'s";
    }
    if (known == null && firstSeq >= 0 && signedSeq >= firstSeq) {
      return "checkpoint signs entry " + signedSeq + ", which is not in the ledger";
    }
    if (!LedgerKey.verify(key, Checkpoint.message(signedSeq, signedHash), d.path("signature").asText())) {
      return "checkpoint signature does not verify";
    }
    if (!pinnedKeys.isEmpty() && !pinnedKeys.contains(key)) {
      return "checkpoint is signed by key " + key + ", which is not a pinned key";
    }
    return null;
  }

  /** The seq of a line that did not parse, when its text still shows one. */
  private static long seqOf(String text) {
    var m = java.util.regex.Pattern.compile("\"seq\":(\\d{1,18})").matcher(text);
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }
}
