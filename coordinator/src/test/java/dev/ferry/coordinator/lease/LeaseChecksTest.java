package dev.ferry.coordinator.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.common.lease.LeaseProtocol;
import dev.ferry.coordinator.error.ApiException;
import java.util.List;
import org.junit.jupiter.api.Test;

class LeaseChecksTest {

    private static LeaseProtocol.LeaseRequest asking(int capacity) {
        return new LeaseProtocol.LeaseRequest("eu", capacity, 0, List.of());
    }

    @Test
    void aPollMayAskForAsManyJobsAsAWorkerHasSlotsAndNoMore() {
        assertThat(LeaseChecks.MAX_CAPACITY).isEqualTo(256);
        assertThat(LeaseChecks.leaseRequest(asking(1)).capacity()).isEqualTo(1);
        assertThat(LeaseChecks.leaseRequest(asking(256)).capacity()).isEqualTo(256);
        assertThatThrownBy(() -> LeaseChecks.leaseRequest(asking(257)))
                .isInstanceOf(ApiException.class)
                .hasMessage("field \"capacity\" must be between 1 and 256; got 257")
                .satisfies(e -> assertThat(((ApiException) e).status()).isEqualTo(400));
        assertThatThrownBy(() -> LeaseChecks.leaseRequest(asking(0)))
                .hasMessage("field \"capacity\" must be between 1 and 256; got 0");
    }

    @Test
    void aCompletionNamesOneOfTheOutcomes() {
        var completion = new LeaseProtocol.Completion(1, "maybe", null, false, null, null, null);
        assertThatThrownBy(() -> LeaseChecks.completion(completion))
                .hasMessage(
                        "field \"outcome\" must be one of succeeded, failed, conflict, rejected, held; got \"maybe\"");
    }

    @Test
    void aCommitIntentNamesAnOciTagAndDigestsOfAKnownAlgorithm() {
        String digest = "sha256:" + "a".repeat(64);
        assertThatThrownBy(() -> LeaseChecks.commitIntent(new LeaseProtocol.CommitIntent(7, "-v1", digest)))
                .hasMessage("field \"tag\" must be an OCI tag: [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
        assertThatThrownBy(() -> LeaseChecks.commitIntent(new LeaseProtocol.CommitIntent(7, "v1", "md5:00")))
                .hasMessage("field \"digest\": unsupported digest algorithm \"md5\" (supported: sha256, sha512)");
        assertThatThrownBy(() -> LeaseChecks.commitIntent(new LeaseProtocol.CommitIntent(7, "v1", digest, "md5:00")))
                .hasMessage("field \"current\": unsupported digest algorithm \"md5\" (supported: sha256, sha512)");
        assertThat(LeaseChecks.commitIntent(new LeaseProtocol.CommitIntent(7, "v1", digest))
                        .digest())
                .isEqualTo(digest);
    }

    @Test
    void aRejectionGivesNoReasonButTheSignatureGate() {
        var completion = new LeaseProtocol.Completion(7, "rejected", null, false, null, "bad", null);
        assertThatThrownBy(() -> LeaseChecks.completion(completion))
                .hasMessage("field \"reason\" must be signature when given; got \"bad\"");
    }
}
