package dev.ferry.config.model;

/**
 * {@code prewarm:} on a policy: copy only the {@code topK} most-pulled tags of its source
 * repositories (pulls counted from registry events at the source and at the policy's targets),
 * at tier {@code bulk}, or {@code high} for a tag whose pulls are rising.
 */
public record PrewarmSpec(int topK) {}
