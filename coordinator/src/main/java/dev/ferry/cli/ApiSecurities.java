package dev.ferry.cli;

import dev.ferry.config.model.Schedule;
import dev.ferry.coordinator.security.ApiSecurity;
import java.time.Clock;

/** Reads the API's security for a coordinator command; any problem is a usage error (exit 2). */
final class ApiSecurities {

    private ApiSecurities() {}

    static ApiSecurity load(Schedule schedule, String[] hostPort, String internalWorkerToken) {
        try {
            return ApiSecurity.load(
                    schedule, hostPort[0], Integer.parseInt(hostPort[1]), internalWorkerToken, Clock.systemUTC());
        } catch (IllegalArgumentException e) {
            throw new ExitCodes.UsageException(e.getMessage());
        }
    }

    /** The URL a local client reaches the API at: a wildcard bind is reached on loopback. */
    static String url(ApiSecurity security, String host, int port) {
        String reach = host.equals("0.0.0.0") ? "127.0.0.1" : host.equals("::") || host.equals("[::]") ? "[::1]" : host;
        return (security.tls() ? "https" : "http") + "://" + reach + ":" + port;
    }
}
