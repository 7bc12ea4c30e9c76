package dev.ferry.coordinator.history;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An append-only file of JSON records, one per line, in a member's data directory: how the
 * tag history and the pins outlive a restart. Appends are synchronous to the disk (dsync) and
 * never block an event loop; a line cut short by a crash is skipped when read back, and the
 * file is mended so the next record starts a line of its own.
 */
final class JsonLines<T> {

    private static final Logger LOG = LoggerFactory.getLogger(JsonLines.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final Class<T> type;
    private AsyncFile out;

    /** @param file null for none: nothing is read, appends do nothing */
    JsonLines(Path file, Class<T> type) {
        this.file = file;
        this.type = type;
    }

    /** Reads every record, then opens the file for appending. Blocking. */
    List<T> open(Vertx vertx) throws IOException {
        List<T> records = new ArrayList<>();
        if (file == null) {
            return records;
        }
        if (Files.exists(file)) {
            int lineNo = 0;
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    records.add(JSON.readValue(line, type));
                } catch (IOException e) {
                    LOG.warn(
                            "{}:{}: skipping an unreadable line (cut short by a crash?): {}",
                            file,
                            lineNo,
                            e.getMessage());
                }
            }
            if (Files.size(file) > 0 && !endsWithNewline(file)) {
                Files.writeString(file, "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            }
        }
        out = vertx.fileSystem()
                .openBlocking(
                        file.toString(),
                        new OpenOptions()
                                .setCreate(true)
                                .setAppend(true)
                                .setWrite(true)
                                .setDsync(true));
        return records;
    }

    Future<Void> append(T record) {
        return appendAll(List.of(record));
    }

    /** Appends the records in order, as one write: one disk sync for all of them. */
    Future<Void> appendAll(List<T> records) {
        if (out == null || records.isEmpty()) {
            return Future.succeededFuture();
        }
        try {
            StringBuilder lines = new StringBuilder();
            for (T record : records) {
                lines.append(JSON.writeValueAsString(record)).append('\n');
            }
            return out.write(Buffer.buffer(lines.toString()));
        } catch (IOException e) {
            return Future.failedFuture(e);
        }
    }

    Future<Void> close() {
        return out == null ? Future.succeededFuture() : out.close();
    }

    Path file() {
        return file;
    }

    private static boolean endsWithNewline(Path p) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "r")) {
            f.seek(f.length() - 1);
            return f.read() == '\n';
        }
    }
}
