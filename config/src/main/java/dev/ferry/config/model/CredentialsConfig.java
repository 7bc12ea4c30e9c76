package dev.ferry.config.model;

import java.time.Duration;

/**
 * Where a registry's secret is, never the secret itself: an environment variable, a file
 * holding the password, a file holding a bearer token, or a Docker config file (its
 * {@code auths}, {@code credHelpers} or {@code credsStore}). Resolved only when used.
 *
 * @param dockerConfig an absolute path to a Docker config file; null when not used
 * @param refreshAfter how long credentials from the Docker config (a helper's, above all) are
 *     kept before they are read again; null for the default. A 401 reads them again at once.
 */
public record CredentialsConfig(
        String username,
        String passwordEnv,
        String passwordFile,
        String tokenFile,
        String dockerConfig,
        Duration refreshAfter) {

    /** Credentials without a Docker config file. */
    public CredentialsConfig(String username, String passwordEnv, String passwordFile, String tokenFile) {
        this(username, passwordEnv, passwordFile, tokenFile, null, null);
    }
}
