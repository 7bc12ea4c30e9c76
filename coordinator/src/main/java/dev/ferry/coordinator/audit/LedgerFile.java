package dev.ferry.coordinator.audit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A member's copy of the ledger: {@code audit-ledger.jsonl} in its data directory, one entry per
 * line, each forced to the disk before the append returns. The file always holds a contiguous
 * run of the chain: when this member takes over the ledger after others appended, the entries
 * it missed are written first when it still has them; otherwise the old file is set aside as
 * {@code audit-ledger.jsonl.upto-SEQ} and a new one starts. Blocking: call off the event loop.
 */
final class LedgerFile implements AutoCloseable {

  static final String FILE_NAME = "audit-ledger.jsonl";

  private static final Logger LOG = LoggerFactory.getLogger(LedgerFile.class);

  private final Path file;
  private FileChannel out;
  private long lastSeq;
  private String lastHash;
  private final List<String> lines = new ArrayList<>();

  private LedgerFile(Path file) {
    this.file = file;
  }

  /** Opens (creating) the file and reads its valid entries; a line cut short by a crash ends it. */
  static LedgerFile open(Path dataDir) throws IOException {
    Files.createDirectories(dataDir);
    LedgerFile f = new LedgerFile(dataDir.resolve(FILE_NAME));
    f.readBack();
    return f;
  }

  private void readBack() throws IOException {
    lastSeq = 0;
    lines.clear();
    long validBytes = 0;
    if (Files.exists(file)) {
      for (String text : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        LedgerLine entry;
        try {
          entry = LedgerLine.parse(text);
        } catch (LedgerLine.Invalid e) {
          LOG.warn("{}: entry after seq {} is unreadable ({}); the file is cut there", file, lastSeq, e.getMessage());
          break;
        }
        lines.add(text);
        lastSeq = entry.seq();
        lastHash = entry.hash();
        validBytes += text.getBytes(StandardCharsets.UTF_8).length + 1;
      }
    }
    out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    out.truncate(validBytes);
    out.position(validBytes);
  }

  /** Entries read at open, oldest first (cleared once handed over). */
  synchronized List<String> takeReadBack() {
    List<String> copy = List.copyOf(lines);
    lines.clear();
    return copy;
  }

  synchronized long lastSeq() {
    return lastSeq;
  }

  /**
   * Appends {@code entry}, first writing the entries of {@code known} (a contiguous run ending
   * just before it) that the file lacks.
   */
  synchronized void append(LedgerLine entry, List<String> known, long knownFirstSeq) throws IOException {
    if (lastSeq > 0 && !continues(entry, known, knownFirstSeq)) {
      setAside();
    }
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < known.size(); i++) {
      long seq = knownFirstSeq + i;
      if (seq > lastSeq && seq < entry.seq()) {
        text.append(known.get(i)).append('\n');
      }
    }
    text.append(entry.text()).append('\n');
    ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
    while (bytes.hasRemaining()) {
      out.write(bytes);
    }
    out.force(false);
    lastSeq = entry.seq();
    lastHash = entry.hash();
  }

  /** Whether the chain, as known, goes on from this file's last entry (same seq, same hash). */
  private boolean continues(LedgerLine entry, List<String> known, long knownFirstSeq) {
    if (entry.seq() == lastSeq + 1) {
      return entry.prevHash().equals(lastHash);
    }
    if (entry.seq() <= lastSeq || knownFirstSeq > lastSeq + 1) {
      return false;
    }
    return LedgerLine.parse(known.get((int) (lastSeq + 1 - knownFirstSeq))).prevHash().equals(lastHash);
  }

  /** Keeps the current file under another name and starts an empty one. */
  private void setAside() throws IOException {
    out.close();
    Path old = file.resolveSibling(FILE_NAME + ".upto-" + lastSeq);
    Files.move(file, old, StandardCopyOption.REPLACE_EXISTING);
    LOG.warn("audit ledger: this member's copy cannot continue the chain; kept as {}", old);
    out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    lastSeq = 0;
    lastHash = null;
  }

  Path path() {
    return file;
  }

  @Override
  public synchronized void close() throws IOException {
    out.close();
  }
}
