package dev.ferry.config.load;

import dev.ferry.common.transport.EgressProxy;
import dev.ferry.common.transport.TlsMaterial;
import dev.ferry.common.transport.TlsMaterialException;
import dev.ferry.common.transport.TlsSettings;
import dev.ferry.config.model.CredentialsConfig;
import dev.ferry.config.model.RegistryConfig;
import dev.ferry.config.model.WebhookConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Binds {@code registries:} and checks each URL, region and credentials reference, and the
 * request limits, retry, circuit breaker and timeouts.
 *
 * <p>Over 300 lines because one YAML section, {@code registries[]}, with the check of each of its fields (URL, credentials, TLS, proxy, fallbacks, limits, retry, breaker, timeouts) at its line and column; the checks cross-reference each other (an {@code oci:} URL refuses TLS, a plain-HTTP URL needs {@code insecure}).
 */
final class RegistryBinder {

    static final String DEFAULT_REGION = "default";

    private final Names names = new Names("registry");
    private final Path baseDirectory;

    RegistryBinder(Path baseDirectory) {
        this.baseDirectory = baseDirectory;
    }

    Names names() {
        return names;
    }

    List<RegistryConfig> bind(List<Section> sections) {
        List<RegistryConfig> out = new ArrayList<>();
        for (Section s : sections) {
            String name = s.requiredString("name");
            names.declare(s, "name", name);
            String url = s.requiredString("url");
            Boolean insecure = s.bool("insecure");
            boolean plain = Boolean.TRUE.equals(insecure);
            url = checkUrl(s, url, plain);
            if (url != null && url.startsWith("oci:")) {
                url = "oci:"
                        + baseDirectory.resolve(url.substring("oci:".length())).normalize();
                for (String registryOnly : List.of(
                        "insecure",
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
                        "proxy")) {
                    if (s.has(registryOnly)) {
                        s.problem(registryOnly, "an OCI layout directory (oci:) takes no " + registryOnly);
                    }
                }
            }
            s.bool("production"); // read by ferry audit-config; checked here so a typo is caught by validate
            String region = Values.or(s.string("region"), DEFAULT_REGION);
            CredentialsConfig creds = credentials(s.section("credentials", "credentials"));
            Integer rps = s.integer("requestsPerSecond", 1, 100_000);
            Integer concurrency = s.integer("maxConcurrency", 1, 1024);
            Integer perRepository = s.integer("maxConcurrencyPerRepository", 1, 1024);
            var retry = ResilienceBinder.retry(s.section("retry", "retry"));
            var breaker = ResilienceBinder.circuitBreaker(s.section("circuitBreaker", "circuitBreaker"));
            var timeouts = ResilienceBinder.timeouts(s.section("timeouts", "timeouts"));
            WebhookConfig webhook = webhook(s.section("webhook", "webhook"));
            List<String> fallbacks = url != null && url.startsWith("oci:") ? List.of() : fallbackUrls(s, url, plain);
            TlsSettings tls = tls(s.section("tls", "registryTls"), url);
            String proxy = proxy(s);
            if (name != null && url != null) {
                out.add(new RegistryConfig(
                        name,
                        url,
                        region,
                        plain,
                        creds,
                        rps,
                        concurrency,
                        retry,
                        breaker,
                        timeouts,
                        webhook,
                        perRepository,
                        fallbacks,
                        tls,
                        proxy));
            }
        }
        return out;
    }

    /**
     * {@code fallbackUrls}: registry roots like {@code url} (plain http only with insecure), each
     * other than the primary and listed once. The same credentials are sent to each.
     */
    private static List<String> fallbackUrls(Section s, String primary, boolean insecure) {
        List<String> urls = s.strings("fallbackUrls");
        if (urls == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < urls.size(); i++) {
            String url = urls.get(i);
            if (url.startsWith("oci:")) {
                s.problemAtItem(
                        "fallbackUrls", i, "a fallback is a registry URL (https://HOST[:PORT]), not an OCI layout");
                continue;
            }
            String checked = checkUrl(s, "fallbackUrls", i, url, insecure);
            if (checked == null) {
                continue;
            }
            if (checked.equals(primary) || out.contains(checked)) {
                s.problemAtItem("fallbackUrls", i, "\"" + checked + "\" is listed already; list each endpoint once");
                continue;
            }
            out.add(checked);
        }
        return out;
    }

    private static String checkUrl(Section s, String url, boolean insecure) {
        return checkUrl(s, "url", -1, url, insecure);
    }

