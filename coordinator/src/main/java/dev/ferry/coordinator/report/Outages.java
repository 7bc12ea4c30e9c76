package dev.ferry.coordinator.report;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pairs each failover of a registry with its failback, and each drill's start with its end,
 * and measures how long every route went without an eligible (healthy, in-sync) mirror, from
 * the ledger alone. Pure: the same events give the same answer.
 */
final class Outages {

    /** A route's active mirror is not eligible when its reason says no mirror is healthy and in sync. */
    static final String NOT_ELIGIBLE = "no mirror";
    /** The ledger entries that change whether a route has an eligible mirror. */
    static final java.util.Set<String> CHANGES = java.util.Set.of("route.switch", "route.eligibility");

    private Outages() {}

    /** Failovers that overlap [{@code from}, {@code to}], each with how long the registry was out. */
    static List<Map<String, Object>> failovers(List<LedgerEvent> events, Instant from, Instant to) {
        List<Map<String, Object>> out = new ArrayList<>();
        Map<String, Map<String, Object>> open = new HashMap<>();
        for (LedgerEvent e : events) {
            String registry = e.subjectName();
            if (e.action().equals("registry.failover") && open.containsKey(registry)) {
                // A failover by hand is recorded twice: the operator's action, then the state change
                // (with its mode). One outage: fill in what the first record left out.
                Map<String, Object> f = open.get(registry);
                f.putIfAbsent("mode", null);
                if (f.get("mode") == null) {
                    f.put("mode", e.detail("mode"));
                }
                if (f.get("reason") == null || String.valueOf(f.get("reason")).isEmpty()) {
                    f.put("reason", e.detail("reason"));
                }
            } else if (e.action().equals("registry.failover")) {
                Map<String, Object> f = new LinkedHashMap<>();
                f.put("registry", registry);
                f.put("mode", e.detail("mode"));
                f.put("by", e.actor());
                f.put("reason", e.detail("reason"));
                f.put("at", e.time().toString());
                f.put("_start", e.time());
                open.put(registry, f);
                out.add(f);
            } else if (e.action().equals("registry.failback") && open.containsKey(registry)) {
                Map<String, Object> f = open.remove(registry);
                f.put("backAt", e.time().toString());
                f.put("failbackMode", e.detail("mode"));
                f.put("durationSeconds", seconds((Instant) f.get("_start"), e.time()));
            }
        }
        open.values().forEach(f -> {
            f.put("backAt", null);
            f.put("durationSeconds", seconds((Instant) f.get("_start"), to));
            f.put("ongoing", true);
        });
        out.removeIf(f -> !overlaps(
                (Instant) f.get("_start"),
                f.get("backAt") == null ? to : Instant.parse((String) f.get("backAt")),
                from,
                to));
        out.forEach(f -> f.remove("_start"));
        return out;
    }

    /** Drills started in the window: registry, who, outcome, how long until restored and until ended. */
    static List<Map<String, Object>> drills(List<LedgerEvent> events, Instant from, Instant to) {
        Map<String, Map<String, Object>> byId = new LinkedHashMap<>();
        Map<String, Instant> started = new HashMap<>();
        for (LedgerEvent e : events) {
            String id = e.detail("drill");
            if (id == null || !e.kind().equals("drill")) {
                continue;
            }
            switch (e.action()) {
                case "drill.start" -> {
                    if (e.time().isBefore(from) || e.time().isAfter(to)) {
                        continue;
                    }
                    Map<String, Object> d = new LinkedHashMap<>();
                    d.put("drill", id);
                    d.put("registry", e.subjectName());
                    d.put("by", e.actor());
                    d.put("startedAt", e.time().toString());
                    d.put("plannedSeconds", e.details().path("durationSeconds").asLong());
                    d.put("switchedRoutes", e.details().path("switchedRoutes").asInt());
                    d.put("outcome", "running");
                    byId.put(id, d);
                    started.put(id, e.time());
                }
                case "drill.restore" -> {
                    if (byId.containsKey(id)) {
                        byId.get(id).put("outOfServiceSeconds", seconds(started.get(id), e.time()));
                        byId.get(id)
                                .put("heldJobs", e.details().path("heldJobs").asLong());
                    }
                }
                case "drill.end" -> {
                    if (byId.containsKey(id)) {
                        Map<String, Object> d = byId.get(id);
                        d.put("outcome", e.detail("outcome"));
                        d.put("endedAt", e.time().toString());
                        d.put("durationSeconds", seconds(started.get(id), e.time()));
                        d.put("catchUpMillis", e.details().path("catchUpMillis").asLong());
                        d.put("failedJobs", e.details().path("failedJobs").asLong());
                    }
                }
                default -> {}
            }
        }
        return new ArrayList<>(byId.values());
    }

    /**
     * Each route's share of [{@code from}, {@code to}] (from the ledger's first entry on, if later)
     * with an eligible active mirror, from its {@code route.switch} entries. Before its first
     * switch a route counts as it was just before it (the switch's {@code from}).
     */
    static List<Map<String, Object>> routeShares(
            List<String> routes, List<LedgerEvent> events, Instant from, Instant to) {
        Instant start = events.isEmpty() || events.get(0).time().isBefore(from)
                ? from
                : events.get(0).time();
        List<Map<String, Object>> out = new ArrayList<>();
        for (String route : routes) {
            List<LedgerEvent> switches = events.stream()
                    .filter(e -> CHANGES.contains(e.action()) && e.subjectName().equals(route))
                    .toList();
            boolean eligible = switches.isEmpty()
                    || (switches.get(0).action().equals("route.switch")
                            ? !"null".equals(switches.get(0).detail("from"))
                            : !eligible(switches.get(0)));
            Instant since = start;
            long without = 0;
            int count = 0;
            for (LedgerEvent s : switches) {
                Instant at = s.time().isBefore(start) ? start : s.time().isAfter(to) ? to : s.time();
                if (!eligible) {
                    without += Duration.between(since, at).toMillis();
                }
                since = at;
                eligible = eligible(s);
                if (s.action().equals("route.switch")
                        && !s.time().isBefore(start)
                        && !s.time().isAfter(to)) {
                    count++;
                }
            }
            if (!eligible) {
                without += Duration.between(since, to).toMillis();
            }
            long total = Math.max(1, Duration.between(start, to).toMillis());
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("route", route);
            r.put("observedFrom", start.toString());
            r.put("switches", count);
            r.put("withoutEligibleMirrorSeconds", without / 1000.0);
            r.put("eligibleShare", Math.round(10_000.0 * (total - Math.min(without, total)) / total) / 10_000.0);
            out.add(r);
        }
        return out;
    }

    /**
     * Whether a route had an eligible active mirror after this entry: its {@code eligible} detail,
     * or for entries written before that detail, a mirror that the reason does not call ineligible.
     */
    private static boolean eligible(LedgerEvent e) {
        String recorded = e.detail("eligible");
        if (recorded != null) {
            return Boolean.parseBoolean(recorded);
        }
        String to = e.detail("to");
        return to != null
                && !"null".equals(to)
                && !String.valueOf(e.detail("reason")).startsWith(NOT_ELIGIBLE);
    }

    private static boolean overlaps(Instant start, Instant end, Instant from, Instant to) {
        return !start.isAfter(to) && !end.isBefore(from);
    }

    private static double seconds(Instant start, Instant end) {
        return Duration.between(start, end).toMillis() / 1000.0;
    }
}
