package dev.ferry.worker.lease;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.common.digest.Digest;
import dev.ferry.common.digest.DigestMismatchException;
import dev.ferry.common.lease.Outcome;
import dev.ferry.common.manifest.InvalidManifestException;
import dev.ferry.common.transport.RegistryException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class VerdictTest {

    private static final Digest D = Digest.parse("sha256:" + "a".repeat(64));
    private static final Digest E = Digest.parse("sha256:" + "b".repeat(64));

    @Test
    void retryabilityComesFromTheErrorType() {
        assertThat(Verdict.of(RegistryException.network("GET blob", new ConnectException("refused"))))
                .isEqualTo(new Verdict(Outcome.FAILED, "GET blob: refused", true));
        assertThat(Verdict.of(RegistryException.fromResponse("PUT blob", 503, "", Duration.ofSeconds(1)))
                        .temporary())
                .isTrue();
        assertThat(Verdict.of(RegistryException.fromResponse("GET manifest", 404, "", null)))
                .extracting(Verdict::outcome, Verdict::temporary)
                .containsExactly(Outcome.FAILED, false);
        // Corrupt bytes may be a bad connection or a cache: a failed attempt, retried a bounded number of times.
        assertThat(Verdict.of(new DigestMismatchException(D, 10, E, 10, "blob " + D + " hashed to " + E)))
                .extracting(Verdict::outcome, Verdict::temporary)
                .containsExactly(Outcome.FAILED, true);
        assertThat(Verdict.of(new CoordinatorException(0, "unreachable", "commit-intent: refused", null))
                        .temporary())
                .isTrue();
        assertThat(Verdict.of(new CredentialsResolver.CredentialsException("registry hub: X is not set"))
                        .temporary())
                .isFalse();
    }

    @Test
    void aSignatureRejectionIsRejectedWithItsReasonAndNotRetried() {
        var completion = Verdict.of(new dev.ferry.common.signature.SignatureRejectedException("no cosign signature"))
                .completion(3);

        assertThat(completion)
                .isEqualTo(new dev.ferry.common.lease.LeaseProtocol.Completion(
                        3, "rejected", "no cosign signature", false, null, "signature"));
        assertThat(Verdict.of(new InvalidJobException("bad url")).completion(3).reason())
                .isNull();
    }

    @Test
    void badInputFailsForGoodAndOnlyTheSignatureGateRejects() {
        assertThat(Verdict.of(new InvalidManifestException("indexes nested deeper than 4 levels")))
                .extracting(Verdict::outcome, Verdict::temporary, Verdict::error)
                .containsExactly(Outcome.FAILED, false, "indexes nested deeper than 4 levels");
        assertThat(Verdict.of(new InvalidJobException("bad url")))
                .extracting(Verdict::outcome, Verdict::temporary)
                .containsExactly(Outcome.FAILED, false);
        assertThat(Verdict.of(new dev.ferry.common.digest.InvalidDigestException("digest is empty"))
                        .outcome())
                .isEqualTo(Outcome.FAILED);
        assertThat(Verdict.of(new CommitRefusedException("refused")).outcome()).isEqualTo(Outcome.CONFLICT);
        assertThat(Verdict.handedBack("worker draining").completion(4))
                .isEqualTo(new dev.ferry.common.lease.LeaseProtocol.Completion(4, "failed", "worker draining", true));
        assertThat(Verdict.of(new IllegalStateException("x".repeat(5000))).error())
                .hasSize(1003);
        assertThat(List.of(Verdict.succeeded().completion(1).outcome())).containsExactly("succeeded");
    }

    @Test
    void anUnavailableRegistryHoldsTheJobWithTheBreakersWait() {
        var unavailable = new dev.ferry.worker.resilience.RegistryUnavailableException(
                "hub",
                Duration.ofMillis(12_345),
                RegistryException.network("GET blob", new ConnectException("refused")));

        var completion = Verdict.of(unavailable).completion(3);

        assertThat(completion.outcome()).isEqualTo("held");
        assertThat(completion.holdMillis()).isEqualTo(12_345L);
        assertThat(completion.temporary()).isTrue();
        assertThat(completion.error()).contains("registry hub is unavailable");
        assertThat(Verdict.of(RegistryException.network("GET blob", new ConnectException("refused")))
                        .completion(3)
                        .holdMillis())
                .isNull();
    }

    @Test
    void aSpentPullBudgetHoldsTheJobUntilAboutOnePullHasFreedUp() {
        var exhausted = new dev.ferry.common.transport.PullBudgetExhaustedException(
                "registry-1.docker.io", 100, Duration.ofHours(6), Duration.ofSeconds(216));

        var completion = Verdict.of(exhausted).completion(2);

        assertThat(completion.outcome()).isEqualTo("held");
        assertThat(completion.holdMillis()).isEqualTo(216_000L);
        assertThat(completion.error()).startsWith("registry registry-1.docker.io: pull budget exhausted (0 of 100");
    }

    @Test
    void aCredentialHelperThatTimedOutIsRetriedAndAMissingOneIsNot() {
        assertThat(Verdict.of(new dev.ferry.common.dockerconfig.DockerConfigException("helper x timed out", true)))
                .extracting(Verdict::outcome, Verdict::temporary)
                .containsExactly(Outcome.FAILED, true);
        assertThat(Verdict.of(new dev.ferry.common.dockerconfig.DockerConfigException("helper x not on PATH", false)))
                .extracting(Verdict::outcome, Verdict::temporary)
                .containsExactly(Outcome.FAILED, false);
    }
}
