package dev.ferry.config.load;

import dev.ferry.common.reference.DockerHub;
import dev.ferry.config.model.Policy;
import dev.ferry.config.model.RegistryConfig;
import dev.ferry.config.model.SourceSpec;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Docker Hub's convention in a schedule: a policy reading from the Hub that names a
 * repository without a slash ({@code nginx}) means the official image {@code library/nginx},
 * as {@code docker pull nginx} does. Only literal names are rewritten: a glob needs the
 * catalog, which the Hub does not serve.
 */
final class HubRepositories {

    private HubRepositories() {}

    static List<Policy> normalize(List<Policy> policies, List<RegistryConfig> registries) {
        Map<String, RegistryConfig> byName =
                registries.stream().collect(Collectors.toMap(RegistryConfig::name, Function.identity(), (a, b) -> a));
        return policies.stream()
                .map(p -> {
                    RegistryConfig source =
                            p.source() == null ? null : byName.get(p.source().registry());
                    if (source == null || source.isLayout() || !DockerHub.isHub(host(source.url()))) {
                        return p;
                    }
                    SourceSpec s = p.source();
                    return p.withSource(
                            new SourceSpec(s.registry(), library(s.repositories()), library(s.exclude()), s.tags()));
                })
                .toList();
    }

    private static List<String> library(List<String> names) {
        return names == null
                ? null
                : names.stream()
                        .map(n -> n.indexOf('/') < 0 && n.chars().noneMatch(c -> "*?[]{}\\".indexOf(c) >= 0)
                                ? "library/" + n
                                : n)
                        .toList();
    }

    private static String host(String url) {
        try {
            return URI.create(url).getHost();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
