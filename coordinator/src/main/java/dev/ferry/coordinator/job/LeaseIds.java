package dev.ferry.coordinator.job;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

/**
 * Lease ids carry their job's key, so renew, commit-intent and complete go straight to the
 * job's partition without a lookup: {@code <random>.<base64url(id \n partition)>}.
 */
public final class LeaseIds {

    private LeaseIds() {}

    public static String newLeaseId(JobKey key) {
        String encoded = Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString((key.id() + "\n" + key.partition()).getBytes(StandardCharsets.UTF_8));
        return UUID.randomUUID().toString().replace("-", "") + "." + encoded;
    }

    /** The job key inside a lease id; IllegalArgumentException when it is not one of ours. */
    public static JobKey keyOf(String leaseId) {
        int dot = leaseId.indexOf('.');
        if (dot <= 0) {
            throw new IllegalArgumentException("malformed lease id");
        }
        String decoded;
        try {
            decoded = new String(Base64.getUrlDecoder().decode(leaseId.substring(dot + 1)), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed lease id");
        }
        int nl = decoded.indexOf('\n');
        if (nl <= 0 || decoded.indexOf('|', nl) < 0) {
            throw new IllegalArgumentException("malformed lease id");
        }
        return new JobKey(decoded.substring(0, nl), decoded.substring(nl + 1));
    }
}