    /** Checks a registry URL of field {@code key} (item {@code item} of it, or -1 for a single value). */
    private static String checkUrl(Section s, String key, int item, String url, boolean insecure) {
        Consumer<String> problem = m -> {
            if (item < 0) {
                s.problem(key, m);
            } else {
                s.problemAtItem(key, item, m);
            }
        };
        if (url == null) {
            return null;
        }
        if (url.startsWith("oci:")) {
            if (url.length() == "oci:".length()) {
                problem.accept("an OCI layout needs a directory: oci:/path/to/dir");
                return null;
            }
            return url;
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            problem.accept("invalid URL \"" + url + "\": " + e.getReason());
            return null;
        }
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equals("https") || scheme.equals("http"))) {
            problem.accept("invalid URL \"" + url + "\": use https://HOST[:PORT], http://HOST[:PORT] with"
                    + " insecure: true, or oci:/DIR for an OCI layout directory");
            return null;
        }
        if (uri.getHost() == null) {
            problem.accept("invalid URL \"" + url + "\": no host");
            return null;
        }
        if (uri.getRawPath() != null
                        && !uri.getRawPath().isEmpty()
                        && !uri.getRawPath().equals("/")
                || uri.getRawQuery() != null
                || uri.getUserInfo() != null) {
            problem.accept("invalid URL \"" + url + "\": give only scheme, host and port (no path, query or"
                    + " user); credentials go in credentials:");
            return null;
        }
        if (scheme.equals("http") && !insecure) {
            problem.accept("plain http:// needs insecure: true: credentials and images would cross the"
                    + " network unprotected");
            return null;
        }
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private CredentialsConfig credentials(Section c) {
        if (c == null) {
            return null;
        }
        String username = c.string("username");
        String env = c.string("passwordEnv");
        String file = c.string("passwordFile");
        String token = c.string("tokenFile");
        String dockerConfig = c.string("dockerConfig");
        Duration refreshAfter = Values.duration(c, "refreshAfter", Duration.ofSeconds(1));
        int sources = (env != null ? 1 : 0)
                + (file != null ? 1 : 0)
                + (token != null ? 1 : 0)
                + (dockerConfig != null ? 1 : 0);
        if (sources != 1) {
            c.problemHere(
                    "give exactly one of passwordEnv, passwordFile, tokenFile or dockerConfig (got " + sources + ")");
        }
        if (dockerConfig != null) {
            if (username != null) {
                c.problem("username", "a dockerConfig names the user itself; it takes no username");
            }
            String path = absolute(dockerConfig);
            if (!Files.isRegularFile(Path.of(path))) {
                c.problem("dockerConfig", "Docker config file " + path + " does not exist or is not a file");
            }
            return new CredentialsConfig(null, null, null, null, path, refreshAfter);
        }
        if (refreshAfter != null) {
            c.problem("refreshAfter", "refreshAfter applies to credentials from a dockerConfig only");
        }
        if ((env != null || file != null) && username == null) {
            c.missing("username");
        }
        if (token != null && username != null) {
            c.problem("username", "a tokenFile is sent as a bearer token; it takes no username");
        }
        // Secret files are resolved against the schedule's directory here, once, so the
        // planner, the validator and every worker agree on which file is meant.
        return new CredentialsConfig(username, env, absolute(file), absolute(token));
    }

    /**
     * {@code tls:}: files are resolved against the schedule's directory and read now, so a
     * missing file, a file that is not PEM or a key that does not fit is a load error at its line.
     */
    private TlsSettings tls(Section t, String url) {
        if (t == null) {
            return null;
        }
        String ca = absolute(t.string("caFile"));
        String cert = absolute(t.string("certFile"));
        String key = absolute(t.string("keyFile"));
        Boolean verify = t.bool("verify");
        if (url != null && url.startsWith("http://")) {
            t.problemHere("a plain http:// registry has no TLS; tls: applies to https:// URLs only");
            return null;
        }
        if ((cert == null) != (key == null)) {
            t.problemHere("a client certificate needs both certFile and keyFile");
            return null;
        }
        boolean verifying = !Boolean.FALSE.equals(verify);
        if (!verifying && (ca != null || cert != null)) {
            t.problem(
                    "verify",
                    "verify: false accepts any certificate, so caFile and a client certificate mean"
                            + " nothing beside it; drop one or the other");
            return null;
        }
        TlsSettings settings = new TlsSettings(ca, cert, key, verifying);
        try {
            TlsMaterial.check(settings);
        } catch (TlsMaterialException e) {
            t.problem(e.field(), e.getMessage());
            return null;
        }
        return settings;
    }

    private static String proxy(Section s) {
        String proxy = s.string("proxy");
        if (proxy == null || proxy.equals(EgressProxy.DIRECT)) {
            return proxy;
        }
        try {
            EgressProxy.parse(proxy);
        } catch (IllegalArgumentException e) {
            s.problem("proxy", e.getMessage() + ", or direct");
            return null;
        }
        if (proxy.contains("@")) {
            s.problem("proxy", "give no credentials in the proxy URL of a schedule: it is not a secret store");
            return null;
        }
        return proxy;
    }

    private WebhookConfig webhook(Section w) {
        if (w == null) {
            return null;
        }
        String env = w.string("secretEnv");
        String file = w.string("secretFile");
        if ((env == null) == (file == null)) {
            w.problemHere("give exactly one of secretEnv or secretFile");
        }
        return new WebhookConfig(env, absolute(file));
    }

    private String absolute(String path) {
        return path == null ? null : baseDirectory.resolve(path).normalize().toString();
    }
}
