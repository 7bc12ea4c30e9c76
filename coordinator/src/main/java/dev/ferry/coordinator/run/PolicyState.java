package dev.ferry.coordinator.run;

import com.hazelcast.map.EntryProcessor;
import java.io.Serializable;
import java.util.Map;

/**
 * A policy's cluster-wide runtime state: paused or not, its active run, and whether a
 * trigger arrived during that run (it is coalesced into one more run afterwards).
 */
public record PolicyState(String name, boolean paused, String activeRun, boolean rerunRequested, String lastRun)
        implements Serializable {

    static PolicyState initial(String name) {
        return new PolicyState(name, false, null, false, null);
    }

    /** Outcome of a trigger. */
    public enum Start {
        STARTED,
        COALESCED,
        PAUSED
    }

    /**
     * What a trigger did, and the run it concerns: the one started, the active one it was
     * coalesced into, or (paused) the policy's last run.
     */
    public record Started(Start start, String runId) implements Serializable {}

    /** Starts a run unless one is active (then coalesces) or the policy is paused. */
    record StartRun(String name, String runId) implements EntryProcessor<String, PolicyState, Started> {
        @Override
        public Started process(Map.Entry<String, PolicyState> entry) {
            PolicyState s = entry.getValue() == null ? initial(name) : entry.getValue();
            if (s.paused()) {
                return new Started(Start.PAUSED, s.lastRun());
            }
            if (s.activeRun() != null) {
                entry.setValue(new PolicyState(name, false, s.activeRun(), true, s.lastRun()));
                return new Started(Start.COALESCED, s.activeRun());
            }
            entry.setValue(new PolicyState(name, false, runId, false, runId));
            return new Started(Start.STARTED, runId);
        }
    }

    /** Ends the active run; answers whether a coalesced trigger asks for another run. */
    record EndRun(String runId) implements EntryProcessor<String, PolicyState, Boolean> {
        @Override
        public Boolean process(Map.Entry<String, PolicyState> entry) {
            PolicyState s = entry.getValue();
            if (s == null || !runId.equals(s.activeRun())) {
                return false;
            }
            entry.setValue(new PolicyState(s.name(), s.paused(), null, false, s.lastRun()));
            return s.rerunRequested() && !s.paused();
        }
    }

    record SetPaused(String name, boolean paused) implements EntryProcessor<String, PolicyState, PolicyState> {
        @Override
        public PolicyState process(Map.Entry<String, PolicyState> entry) {
            PolicyState s = entry.getValue() == null ? initial(name) : entry.getValue();
            PolicyState next = new PolicyState(name, paused, s.activeRun(), s.rerunRequested() && !paused, s.lastRun());
            entry.setValue(next);
            return next;
        }
    }
}
