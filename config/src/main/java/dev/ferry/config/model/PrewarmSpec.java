package dev.ferry.config.model;

/**
 * {@code prewarm:} on a policy: copy only the {@code topK} most-pulled tags of its source
 * repositories (pulls counted from registry events at the source and at the policy's targets),
 * at tier {@code bulk}, or {@code high} for a tag whose pulls are rising.
 *
 * @param region null for every hot target; else only the targets that are mirrors of a route
 *     in this region are pre-warmed (see {@link PrewarmScope})
 */
public record PrewarmSpec(int topK, String region) {

    public PrewarmSpec(int topK) {
        this(topK, null);
    }
}
