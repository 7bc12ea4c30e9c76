package dev.ferry.config.model;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A validated schedule file: what to replicate, from where to where, how often.
 *
 * @param baseDirectory the directory of the file, against which relative paths (keys,
 *     secret files) are resolved
 */
public record Schedule(
        int version,
        List<RegistryConfig> registries,
        List<LinkConfig> links,
        List<Policy> policies,
        List<RouteConfig> routes,
        FailoverConfig failover,
        ApiConfig api,
        ClusterConfig cluster,
        Path baseDirectory) {

    public static final List<Integer> SUPPORTED_VERSIONS = List.of(1);

    public Schedule {
        registries = List.copyOf(registries);
        links = List.copyOf(links);
        policies = List.copyOf(policies);
        routes = List.copyOf(routes);
    }

    public Optional<RegistryConfig> registry(String name) {
        return registries.stream().filter(r -> r.name().equals(name)).findFirst();
    }

    public Optional<Policy> policy(String name) {
        return policies.stream().filter(p -> p.name().equals(name)).findFirst();
    }
}
