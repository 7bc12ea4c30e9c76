package dev.ferry.loadtests.lease;

import java.util.Arrays;
import java.util.List;

/**
 * Latency samples in nanoseconds: a growable long[] per requester (written by one context
 * at a time), merged and sorted once at the end for exact nearest-rank percentiles.
 */
final class Samples {

    private long[] values = new long[4096];
    private int size;

    void add(long nanos) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = nanos;
    }

    int size() {
        return size;
    }

    /** All samples of {@code parts}, sorted. */
    static Sorted merge(List<Samples> parts) {
        int total = 0;
        for (Samples s : parts) {
            total += s.size;
        }
        long[] all = new long[total];
        int at = 0;
        for (Samples s : parts) {
            System.arraycopy(s.values, 0, all, at, s.size);
            at += s.size;
        }
        Arrays.sort(all);
        return new Sorted(all);
    }

    /** Sorted samples. */
    record Sorted(long[] values) {

        int count() {
            return values.length;
        }

        /** The nearest-rank percentile in milliseconds, NaN without samples. */
        double percentileMillis(double p) {
            if (values.length == 0) {
                return Double.NaN;
            }
            int rank = (int) Math.ceil(p / 100.0 * values.length);
            return values[Math.min(values.length, Math.max(1, rank)) - 1] / 1e6;
        }

        double maxMillis() {
            return values.length == 0 ? Double.NaN : values[values.length - 1] / 1e6;
        }
    }
}
