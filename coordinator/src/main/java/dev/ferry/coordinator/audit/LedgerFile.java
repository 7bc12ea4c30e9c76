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
 *
 * <p>At open, the only change ever made to what is there is at its very end: a partial last line
 * without its newline (a crash mid-append) is cut off. Every complete line stays byte for byte,
 * whatever it holds; the breaks found in them are {@link #report() reported} for the ledger to
 * record.
 */
final class LedgerFile implements AutoCloseable {

    static final String FILE_NAME = "audit-ledger.jsonl";

    /** How every line Ferry writes begins (the canonical form sorts its keys). */
    private static final String LINE_START = "{\"action\":\"";

    private static final Logger LOG = LoggerFactory.getLogger(LedgerFile.class);

    private final Path file;
    private FileChannel out;
    private long lastSeq;
    private String lastHash;
    private final List<String> lines = new ArrayList<>();
    private LedgerVerifier.Report report;

    private LedgerFile(Path file) {
        this.file = file;
    }

    /** Opens (creating) the file and reads it back; a torn last line is cut off. */
    static LedgerFile open(Path dataDir) throws IOException {
        Files.createDirectories(dataDir);
        LedgerFile f = new LedgerFile(dataDir.resolve(FILE_NAME));
        f.readBack();
        return f;
    }

    private void readBack() throws IOException {
        lastSeq = 0;
        lastHash = null;
        lines.clear();
        byte[] bytes = Files.exists(file) ? Files.readAllBytes(file) : new byte[0];
        int end = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                lines.add(new String(bytes, end, i - end, StandardCharsets.UTF_8));
                end = i + 1;
            }
        }
        out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        out.position(bytes.length);
        if (end < bytes.length) {
            endTail(new String(bytes, end, bytes.length - end, StandardCharsets.UTF_8), end);
        }
        report = new LedgerVerifier(java.util.Set.of()).verify(lines);
        int last = lastLine();
        if (last >= 0 && !lines.get(last).isBlank()) {
            // An unreadable last line leaves no hash: the chain cannot go on from it in this file.
            lastSeq = Math.max(0, LedgerVerifier.seqOf(lines.get(last)));
            lastHash =
                    parses(lines.get(last)) ? LedgerLine.parse(lines.get(last)).hash() : null;
        }
    }

    /**
     * The bytes after the last newline: cut off when they are a torn append (the start of a line
     * Ferry writes), else kept and ended with a newline, so that nothing complete is lost.
     */
    private void endTail(String tail, long tailStart) throws IOException {
        int lineNo = lines.size() + 1;
        if (!parses(tail) && (tail.startsWith(LINE_START) || LINE_START.startsWith(tail))) {
            long torn = out.size() - tailStart;
            out.truncate(tailStart);
            out.position(tailStart);
            out.force(false);
            LOG.warn(
                    "{}:{}: cut off an incomplete last line ({} bytes without a newline, as a crash mid-append"
                            + " leaves)",
                    file,
                    lineNo,
                    torn);
            return;
        }
        out.write(ByteBuffer.wrap(new byte[] {'\n'}));
        out.force(false);
        lines.add(tail);
        LOG.warn("{}:{}: the last line had no newline; added one and kept the line as it is", file, lineNo);
    }

    private int lastLine() {
        int i = lines.size() - 1;
        while (i > 0 && lines.get(i).isBlank()) {
            i--;
        }
        return i;
    }

    private static boolean parses(String text) {
        try {
            LedgerLine.parse(text);
            return true;
        } catch (LedgerLine.Invalid e) {
            return false;
        }
    }

    /** What the file held at open: every break, and whether each one is recorded. */
    LedgerVerifier.Report report() {
        return report;
    }

    /** Lets the chain go on here from entry {@code seq} (hash {@code hash}) in a new segment. */
    synchronized void resumeAfter(long seq, String hash) {
        lastSeq = seq;
        lastHash = hash;
    }

    /** The lines read at open, oldest first, as they are (cleared once handed over). */
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
        try {
            return LedgerLine.parse(known.get((int) (lastSeq + 1 - knownFirstSeq)))
                    .prevHash()
                    .equals(lastHash);
        } catch (LedgerLine.Invalid e) {
            return false;
        }
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
