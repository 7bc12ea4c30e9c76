package dev.ferry.coordinator.audit;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.spi.impl.SerializationServiceSupport;
import com.hazelcast.spi.merge.MergingValue;
import com.hazelcast.spi.merge.SplitBrainMergePolicy;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * How the ledger's map merges a segment after a split heals, when both sides hold it: nothing is
 * dropped. When one side's lines are a prefix of the other's, the longer copy is kept. When they
 * differ after a common prefix (both sides appended, or one side started the segment anew because
 * it held no copy of it), the longer copy is kept as the chain and the other side's lines after
 * the prefix become the segment's {@link Segment#orphans() orphans}, which {@link ForkRecorder}
 * puts back into the chain as {@link LedgerForks#ACTION} records. Hazelcast's default
 * (put-if-absent) kept only the surviving side's copy, losing what the other side had acknowledged.
 *
 * <p>Public with a no-argument constructor: Hazelcast makes it from its class name.
 */
public final class LedgerMergePolicy<V, T extends MergingValue<V>>
        implements SplitBrainMergePolicy<V, T, Object>, HazelcastInstanceAware {

    private transient HazelcastInstance hazelcast;

    @Override
    public void setHazelcastInstance(HazelcastInstance hazelcast) {
        this.hazelcast = hazelcast;
    }

    @Override
    public Object merge(T merging, T existing) {
        if (existing == null) {
            return merging.getRawValue();
        }
        Segment kept = (Segment) existing.getValue();
        Segment incoming = (Segment) merging.getValue();
        Segment result = merged(kept, incoming);
        if (result.equals(kept)) {
            return existing.getRawValue();
        }
        if (result.equals(incoming)) {
            return merging.getRawValue();
        }
        // The map stores values in serialized form; a value made here must be too.
        return hazelcast instanceof SerializationServiceSupport support
                ? support.getSerializationService().toData(result)
                : result;
    }

    /** What a segment held on both sides becomes: the longer chain, the rest as orphans. */
    static Segment merged(Segment existing, Segment incoming) {
        List<String> a = existing.lines();
        List<String> b = incoming.lines();
        int common = 0;
        if (existing.firstSeq() == incoming.firstSeq()) {
            while (common < a.size() && common < b.size() && a.get(common).equals(b.get(common))) {
                common++;
            }
        }
        Segment base = b.size() > a.size() ? incoming : existing;
        Segment other = base == incoming ? existing : incoming;
        Set<String> orphans = new LinkedHashSet<>(existing.orphans());
        orphans.addAll(incoming.orphans());
        List<String> otherLines = other.lines();
        if (existing.firstSeq() != incoming.firstSeq() || common < otherLines.size()) {
            orphans.addAll(otherLines.subList(common, otherLines.size()));
        }
        orphans.removeAll(base.lines());
        return new Segment(base.firstSeq(), base.lines(), base.lastHash(), new ArrayList<>(orphans));
    }

    @Override
    public void writeData(ObjectDataOutput out) {
        // Nothing to configure.
    }

    @Override
    public void readData(ObjectDataInput in) {
        // Nothing to configure.
    }
}
