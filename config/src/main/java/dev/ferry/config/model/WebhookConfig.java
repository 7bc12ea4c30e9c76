package dev.ferry.config.model;

/**
 * Where the shared secret a registry's notifications carry is: an environment variable or a
 * file, never the secret itself. The registry sends it as {@code Authorization: Bearer SECRET}.
 */
public record WebhookConfig(String secretEnv, String secretFile) {}
