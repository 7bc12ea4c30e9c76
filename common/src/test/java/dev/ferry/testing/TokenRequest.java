package dev.ferry.testing;

import java.time.Instant;
import java.util.List;

/**
 * One request a {@link TokenIssuer} received. Never holds the password or the issued token.
 *
 * @param account       the {@code account} query parameter, or the basic-auth user name if absent
 * @param scopes        the {@code scope} parameters as sent (one entry per scope)
 * @param authenticated whether valid basic credentials were presented
 * @param status        the HTTP status the issuer answered with
 */
public record TokenRequest(
        Instant at, String service, String account, List<String> scopes, boolean authenticated, int status) {

    public TokenRequest {
        scopes = List.copyOf(scopes);
    }

    public boolean granted() {
        return status == 200;
    }

    public boolean hasScope(String scope) {
        return scopes.contains(scope);
    }
}
