package dev.ferry.coordinator.quota;

import java.io.Serializable;

/**
 * What the cluster knows of one lease on a link with a quota: who holds it, its weight, the
 * share it was last given, and the bytes it had streamed at its last renew, from which the
 * next renew measures the rate it actually uses.
 *
 * @param at epoch millis of the renew (or grant) that wrote this entry
 * @param rate bytes per second measured between the last two renews; -1 before there are two
 * @param ended the lease is over and holds no share; the entry stays a moment longer so that
 *     every member counts the bytes it streamed last
 */
public record LinkLease(
        String leaseId,
        String jobId,
        String workerId,
        String link,
        String tier,
        int weight,
        long grantedAt,
        long at,
        long bytesStreamed,
        long rate,
        long share,
        boolean ended)
        implements Serializable {

    /** A live lease. */
    public LinkLease(
            String leaseId,
            String jobId,
            String workerId,
            String link,
            String tier,
            int weight,
            long grantedAt,
            long at,
            long bytesStreamed,
            long rate,
            long share) {
        this(leaseId, jobId, workerId, link, tier, weight, grantedAt, at, bytesStreamed, rate, share, false);
    }

    /** This lease over, having streamed {@code finalBytes} in all, at {@code now}. */
    LinkLease ended(long finalBytes, long now) {
        return new LinkLease(
                leaseId,
                jobId,
                workerId,
                link,
                tier,
                weight,
                grantedAt,
                now,
                Math.max(bytesStreamed, finalBytes),
                rate,
                0,
                true);
    }
}
