package dev.ferry.common.reference;

import java.util.Locale;
import java.util.Set;

/**
 * Docker Hub's names. {@code docker.io}, {@code index.docker.io} and
 * {@code registry-1.docker.io} are one registry, whose API answers on
 * {@code registry-1.docker.io}; a repository without a slash there is an official image,
 * {@code library/NAME}.
 */
public final class DockerHub {

    /** The key {@code docker login} writes for the Hub in a Docker config file, and gives helpers. */
    public static final String LEGACY_SERVER_URL = "https://index.docker.io/v1/";

    private static final Set<String> ALIASES =
            Set.of(Reference.DOCKER_HUB, "index.docker.io", Reference.DOCKER_HUB_API_HOST);

    private DockerHub() {}

    /** True for any of the Hub's names (an explicit {@code :443} included). */
    public static boolean isHub(String host) {
        if (host == null) {
            return false;
        }
        String h = host.toLowerCase(Locale.ROOT);
        if (h.endsWith(":443")) {
            h = h.substring(0, h.length() - 4);
        }
        return ALIASES.contains(h);
    }

    /** The host to send API requests to: the Hub's API host for any Hub alias, else {@code host}. */
    public static String apiHost(String host) {
        return isHub(host) ? Reference.DOCKER_HUB_API_HOST : host;
    }

    /** {@code docker.io} for any Hub alias, else {@code host}: one name to compare registries by. */
    public static String canonical(String host) {
        return isHub(host) ? Reference.DOCKER_HUB : host;
    }

    /** {@code library/NAME} for a single-component repository on the Hub; anything else unchanged. */
    public static String repository(String host, String repository) {
        return isHub(host) && repository.indexOf('/') < 0 ? "library/" + repository : repository;
    }
}
