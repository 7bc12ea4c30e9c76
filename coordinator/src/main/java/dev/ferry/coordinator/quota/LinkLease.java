package dev.ferry.coordinator.quota;

import java.io.Serializable;

/**
 * What the cluster knows of one lease on a link with a quota: who holds it, its weight, the
 * share it was last given, and the bytes it had streamed at its last renew, from which the
 * next renew measures the rate it actually uses.
 *
 * @param at epoch millis of the renew (or grant) that wrote this entry
 * @param rate bytes per second measured between the last two renews; -1 before there are two
 */
public record LinkLease(String leaseId, String jobId, String workerId, String link, String tier, int weight,
    long grantedAt, long at, long bytesStreamed, long rate, long share) implements Serializable {}
