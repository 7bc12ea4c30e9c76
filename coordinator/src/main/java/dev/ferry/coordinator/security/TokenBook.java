package dev.ferry.coordinator.security;

import dev.ferry.config.model.ApiToken;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The tokens a schedule lists, looked up by the SHA-256 of what a caller presents. Only
 * hashes are held; an expired entry answers {@link Verdict#EXPIRED}.
 */
public final class TokenBook {

    private final Map<String, ApiToken> byHash = new HashMap<>();
    private final Clock clock;

    public TokenBook(List<ApiToken> tokens, Clock clock) {
        tokens.forEach(t -> byHash.put(t.sha256(), t));
        this.clock = clock;
    }

    public boolean isEmpty() {
        return byHash.isEmpty();
    }

    public Verdict check(String presented) {
        ApiToken entry = byHash.get(TokenHash.sha256(presented));
        if (entry == null) {
            return Verdict.UNKNOWN;
        }
        if (entry.expires() != null && !clock.instant().isBefore(entry.expires())) {
            return Verdict.EXPIRED;
        }
        return Verdict.accepted(new Caller(entry.name(), Role.parse(entry.role())));
    }
}
