package dev.ferry.coordinator.plan;

import dev.ferry.common.transport.RegistryException;
import java.util.List;

/**
 * Many registries do not list their repositories (Docker Hub, GHCR, ECR, and any registry
 * that keeps {@code /v2/_catalog} to admins): they answer 401, 403 or 404. A policy whose
 * repositories are globs cannot be planned there, and the error says so and what to do,
 * instead of a bare HTTP status.
 */
final class CatalogRefusal {

    private CatalogRefusal() {}

    /** The error to report for a failed catalog call: an explanation for a refusal, else {@code e} itself. */
    static Throwable explain(String registry, List<String> globs, Throwable e) {
        if (!(e instanceof RegistryException re) || !refuses(re.status())) {
            return e;
        }
        return new CatalogUnavailableException(
                "registry " + registry + " does not list its repositories (GET /v2/_catalog"
                        + " answered " + re.status() + "), so the repository globs " + globs
                        + " cannot be expanded there: list the"
                        + " policy's repositories by name under source.repositories",
                re);
    }

    private static boolean refuses(int status) {
        return status == 401 || status == 403 || status == 404;
    }

    /** A source registry that will not list repositories for a glob. */
    static final class CatalogUnavailableException extends RuntimeException {
        CatalogUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
