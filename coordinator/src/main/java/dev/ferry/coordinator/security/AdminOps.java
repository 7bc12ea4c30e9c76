package dev.ferry.coordinator.security;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.Map;

/** The admin actions that are not about replication: minting tokens and reloading the schedule. */
public interface AdminOps {

    /** Answers {@code {name, role, token, expires}}; the token appears here and nowhere else. */
    Future<Map<String, Object>> mintToken(String actor, String name, String role, Duration ttl);

    /** Validates the schedule file again and swaps it in; answers what changed. */
    Future<Map<String, Object>> reloadConfig(String actor);

    /** For APIs built without them (tests, tools): both answer 503. */
    static AdminOps unavailable() {
        return new AdminOps() {
            @Override
            public Future<Map<String, Object>> mintToken(String actor, String name, String role, Duration ttl) {
                return Future.failedFuture(dev.ferry.coordinator.error.ApiException.unavailable(
                        "token minting is off: set api.tokenKeyFile"));
            }

            @Override
            public Future<Map<String, Object>> reloadConfig(String actor) {
                return Future.failedFuture(dev.ferry.coordinator.error.ApiException.unavailable(
                        "this API has no schedule file to reload"));
            }
        };
    }
}
