package dev.ferry.coordinator.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The rule that lets a plan skip a target HEAD. */
class TagTrustTest {

    private static final Duration HOUR = Duration.ofHours(1);
    private static final long NOW = 10_000_000L;

    @Test
    void aFreshRecordOfTheSourceDigestForAListedTagIsUpToDate() {
        KnownTag record = new KnownTag("sha256:a", NOW - 1_000);

        assertThat(TagTrust.upToDate(record, "sha256:a", HOUR, NOW, true)).isTrue();
    }

    @Test
    void aRecordOfAnotherDigestNeedsAHead() {
        KnownTag record = new KnownTag("sha256:old", NOW - 1_000);

        assertThat(TagTrust.recordVouches(record, "sha256:new", HOUR, NOW)).isFalse();
        assertThat(TagTrust.upToDate(record, "sha256:new", HOUR, NOW, true)).isFalse();
    }

    @Test
    void aTagMissingFromTheTargetsListNeedsAHeadWhateverTheRecordSays() {
        KnownTag record = new KnownTag("sha256:a", NOW - 1_000);

        assertThat(TagTrust.recordVouches(record, "sha256:a", HOUR, NOW)).isTrue();
        assertThat(TagTrust.upToDate(record, "sha256:a", HOUR, NOW, false)).isFalse();
    }

    @Test
    void aRecordAsOldAsTheRecheckPeriodHasExpired() {
        assertThat(TagTrust.recordVouches(new KnownTag("sha256:a", NOW - HOUR.toMillis() + 1), "sha256:a", HOUR, NOW))
                .isTrue();
        assertThat(TagTrust.recordVouches(new KnownTag("sha256:a", NOW - HOUR.toMillis()), "sha256:a", HOUR, NOW))
                .isFalse();
    }

    @Test
    void aPeriodOfZeroTrustsNoRecord() {
        KnownTag justNow = new KnownTag("sha256:a", NOW);

        assertThat(TagTrust.upToDate(justNow, "sha256:a", Duration.ZERO, NOW, true))
                .isFalse();
    }

    @Test
    void noRecordOrADeleteByFerryTrustsNothing() {
        assertThat(TagTrust.upToDate(null, "sha256:a", HOUR, NOW, true)).isFalse();
        assertThat(TagTrust.upToDate(new KnownTag(null, NOW - 1), "sha256:a", HOUR, NOW, true))
                .isFalse();
    }

    @Test
    void theNewerOfTwoRecordsWins() {
        KnownTag written = new KnownTag("sha256:a", 100);
        KnownTag seenLater = new KnownTag("sha256:b", 200);

        assertThat(KnownTag.newer(written, seenLater)).isEqualTo(seenLater);
        assertThat(KnownTag.newer(seenLater, written)).isEqualTo(seenLater);
        assertThat(KnownTag.newer(null, written)).isEqualTo(written);
        assertThat(KnownTag.newer(written, null)).isEqualTo(written);
    }
}
