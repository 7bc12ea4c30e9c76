package dev.ferry.common.transport;

/**
 * Where a registry's API is and how to reach it. Plain HTTP only when the user said
 * {@code insecure}: tokens and passwords would otherwise cross the network in clear.
 * Docker Hub's names ({@code docker.io}, {@code index.docker.io}) become its API host.
 *
 * @param connection its TLS settings and egress proxy; {@link Connection#DIRECT} for the defaults
 */
public record RegistryEndpoint(String host, boolean plainHttp, Connection connection) {

    /** Any of Docker Hub's names means its API host, so {@code https://docker.io} just works. */
    public RegistryEndpoint {
        host = dev.ferry.common.reference.DockerHub.apiHost(host);
        connection = connection != null ? connection : Connection.DIRECT;
    }

    /** Direct, with the default TLS settings. */
    public RegistryEndpoint(String host, boolean plainHttp) {
        this(host, plainHttp, Connection.DIRECT);
    }

    public String baseUrl() {
        return (plainHttp ? "http://" : "https://") + host;
    }

    /** Resolves a path (/v2/...) or a Location header value against the base URL. */
    public String resolve(String pathOrUrl) {
        if (pathOrUrl.startsWith("http://") || pathOrUrl.startsWith("https://")) {
            return pathOrUrl;
        }
        return baseUrl() + (pathOrUrl.startsWith("/") ? "" : "/") + pathOrUrl;
    }

    @Override
    public String toString() {
        return baseUrl();
    }
}
