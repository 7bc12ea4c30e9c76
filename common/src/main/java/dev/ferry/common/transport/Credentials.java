package dev.ferry.common.transport;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * What Ferry presents to a registry: nothing, a username and password (which may be a
 * registry token used as a password), or a bearer token used as it is, without the token
 * exchange. {@link #toString()} never shows the password or the token.
 */
public record Credentials(String username, String password, String token) {

  private static final Credentials ANONYMOUS = new Credentials(null, null, null);

  public static Credentials anonymous() {
    return ANONYMOUS;
  }

  public static Credentials basic(String username, String password) {
    if (username == null || username.isEmpty()) {
      throw new IllegalArgumentException("username is empty");
    }
    return new Credentials(username, password == null ? "" : password, null);
  }

  /** A ready bearer token (e.g. a cloud access token), sent as {@code Authorization: Bearer}. */
  public static Credentials bearer(String token) {
    if (token == null || token.isBlank()) {
      throw new IllegalArgumentException("token is empty");
    }
    return new Credentials(null, null, token.strip());
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
    return username == null && token == null;
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
    return isAnonymous() ? "anonymous" : "user " + username + " (password hidden)";
  }
}
