package dev.ferry.config.model;

/**
 * The coordinator cluster. Members with different names never join each other, so two
 * Ferry installations (or a test and production) on one network stay apart.
 *
 * @param name the Hazelcast cluster name; {@code ferry coordinator --cluster-name} overrides it
 */
public record ClusterConfig(String name) {

    public static final String DEFAULT_NAME = "ferry";

    public static ClusterConfig defaults() {
        return new ClusterConfig(DEFAULT_NAME);
    }
}
