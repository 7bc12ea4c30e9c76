package dev.ferry.config.load;

import dev.ferry.config.model.ApiConfig;
import dev.ferry.config.model.ApiToken;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Binds the {@code api} section: listen address, TLS files and the token list (hashes only). */
final class ApiBinder {

    private static final Pattern LISTEN = Pattern.compile("(\\[[0-9a-fA-F:]+]|[A-Za-z0-9.-]+):(\\d{1,5})");
    private static final Pattern TOKEN_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private ApiBinder() {}

    static ApiConfig bind(Section s) {
        if (s == null) {
            return ApiConfig.defaults();
        }
        String listen = Values.or(s.string("listen"), ApiConfig.DEFAULT_LISTEN);
        var m = LISTEN.matcher(listen);
        if (!m.matches() || Integer.parseInt(m.group(2)) > 65535) {
            s.problem("listen", "invalid listen address \"" + listen + "\": write HOST:PORT, e.g. 0.0.0.0:8080");
        }
        Section tls = s.section("tls", "tls");
        String cert = null;
        String key = null;
        String clientCa = null;
        if (tls != null) {
            cert = tls.string("cert");
            key = tls.string("key");
            clientCa = tls.string("clientCa");
            if (cert == null || key == null) {
                tls.problem(cert == null ? "cert" : "key", "TLS needs both cert and key (PEM files)");
            }
        }
        List<Section> tokenSections = s.sections("tokens", "token");
        List<ApiToken> tokens = tokens(tokenSections == null ? List.of() : tokenSections);
        return new ApiConfig(listen, cert, key, clientCa, tokens, s.string("tokenKeyFile"));
    }

    private static List<ApiToken> tokens(List<Section> sections) {
        List<ApiToken> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Set<String> hashes = new HashSet<>();
        for (Section t : sections) {
            String name = t.requiredString("name");
            if (name != null && !TOKEN_NAME.matcher(name).matches()) {
                t.problem(
                        "name",
                        "invalid token name \"" + name
                                + "\": use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit");
            } else if (name != null && !names.add(name)) {
                t.problem("name", "a second token named \"" + name + "\"; token names must be unique");
            }
            String role = t.requiredString("role");
            if (role != null && !ApiToken.ROLES.contains(role)) {
                t.problem("role", "unknown role \"" + role + "\": use one of " + String.join(", ", ApiToken.ROLES));
            }
            String sha = t.requiredString("sha256");
            if (sha != null && !SHA256.matcher(sha).matches()) {
                // Never echo the value: someone may have pasted the token itself here.
                t.problem(
                        "sha256",
                        "must be the 64 lower-case hex digits of the token's SHA-256 (as printed by "
                                + "ferry token create), not the token");
            } else if (sha != null && !hashes.add(sha)) {
                t.problem("sha256", "the same hash is listed twice");
            }
            Instant expires = null;
            String when = t.string("expires");
            if (when != null) {
                try {
                    expires = Instant.parse(when);
                } catch (DateTimeParseException e) {
                    t.problem(
                            "expires",
                            "invalid time \"" + when + "\": write an ISO-8601 UTC time, e.g. 2027-01-31T00:00:00Z");
                }
            }
            out.add(new ApiToken(name, role, sha, expires));
        }
        return out;
    }
}
