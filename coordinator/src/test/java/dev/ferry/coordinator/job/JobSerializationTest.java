package dev.ferry.coordinator.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.config.SerializationConfig;
import com.hazelcast.internal.serialization.Data;
import com.hazelcast.internal.serialization.InternalSerializationService;
import com.hazelcast.internal.serialization.impl.DefaultSerializationServiceBuilder;
import dev.ferry.common.lease.LeaseProtocol.BreakerLimits;
import dev.ferry.common.lease.LeaseProtocol.CredentialsRef;
import dev.ferry.common.lease.LeaseProtocol.Endpoint;
import dev.ferry.common.lease.LeaseProtocol.JobSpec;
import dev.ferry.common.lease.LeaseProtocol.Limits;
import dev.ferry.common.lease.LeaseProtocol.RetryLimits;
import dev.ferry.common.lease.LeaseProtocol.TimeoutLimits;
import dev.ferry.common.lease.Outcome;
import dev.ferry.common.transport.TlsSettings;
import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class JobSerializationTest {

    private final InternalSerializationService serialization = new DefaultSerializationServiceBuilder()
            .setConfig(JobSerialization.register(new SerializationConfig()))
            .build();

    @AfterEach
    void destroy() {
        serialization.dispose();
    }

    private <T> T roundTrip(T value, int expectedTypeId) {
        Data data = serialization.toData(value);
        assertThat(data.getType())
                .as("serializer type id of %s", value.getClass().getSimpleName())
                .isEqualTo(expectedTypeId);
        return serialization.toObject(data);
    }

    private static JobSpec spec() {
        return new JobSpec(
                "mirror",
                "run-1",
                "high",
                new Endpoint(
                        "src",
                        "https://127.0.0.1:5000",
                        "library/app",
                        "v1.2.3",
                        new CredentialsRef(null, null, null, null, "/etc/ferry/docker-config.json", 300_000L),
                        new Limits(
                                50,
                                null,
                                new RetryLimits(3, 250, 8_000),
                                new BreakerLimits(40, 7, 12_000),
                                new TimeoutLimits(1_000, 2_000, 3_000)),
                        List.of("https://127.0.0.1:5001", "https://replica"),
                        new TlsSettings(null, null, null, false),
                        "direct"),
                new Endpoint(
                        "dst",
                        "https://harbor.internal",
                        "mirror/app",
                        "v1.2.3",
                        new CredentialsRef("robot", "DST_PASSWORD", null, null),
                        new Limits(null, 4, null, null, null),
                        List.of(),
                        new TlsSettings("/etc/ferry/ca.pem", "/run/c.crt", "/run/c.key", true),
                        "http://proxy.internal:3128"),
                List.of("linux/amd64", "linux/arm64/v8"),
                true,
                List.of("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n", "second key"),
                List.of("signature", "application/spdx+json"),
                List.of("attestation"));
    }

    private static Job fullJob() {
        JobKey key = JobKey.of("id-1", "high", "dst", "mirror/app");
        return new Job(
                "id-1",
                key,
                "mirror",
                "run-1",
                "high",
                "v1.2.3",
                "sha256:" + "a".repeat(64),
                spec(),
                JobState.LEASED,
                3,
                1234L,
                "timeout talking to src",
                17L,
                "lease-9",
                "worker-2",
                99_000L,
                4096L,
                "sha256:" + "b".repeat(64),
                "sha256:" + "c".repeat(64),
                10L,
                20L,
                "sha256:" + "e".repeat(64),
                "v1.2.3-ferry-backup-1700000000");
    }

    @Test
    void jobsKeepEveryFieldIncludingNulls() {
        Job full = fullJob();
        assertThat(roundTrip(full, JobSerialization.JOB)).isEqualTo(full);

        Job sparse = Job.planned(
                JobKey.of("id-2", "bulk", "dst", "r"),
                "p",
                "run-2",
                "bulk",
                "latest",
                "sha256:" + "d".repeat(64),
                new JobSpec(
                        "p", "run-2", "bulk", new Endpoint("s", "https://s", "r", "latest", null), null, null, false),
                5L);
        assertThat(roundTrip(sparse, JobSerialization.JOB)).isEqualTo(sparse);
        Job noSpec = new Job(
                "id-3",
                sparse.key(),
                null,
                null,
                "bulk",
                null,
                null,
                null,
                JobState.HELD,
                0,
                0,
                null,
                0,
                null,
                null,
                0,
                0,
                null,
                null,
                0,
                0,
                null,
                null);
        assertThat(roundTrip(noSpec, JobSerialization.JOB)).isEqualTo(noSpec);
    }

    @Test
    void theReferrerFilterTravelsInTheJob() {
        Job back = roundTrip(fullJob(), JobSerialization.JOB);
        assertThat(back.spec().referrerInclude()).containsExactly("signature", "application/spdx+json");
        assertThat(back.spec().referrerExclude()).containsExactly("attestation");
        Job plain = roundTrip(
                Job.planned(
                        JobKey.of("id-4", "bulk", "dst", "r"),
                        "p",
                        "run-4",
                        "bulk",
                        "latest",
                        "sha256:" + "d".repeat(64),
                        new JobSpec(
                                "p",
                                "run-4",
                                "bulk",
                                new Endpoint("s", "https://s", "r", "latest", null),
                                null,
                                null,
                                true),
                        5L),
                JobSerialization.JOB);
        assertThat(plain.spec().referrers()).isTrue();
        assertThat(plain.spec().referrerInclude()).isEmpty();
        assertThat(plain.spec().referrerExclude()).isEmpty();
    }

    @Test
    void keysKeepTheirPartition() {
        JobKey key = JobKey.of("id", "critical", "reg", "a/b");
        JobKey back = roundTrip(key, JobSerialization.KEY);
        assertThat(back).isEqualTo(key);
        assertThat(back.getPartitionKey()).isEqualTo("critical|reg|a/b");
    }

    @Test
    void everyEntryProcessorRoundTrips() {
        Job full = fullJob();
        assertThat(roundTrip(new JobProcessors.Upsert(full, 7L), JobSerialization.UPSERT))
                .isEqualTo(new JobProcessors.Upsert(full, 7L));
        assertThat(roundTrip(new JobProcessors.Lease("l", "w", 15_000L, 8L), JobSerialization.LEASE))
                .isEqualTo(new JobProcessors.Lease("l", "w", 15_000L, 8L));
        assertThat(roundTrip(new JobProcessors.Renew("l", 4L, 1L << 40, 15_000L, 9L), JobSerialization.RENEW))
                .isEqualTo(new JobProcessors.Renew("l", 4L, 1L << 40, 15_000L, 9L));
        JobProcessors.CommitIntent intent =
                new JobProcessors.CommitIntent("l", 4L, "v1", "sha256:x", "sha256:t", null, "backup", true, 10L);
        assertThat(roundTrip(intent, JobSerialization.COMMIT_INTENT)).isEqualTo(intent);
        JobProcessors.Complete complete = new JobProcessors.Complete(
                "l",
                4L,
                Outcome.FAILED,
                "boom",
                true,
                new Backoff(Duration.ofSeconds(2), Duration.ofMinutes(3), 5),
                60_000L,
                11L);
        assertThat(roundTrip(complete, JobSerialization.COMPLETE)).isEqualTo(complete);
        JobProcessors.Complete held = new JobProcessors.Complete(
                "l", 4L, Outcome.HELD, "registry down", true, Backoff.defaults(), 60_000L, 11L, 29_500L);
        assertThat(roundTrip(held, JobSerialization.COMPLETE)).isEqualTo(held);
        JobProcessors.Complete noError =
                new JobProcessors.Complete("l", 4L, Outcome.SUCCEEDED, null, false, Backoff.defaults(), 1L, 12L);
        assertThat(roundTrip(noError, JobSerialization.COMPLETE)).isEqualTo(noError);
        assertThat(roundTrip(new JobProcessors.Expire(13L), JobSerialization.EXPIRE))
                .isEqualTo(new JobProcessors.Expire(13L));
        assertThat(roundTrip(new JobProcessors.Cancel("cancelled by ops", 3_600_000L, 14L), JobSerialization.CANCEL))
                .isEqualTo(new JobProcessors.Cancel("cancelled by ops", 3_600_000L, 14L));
    }

    @Test
    void theJobFormatIsMuchSmallerThanJavaSerialization() throws Exception {
        Job full = fullJob();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(full);
        }
        assertThat(serialization.toData(full).totalSize()).isLessThan(bytes.size() / 2);
    }
}
