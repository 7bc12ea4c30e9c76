package dev.ferry.config.model;

/**
 * Where a registry's secret is, never the secret itself: an environment variable, a file
 * holding the password, or a file holding a bearer token. Resolved only when used.
 */
public record CredentialsConfig(String username, String passwordEnv, String passwordFile, String tokenFile) {}
