package dev.ferry.coordinator.audit;

import io.vertx.core.Future;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where critical actions are recorded: API mutations, tag writes, deletes, rollbacks,
 * failovers, failbacks, drills, quota changes, config reloads. A caller acknowledges its
 * action only once the returned future has succeeded.
 *
 * <p>The seam is small on purpose: the tamper-evident ledger implements it, and tests can
 * collect events with a list.
 */
public interface AuditTrail {

    /**
     * One critical action.
     *
     * @param actor token name, worker id, {@code anonymous@IP}, or {@code ferry} for the
     *     coordinator's own decisions (automatic failover, say)
     * @param action a dotted verb, e.g. {@code registry.failover}
     * @param subject what it acted on, e.g. {@code registry/mirror-eu}
     * @param details small, secret-free facts; values are strings, numbers or booleans
     */
    record Event(String actor, String action, String subject, Map<String, Object> details) {
        public Event {
            details = details == null ? Map.of() : Map.copyOf(details);
        }
    }

    Future<Void> record(Event event);

    default Future<Void> record(String actor, String action, String subject, Map<String, Object> details) {
        return record(new Event(actor, action, subject, details));
    }

    /** Writes each event as one info log line: for tools and tests that keep no ledger. */
    public static AuditTrail logging() {
        Logger log = LoggerFactory.getLogger("dev.ferry.audit");
        return event -> {
            log.info("audit: {} {} by {} {}", event.action(), event.subject(), event.actor(), event.details());
            return Future.succeededFuture();
        };
    }
}
