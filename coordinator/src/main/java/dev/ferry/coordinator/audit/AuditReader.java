package dev.ferry.coordinator.audit;

import io.vertx.core.Future;
import java.util.List;

/** Reads the ledger back, for {@code GET /v1/audit}. */
@FunctionalInterface
public interface AuditReader {

    /** Entries from seq {@code since} on, at most {@code limit}, oldest first, each one line as stored. */
    Future<List<String>> read(long since, int limit);

    /** A reader of an empty ledger: when none is configured. */
    static AuditReader none() {
        return (since, limit) -> Future.succeededFuture(List.of());
    }
}
