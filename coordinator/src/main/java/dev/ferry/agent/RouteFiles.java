package dev.ferry.agent;

import dev.ferry.coordinator.health.HostsFiles;
import dev.ferry.coordinator.health.RouteView;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Turns a route, as the control API answered it, into the files a node's runtimes read:
 * containerd's {@code <certs.d>/<upstream host>/hosts.toml} and a containers
 * {@code registries.conf.d} drop-in, {@code ferry-<route>.conf}. The content is rendered by the
 * same code that serves {@code /v1/routes/{name}/hosts.toml} and {@code /registries.conf}, so a
 * node holds exactly what the API would hand out.
 *
 * <p>An answer that cannot make whole files (no candidates, an upstream URL without a usable
 * host) is refused with {@link IllegalArgumentException}; the agent then keeps what it has.
 */
public final class RouteFiles {

    /** {@code host} or {@code host:port}: what containerd looks up under certs.d, and nothing that leaves the directory. */
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252})(?::[0-9]{1,5})?");

    private static final Pattern UNSAFE_NAME = Pattern.compile("[^A-Za-z0-9._-]");

    private final Path certsDir;
    private final Path registriesDir;

    /**
     * @param certsDir containerd's hosts directory, e.g. {@code /etc/containerd/certs.d}
     * @param registriesDir the containers drop-in directory, e.g. {@code /etc/containers/registries.conf.d}
     */
    public RouteFiles(Path certsDir, Path registriesDir) {
        this.certsDir = certsDir;
        this.registriesDir = registriesDir;
    }

    /** Both files for {@code route}, containerd's first. */
    public List<NodeFile> render(RouteView route) {
        if (route.candidates() == null || route.candidates().isEmpty()) {
            throw new IllegalArgumentException("route " + route.name() + " has no mirrors");
        }
        String upstreamUrl = HostsFiles.upstream(route).url();
        String host;
        try {
            host = upstreamUrl == null ? null : HostsFiles.hostOf(upstreamUrl);
        } catch (IllegalArgumentException e) {
            host = null;
        }
        if (host == null || !HOST.matcher(host).matches() || host.contains("..")) {
            throw new IllegalArgumentException("route " + route.name() + ": its upstream URL " + upstreamUrl
                    + " has no host a runtime can be configured for");
        }
        for (RouteView.Candidate c : route.usable()) {
            if (c.url() == null || c.url().isBlank()) {
                throw new IllegalArgumentException(
                        "route " + route.name() + ": mirror " + c.registry() + " has no URL");
            }
        }
        return List.of(
                new NodeFile(
                        NodeFile.HOSTS_TOML, certsDir.resolve(host).resolve("hosts.toml"), HostsFiles.hostsToml(route)),
                new NodeFile(
                        NodeFile.REGISTRIES_CONF,
                        registriesDir.resolve(dropInName(route.name())),
                        HostsFiles.registriesConf(route)));
    }

    /** {@code ferry-<route>.conf}, with anything but letters, digits, dot, dash and underscore replaced. */
    static String dropInName(String route) {
        return "ferry-" + UNSAFE_NAME.matcher(route).replaceAll("_") + ".conf";
    }
}
