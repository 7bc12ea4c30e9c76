package dev.ferry.loadtests.lease;

import com.hazelcast.config.Config;
import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.config.IndexConfig;
import com.hazelcast.config.IndexType;
import com.hazelcast.config.MapConfig;
import dev.ferry.coordinator.job.JobStore;
import java.util.Set;

/**
 * What-if changes to the member configuration, to size proposed coordinator fixes before
 * anyone makes them. None is on by default: without {@code --experiment} the benchmark runs
 * the configuration {@code HazelcastConfigs.member} gives production.
 *
 * <ul>
 *   <li>{@code run-index}: the jobs map with a hash index on {@code runId}, as it had before;
 *       an entry processor on an indexed OBJECT-format map clones the old value first;
 *   <li>{@code binary}: the jobs map in BINARY in-memory format.
 * </ul>
 */
final class Experiments {

    static final Set<String> KNOWN = Set.of("run-index", "binary");

    private Experiments() {}

    static Config apply(Config config, Set<String> experiments) {
        MapConfig jobs = config.getMapConfig(JobStore.MAP_NAME);
        if (experiments.contains("run-index")) {
            jobs.addIndexConfig(new IndexConfig(IndexType.HASH, "runId"));
        }
        if (experiments.contains("binary")) {
            jobs.setInMemoryFormat(InMemoryFormat.BINARY);
        }
        return config;
    }
}
