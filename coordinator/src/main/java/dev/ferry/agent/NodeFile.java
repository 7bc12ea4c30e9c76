package dev.ferry.agent;

import java.nio.file.Path;

/**
 * One file the route agent keeps on its node.
 *
 * @param kind what the file is for, as metrics and status name it: {@code hosts.toml} or {@code registries.conf}
 * @param path where it goes (absolute, or relative to the agent's working directory)
 * @param content the whole file; never empty
 */
public record NodeFile(String kind, Path path, String content) {

    public static final String HOSTS_TOML = "hosts.toml";
    public static final String REGISTRIES_CONF = "registries.conf";
}
