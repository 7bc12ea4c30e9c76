package dev.ferry.coordinator.plan;

import dev.ferry.common.image.ImageStore;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** {@link RegistryAccess} over {@link FakeRegistry}s, by registry name. */
final class FakeRegistries implements RegistryAccess {

    final Map<String, FakeRegistry> registries = new ConcurrentHashMap<>();
    final Map<String, RuntimeException> unopenable = new ConcurrentHashMap<>();
    final AtomicInteger catalogCalls = new AtomicInteger();
    volatile boolean catalogFails;

    FakeRegistries with(String name, FakeRegistry registry) {
        registries.put(name, registry);
        return this;
    }

    @Override
    public Future<ImageStore> store(String registry) {
        if (unopenable.containsKey(registry)) {
            return Future.failedFuture(unopenable.get(registry));
        }
        FakeRegistry store = registries.get(registry);
        return store != null
                ? Future.succeededFuture(store)
                : Future.failedFuture(new IllegalArgumentException("unknown registry " + registry));
    }

    @Override
    public Future<List<String>> catalog(String registry) {
        catalogCalls.incrementAndGet();
        if (catalogFails) {
            return Future.failedFuture(new IllegalStateException("list catalog: HTTP 401, UNAUTHORIZED"));
        }
        return store(registry).map(s -> ((FakeRegistry) s).repositoryNames());
    }
}
