package dev.ferry.coordinator.plan;

import dev.ferry.common.image.ImageStore;
import io.vertx.core.Future;
import java.util.List;

/** The stores behind a schedule's registry names, as the planner uses them. */
public interface RegistryAccess {

    /** The store of a registry; fails for an unknown name or an unreadable secret. */
    Future<ImageStore> store(String registry);

    /**
     * The store to read a policy's source through: with the registry's {@code fallbackUrls},
     * tried in order when the one before gives no answer. A target is read and written through
     * {@link #store} alone, so its state is never taken from a replica.
     */
    default Future<ImageStore> sourceStore(String registry) {
        return store(registry);
    }

    /**
     * Every repository of a registry ({@code /v2/_catalog}). An OCI layout directory holds one
     * unnamed repository, listed as {@code ""}.
     */
    Future<List<String>> catalog(String registry);
}
