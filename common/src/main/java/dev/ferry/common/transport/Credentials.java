package dev.ferry.common.transport;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * What Ferry presents to a registry: nothing, a username and password (which may be a
 * registry token used as a password), a bearer token used as it is, without the token
 * exchange, or an identity token ({@code docker login}'s OAuth2 refresh token), exchanged at
 * the registry's token realm for access tokens. {@link #toString()} never shows a secret.
 */
public record Credentials(String username, String password, String token, String identityToken) {

    private static final Credentials ANONYMOUS = new Credentials(null, null, null, null);

    public static Credentials anonymous() {
        return ANONYMOUS;
    }

    public static Credentials basic(String username, String password) {
        if (username == null || username.isEmpty()) {
            throw new IllegalArgumentException("username is empty");
        }
        return new Credentials(username, password == null ? "" : password, null, null);
    }

    /** A ready bearer token (e.g. a cloud access token), sent as {@code Authorization: Bearer}. */
    public static Credentials bearer(String token) {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("token is empty");
        }
        return new Credentials(null, null, token.strip(), null);
    }

    /**
     * An OAuth2 refresh token, as {@code docker login} stores it in {@code identitytoken}: sent
     * to the token realm with {@code grant_type=refresh_token}, never to the registry itself.
     */
    public static Credentials identityToken(String refreshToken) {
        if (refreshToken == null || refreshToken.isBlank()) {
            throw new IllegalArgumentException("identity token is empty");
        }
        return new Credentials(null, null, null, refreshToken.strip());
    }

    public boolean hasIdentityToken() {
        return identityToken != null;
    }

    public boolean hasToken() {
        return token != null;
    }

    /** Parses {@code user:password} as given to {@code --src-creds}. */
    public static Credentials parse(String userColonPassword) {
        int colon = userColonPassword.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("credentials must be USER:PASSWORD");
        }
        return basic(userColonPassword.substring(0, colon), userColonPassword.substring(colon + 1));
    }

    public boolean isAnonymous() {
        return username == null && token == null && identityToken == null;
    }

    public String basicHeader() {
        String raw = username + ":" + password;
        return "Basic " + Base64.getEncoder().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        if (hasToken()) {
            return "bearer token (hidden)";
        }
        if (hasIdentityToken()) {
            return "identity token (hidden)";
        }
        return isAnonymous() ? "anonymous" : "user " + username + " (password hidden)";
    }
}
