package dev.ferry.config.load;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every section of a schedule file and the fields it may hold. The binder accepts exactly
 * these; the docs, the JSON Schema and their tests are checked against this one list.
 */
public final class Fields {

    private static final Map<String, List<String>> SECTIONS = new LinkedHashMap<>();

    static {
        SECTIONS.put(
                "schedule",
                List.of(
                        "version",
                        "defaults",
                        "registries",
                        "links",
                        "policies",
                        "routes",
                        "failover",
                        "api",
                        "cluster"));
        SECTIONS.put(
                "registry",
                List.of(
                        "name",
                        "url",
                        "region",
                        "insecure",
                        "production",
                        "credentials",
                        "requestsPerSecond",
                        "maxConcurrency",
                        "maxConcurrencyPerRepository",
                        "retry",
                        "circuitBreaker",
                        "timeouts",
                        "webhook",
                        "fallbackUrls",
                        "tls",
                        "proxy"));
        SECTIONS.put("registryTls", List.of("caFile", "certFile", "keyFile", "verify"));
        SECTIONS.put(
                "credentials",
                List.of("username", "passwordEnv", "passwordFile", "tokenFile", "dockerConfig", "refreshAfter"));
        SECTIONS.put("webhook", List.of("secretEnv", "secretFile"));
        SECTIONS.put("retry", List.of("maxAttempts", "initialBackoff", "maxBackoff"));
        SECTIONS.put("circuitBreaker", List.of("failureRateThreshold", "minimumCalls", "openFor"));
        SECTIONS.put("timeouts", List.of("connect", "firstByte", "idle"));
        SECTIONS.put("link", List.of("from", "to", "bandwidth"));
        SECTIONS.put(
                "defaults",
                List.of(
                        "trigger",
                        "tier",
                        "onConflict",
                        "immutableTags",
                        "platforms",
                        "referrers",
                        "verify",
                        "onDrift",
                        "propagateDeletes"));
        SECTIONS.put(
                "policy",
                List.of(
                        "name",
                        "source",
                        "targets",
                        "trigger",
                        "tier",
                        "onConflict",
                        "immutableTags",
                        "platforms",
                        "referrers",
                        "verify",
                        "onDrift",
                        "propagateDeletes",
                        "prewarm",
                        "artifacts"));
        SECTIONS.put("artifacts", List.of("include", "exclude"));
        SECTIONS.put("referrers", List.of("include", "exclude"));
        SECTIONS.put("prewarm", List.of("topK", "region"));
        SECTIONS.put("source", List.of("registry", "repositories", "exclude", "tags", "digests"));
        SECTIONS.put("digest", List.of("digest", "tag"));
        SECTIONS.put("tags", List.of("include", "exclude", "semver", "latest"));
        SECTIONS.put(
                "target", List.of("registry", "prefix", "stripSegments", "replacePrefix", "tag", "ttl", "recheck"));
        SECTIONS.put("replacePrefix", List.of("from", "to"));
        SECTIONS.put("trigger", List.of("interval", "cron", "timezone", "event", "manual", "verify"));
        SECTIONS.put("verify", List.of("cosign"));
        SECTIONS.put("cosign", List.of("keys"));
        SECTIONS.put("route", List.of("name", "region", "mirrors", "teams", "workloads", "maxLag", "tiers"));
        SECTIONS.put(
                "failover",
                List.of(
                        "probeInterval",
                        "probeTimeout",
                        "downAfter",
                        "failbackAfter",
                        "degradedLatency",
                        "degradedPercent"));
        SECTIONS.put("api", List.of("listen", "tls", "tokens", "tokenKeyFile"));
        SECTIONS.put("tls", List.of("cert", "key", "clientCa"));
        SECTIONS.put("token", List.of("name", "role", "sha256", "expires"));
        SECTIONS.put("cluster", List.of("name"));
    }

    private Fields() {}

    /** Section name to its field names, in documentation order. */
    public static Map<String, List<String>> sections() {
        return Collections.unmodifiableMap(SECTIONS);
    }

    static List<String> of(String section) {
        List<String> fields = SECTIONS.get(section);
        if (fields == null) {
            throw new IllegalArgumentException("no section " + section);
        }
        return fields;
    }
}
