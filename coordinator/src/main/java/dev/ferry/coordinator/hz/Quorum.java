package dev.ferry.coordinator.hz;

import com.hazelcast.splitbrainprotection.SplitBrainProtectionException;

/** Recognises work the cluster refused because this member cannot see a majority (a split). */
public final class Quorum {

    private Quorum() {}

    /** Whether Hazelcast's split-brain protection refused {@code failure}, however it was wrapped. */
    public static boolean lost(Throwable failure) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 20; t = t.getCause(), depth++) {
            if (t instanceof SplitBrainProtectionException) {
                return true;
            }
        }
        return false;
    }

    /** A person's words for {@code failure}: the split named plainly, anything else as it is. */
    public static String describe(Throwable failure) {
        return lost(failure)
                ? "this member cannot see a majority of its cluster (a network split); the majority side or the"
                        + " next sync after the heal does it"
                : String.valueOf(failure.getMessage());
    }
}
