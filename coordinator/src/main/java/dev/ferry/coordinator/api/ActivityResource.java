package dev.ferry.coordinator.api;

import dev.ferry.coordinator.audit.AuditReader;
import dev.ferry.coordinator.audit.LedgerLine;
import dev.ferry.coordinator.audit.LedgerTail;
import dev.ferry.coordinator.security.Access;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /v1/activity?limit=N} (viewer): the newest audit ledger entries as the console
 * shows them: seq, time, actor, action and subject. Only operational entries (registries,
 * routes, drills) keep their details; the full ledger with every detail stays
 * {@code GET /v1/audit} (admin).
 */
final class ActivityResource implements ApiResource {

    static final int MAX_LIMIT = 1000;
    private static final List<String> DETAILED = List.of("registry.", "route.", "drill.");

    private final LedgerTail tail;
    private final RouteSetup setup;

    ActivityResource(AuditReader reader, RouteSetup setup) {
        this.tail = new LedgerTail(reader);
        this.setup = setup;
    }

    @Override
    public void addRoutes(Router router) {
        setup.get(router, "/v1/activity", Access.VIEWER, this::list);
    }

    private void list(RoutingContext ctx) {
        int limit = Query.of(ctx, "limit").integer("limit", 1, MAX_LIMIT, 100);
        Replies.json(
                ctx,
                tail.last(limit).map(lines -> {
                    List<Map<String, Object>> entries = new ArrayList<>();
                    for (String text : lines) {
                        try {
                            entries.add(summary(LedgerLine.parse(text)));
                        } catch (LedgerLine.Invalid e) {
                            // A damaged line is for `ferry ctl audit verify` to report, not for the console.
                        }
                    }
                    return Map.of("entries", entries);
                }),
                200);
    }

    private static Map<String, Object> summary(LedgerLine line) {
        var fields = line.fields();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("seq", line.seq());
        out.put("time", fields.path("time").asText());
        out.put("actor", fields.path("actor").asText());
        out.put("action", line.action());
        out.put("subject", fields.path("subject").asText());
        if (DETAILED.stream().anyMatch(line.action()::startsWith)) {
            out.put("details", fields.path("details"));
        }
        return out;
    }
}
