package dev.ferry.coordinator.health;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Long polls on routes: a node that already holds a route's current etag waits here until
 * the choice changes, instead of polling. Woken by the routes map's entry events, which
 * reach every member.
 */
public final class RouteWatch {

    private record Waiter(Context context, Promise<RouteView> promise, String etag) {}

    private final Vertx vertx;
    private final HealthStore store;
    private final Map<String, List<Waiter>> waiting = new ConcurrentHashMap<>();

    public RouteWatch(Vertx vertx, HealthStore store) {
        this.vertx = vertx;
        this.store = store;
        store.onRouteChange(this::changed);
    }

    /** The route now when it differs from {@code etag} (or no wait is asked); else waits up to {@code waitMillis}. */
    public Future<RouteView> await(String name, String etag, long waitMillis) {
        RouteView current = store.route(name).orElse(null);
        if (current != null && (etag == null || waitMillis <= 0 || !etag.equals(current.etag()))) {
            return Future.succeededFuture(current);
        }
        if (current == null && waitMillis <= 0) {
            return Future.failedFuture(dev.ferry.coordinator.error.ApiException.unavailable(
                    "route " + name + " has not been computed yet; retry after one probe interval"));
        }
        Context context = vertx.getOrCreateContext();
        Waiter waiter = new Waiter(context, Promise.promise(), etag);
        List<Waiter> list = waiting.computeIfAbsent(name, n -> new CopyOnWriteArrayList<>());
        list.add(waiter);
        long timer = vertx.setTimer(Math.max(1, waitMillis), t -> {
            list.remove(waiter);
            RouteView now = store.route(name).orElse(null);
            if (now == null) {
                waiter.promise()
                        .tryFail(dev.ferry.coordinator.error.ApiException.unavailable(
                                "route " + name + " has not been computed yet; retry after one probe interval"));
            } else {
                waiter.promise().tryComplete(now);
            }
        });
        return waiter.promise().future().onComplete(ar -> vertx.cancelTimer(timer));
    }

    private void changed(RouteView view) {
        List<Waiter> list = waiting.get(view.name());
        if (list == null) {
            return;
        }
        for (Waiter w : list) {
            if (!view.etag().equals(w.etag())) {
                list.remove(w);
                w.context().runOnContext(v -> w.promise().tryComplete(view));
            }
        }
    }
}
