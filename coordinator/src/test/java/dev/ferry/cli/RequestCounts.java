package dev.ferry.cli;

import dev.ferry.testing.AccessLogEntry;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Prints a registry access log as requests per image, by kind: a measurement, never asserted. */
final class RequestCounts {

    private RequestCounts() {}

    static String kind(AccessLogEntry e) {
        String path = e.path();
        if (path.equals("/v2/") || path.equals("/v2")) {
            return e.method() + " /v2/";
        }
        if (path.contains("/blobs/uploads/")) {
            if (e.uri().contains("mount=")) {
                return e.method() + " mount";
            }
            return e.method() + " upload" + (e.uri().contains("digest=") ? " ?digest" : "");
        }
        if (path.contains("/blobs/")) {
            return e.method() + " blob";
        }
        if (path.contains("/manifests/")) {
            return e.method() + " manifest";
        }
        if (path.endsWith("/tags/list")) {
            return e.method() + " tags";
        }
        return e.method() + " other";
    }

    static void print(String who, String registry, List<AccessLogEntry> log, int images) {
        Map<String, Integer> byKind = new TreeMap<>();
        log.forEach(e -> byKind.merge(kind(e), 1, Integer::sum));
        StringBuilder out = new StringBuilder();
        out.append(String.format(
                "%s at the %s registry: %d requests for %d images, %.2f per image%n",
                who, registry, log.size(), images, (double) log.size() / images));
        byKind.forEach(
                (k, n) -> out.append(String.format("  %-22s %5d  %6.2f per image%n", k, n, (double) n / images)));
        System.out.print(out);
    }
}
