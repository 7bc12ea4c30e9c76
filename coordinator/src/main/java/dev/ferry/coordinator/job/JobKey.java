package dev.ferry.coordinator.job;

import com.hazelcast.partition.PartitionAware;
import java.io.Serializable;

/**
 * The key of a job in the jobs map. Its partition key is tier + target registry + target
 * repository, so every job of one repository and tier lives on one partition (and member):
 * its ready index sees them all when it applies "one writer per tag" and the per-repository
 * cap.
 */
public record JobKey(String id, String partition) implements PartitionAware<String>, Serializable {

    public static JobKey of(String id, String tier, String targetRegistry, String targetRepository) {
        return new JobKey(id, tier + "|" + targetRegistry + "|" + targetRepository);
    }

    @Override
    public String getPartitionKey() {
        return partition;
    }

    /** The tier part of the partition key. */
    public String tier() {
        return partition.substring(0, partition.indexOf('|'));
    }

    /** target registry|repository: the unit of the per-repository cap. */
    public String repositoryKey() {
        return partition.substring(partition.indexOf('|') + 1);
    }
}
