package dev.ferry.worker.lease;

/**
 * A snapshot of a worker's counters since it started.
 *
 * @param active jobs leased whose outcome is not settled yet
 * @param succeeded jobs completed as succeeded
 * @param failed jobs completed as failed (not counting hand-backs)
 * @param rejected jobs completed as rejected (refused by the signature gate)
 * @param conflicts jobs whose tag write the coordinator refused
 * @param lost jobs whose lease was lost; not completed, the coordinator re-queues them
 * @param handedBack jobs given back unfinished on drain (reported as temporary failures)
 */
public record WorkerStatus(
        String workerId,
        boolean draining,
        int slots,
        int active,
        long succeeded,
        long failed,
        long rejected,
        long conflicts,
        long lost,
        long handedBack) {}
