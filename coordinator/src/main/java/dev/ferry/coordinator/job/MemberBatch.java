package dev.ferry.coordinator.job;

import com.hazelcast.internal.serialization.Data;
import com.hazelcast.internal.serialization.SerializationService;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.impl.operation.MultipleEntryOperation;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.spi.impl.NodeEngine;
import com.hazelcast.spi.impl.operationservice.Operation;
import com.hazelcast.spi.impl.operationservice.impl.operations.PartitionAwareOperationFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The part of one {@link JobBatcher} batch that goes to one member: for each of that member's
 * partitions, the keys on it and their steps, and nothing else.
 *
 * <p>Why not {@code IMap.submitToKeys}: in Hazelcast 5.3 it hands every partition operation
 * the whole key set and the whole entry processor, and each partition's backup operation
 * serialises every key of the batch again. A batch of B jobs over P partitions so costs B × P
 * keys on the wire and B × P key checks on the partition threads, which is B² for the batches
 * the lease path makes (B up to {@link JobBatcher#MAX_BATCH}, spread over all partitions).
 * Here each partition operation, and its backup, carries its own keys and steps only, so
 * what a batch serialises grows linearly with B. The operations are Hazelcast's own
 * {@link MultipleEntryOperation}s, so atomicity per entry, backups, split-brain protection
 * and retries after a migration stay Hazelcast's.
 *
 * <p>It crosses the wire once per member (as the factory of Hazelcast's partition-iterating
 * operation); the receiving member rebuilds the serialised keys from the job keys.
 */
public final class MemberBatch extends PartitionAwareOperationFactory {

    /** The data-serializable factory of Ferry's Hazelcast types (Hazelcast's own ids are negative). */
    public static final int FACTORY_ID = 7100;

    static final int CLASS_ID = 1;

    private String mapName;
    private final Map<Integer, Map<JobKey, EntryProcessor<JobKey, Job, ?>>> steps = new LinkedHashMap<>();
    /** The serialised keys per partition: filled as steps are added, or rebuilt on the receiving member. */
    private Map<Integer, Set<Data>> keys = new HashMap<>();

    /** For deserialisation. */
    public MemberBatch() {}

    public MemberBatch(String mapName) {
        this.mapName = mapName;
    }

    /** Adds one job's step; {@code key} serialised is {@code data}, which lives on {@code partition}. */
    public void add(int partition, JobKey key, Data data, EntryProcessor<JobKey, Job, ?> step) {
        steps.computeIfAbsent(partition, p -> new LinkedHashMap<>()).put(key, step);
        keys.computeIfAbsent(partition, p -> new HashSet<>()).add(data);
    }

    public List<Integer> partitionIds() {
        return new ArrayList<>(steps.keySet());
    }

    /** The steps bound for one partition. */
    public Map<JobKey, EntryProcessor<JobKey, Job, ?>> steps(int partition) {
        return steps.getOrDefault(partition, Map.of());
    }

    @Override
    public PartitionAwareOperationFactory createFactoryOnRunner(NodeEngine nodeEngine, int[] partitions) {
        return onMember(nodeEngine.getSerializationService());
    }

    /** Ready to create operations where it arrived: the serialised keys rebuilt from the job keys. */
    MemberBatch onMember(SerializationService serialization) {
        if (keys == null) {
            Map<Integer, Set<Data>> rebuilt = new HashMap<>(steps.size() * 2);
            steps.forEach((partition, mine) -> {
                Set<Data> data = new HashSet<>(mine.size() * 2);
                mine.keySet().forEach(k -> data.add(serialization.toData(k)));
                rebuilt.put(partition, data);
            });
            keys = rebuilt;
        }
        return this;
    }

    /** The partition's entry processor operation: its keys, and a batch of their steps only. */
    @Override
    public Operation createPartitionOperation(int partition) {
        return new MultipleEntryOperation(
                mapName, keys.getOrDefault(partition, Set.of()), new JobBatcher.Batch(steps(partition), true));
    }

    @Override
    public int getFactoryId() {
        return FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return CLASS_ID;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeString(mapName);
        out.writeInt(steps.size());
        for (Map.Entry<Integer, Map<JobKey, EntryProcessor<JobKey, Job, ?>>> part : steps.entrySet()) {
            out.writeInt(part.getKey());
            out.writeInt(part.getValue().size());
            for (Map.Entry<JobKey, EntryProcessor<JobKey, Job, ?>> e :
                    part.getValue().entrySet()) {
                JobSerialization.writeKey(out, e.getKey());
                out.writeObject(e.getValue());
            }
        }
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        mapName = in.readString();
        int partitions = in.readInt();
        for (int i = 0; i < partitions; i++) {
            int partition = in.readInt();
            int n = in.readInt();
            Map<JobKey, EntryProcessor<JobKey, Job, ?>> mine = new LinkedHashMap<>(n * 2);
            for (int j = 0; j < n; j++) {
                JobKey key = JobSerialization.readKey(in);
                EntryProcessor<JobKey, Job, ?> step = in.readObject();
                mine.put(key, step);
            }
            steps.put(partition, mine);
        }
        keys = null;
    }
}
