package dev.ferry.coordinator.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.config.SerializationConfig;
import com.hazelcast.internal.serialization.Data;
import com.hazelcast.internal.serialization.InternalSerializationService;
import com.hazelcast.internal.serialization.impl.DefaultSerializationServiceBuilder;
import com.hazelcast.internal.util.HashUtil;
import com.hazelcast.map.impl.operation.MultipleEntryOperation;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What one batch of job changes puts on the wire, measured with the members' own serializer.
 * Deterministic: fixed-width keys and steps, Hazelcast's default 271 partitions.
 */
class MemberBatchTest {

    private static final int PARTITIONS = 271;

    private final InternalSerializationService serialization = new DefaultSerializationServiceBuilder()
            .setConfig(JobSerialization.register(new SerializationConfig()))
            .build();

    @AfterEach
    void destroy() {
        serialization.dispose();
    }

    /** Bytes serialised for a batch of {@code n} renews, by kind of operation. */
    private record Wire(long batch, long operations, long backups) {
        long total() {
            return batch + operations + backups;
        }
    }

    private MemberBatch batchOf(int n) {
        MemberBatch batch = new MemberBatch(JobStore.MAP_NAME);
        for (int i = 0; i < n; i++) {
            JobKey key = JobKey.of(
                    String.format(Locale.ROOT, "job-%05d", i),
                    "normal",
                    "mirror",
                    String.format(Locale.ROOT, "team/app-%05d", i));
            Data data = serialization.toData(key);
            batch.add(
                    HashUtil.hashToIndex(data.getPartitionHash(), PARTITIONS),
                    key,
                    data,
                    new JobProcessors.Renew(String.format(Locale.ROOT, "lease-%05d", i), 7, 1024, 30_000, 1_000));
        }
        return batch;
    }

    /**
     * The batch as it crosses to its member once, then per partition: the entry processor
     * operation (sent on its own when Hazelcast retries a partition after a migration) and the
     * backup operation that goes to the backup replica.
     */
    private Wire wireOf(MemberBatch batch) {
        long operations = 0;
        long backups = 0;
        for (int partition : batch.partitionIds()) {
            MultipleEntryOperation op = (MultipleEntryOperation) batch.createPartitionOperation(partition);
            operations += serialization.toData(op).totalSize();
            backups += serialization.toData(op.getBackupOperation()).totalSize();
        }
        return new Wire(serialization.toData(batch).totalSize(), operations, backups);
    }

    @Test
    void serialisedBytesGrowLinearlyWithTheBatch() {
        Map<Integer, Wire> wire = new java.util.TreeMap<>();
        for (int n : new int[] {32, 64, 128, 256, 512}) {
            wire.put(n, wireOf(batchOf(n)));
        }
        Wire smallest = wire.get(32);
        wire.forEach((n, w) -> {
            // Per job, a batch never costs more than the smallest one did (partition overhead only
            // spreads thinner); each part separately, so none of them hides a quadratic term.
            assertThat((double) w.batch() / n)
                    .as("member batch bytes per job at %d", n)
                    .isLessThanOrEqualTo((double) smallest.batch() / 32);
            assertThat((double) w.operations() / n)
                    .as("partition operation bytes per job at %d", n)
                    .isLessThanOrEqualTo((double) smallest.operations() / 32);
            assertThat((double) w.backups() / n)
                    .as("backup operation bytes per job at %d", n)
                    .isLessThanOrEqualTo((double) smallest.backups() / 32);
        });
        for (int n = 32; n < 512; n *= 2) {
            assertThat((double) wire.get(2 * n).total() / wire.get(n).total())
                    .as("bytes from %d to %d jobs: %s -> %s", n, 2 * n, wire.get(n), wire.get(2 * n))
                    .isLessThanOrEqualTo(2.0);
        }
    }

    @Test
    void eachPartitionOperationCarriesOnlyItsOwnJobs() {
        MemberBatch batch = batchOf(512);
        int total = 0;
        for (int partition : batch.partitionIds()) {
            Map<JobKey, ?> steps = batch.steps(partition);
            assertThat(steps).isNotEmpty();
            for (JobKey key : steps.keySet()) {
                assertThat(HashUtil.hashToIndex(serialization.toData(key).getPartitionHash(), PARTITIONS))
                        .as("partition of %s", key)
                        .isEqualTo(partition);
            }
            total += steps.size();
        }
        assertThat(total).isEqualTo(512);
    }

    @Test
    void aBatchArrivesWholeAndRebuildsItsKeysOnTheMember() {
        MemberBatch sent = batchOf(100);
        MemberBatch received =
                ((MemberBatch) serialization.toObject(serialization.toData(sent))).onMember(serialization);
        assertThat(received.partitionIds()).isEqualTo(sent.partitionIds());
        for (int partition : sent.partitionIds()) {
            assertThat(received.steps(partition)).isEqualTo(sent.steps(partition));
            // Same keys, same steps: the operation the member runs serialises exactly like the sender's.
            assertThat(serialization
                            .toData(received.createPartitionOperation(partition))
                            .totalSize())
                    .isEqualTo(serialization
                            .toData(sent.createPartitionOperation(partition))
                            .totalSize());
        }
    }
}
