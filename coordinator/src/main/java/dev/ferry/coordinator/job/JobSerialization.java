package dev.ferry.coordinator.job;

import com.hazelcast.config.SerializationConfig;
import com.hazelcast.config.SerializerConfig;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.StreamSerializer;
import dev.ferry.common.lease.LeaseProtocol.BreakerLimits;
import dev.ferry.common.lease.LeaseProtocol.CredentialsRef;
import dev.ferry.common.lease.LeaseProtocol.Endpoint;
import dev.ferry.common.lease.LeaseProtocol.JobSpec;
import dev.ferry.common.lease.LeaseProtocol.Limits;
import dev.ferry.common.lease.LeaseProtocol.RetryLimits;
import dev.ferry.common.lease.LeaseProtocol.TimeoutLimits;
import dev.ferry.common.lease.Outcome;
import dev.ferry.common.transport.TlsSettings;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Hand-written Hazelcast serializers for jobs, job keys and the job entry processors, and the
 * factory of {@link MemberBatch} (an operation factory, which Hazelcast requires to be
 * identified-data-serializable).
 *
 * <p>Every lease, renew and completion moves a job through serialization several times: the
 * entry processor to its partition, the old value cloned for the index, the new value to the
 * backup and to the indexer's entry event, the result back to the caller. With
 * {@code java.io.Serializable} records that was most of a member's CPU (each stream carries
 * the class descriptors); these write the fields and nothing else.
 *
 * <p>The formats are not persisted anywhere: members of one cluster run one Ferry version.
 * Adding a field means changing writer and reader together, as {@code JobSerializationTest}
 * checks by round trip.
 *
 * <p>Over 300 lines because the binary form of every field of a job; the writer and the reader of each record sit side by side so that their order cannot drift apart.
 */
public final class JobSerialization {

    /** Type ids, clear of Hazelcast's own (negative) and of the Vert.x cluster manager's. */
    static final int JOB = 7101;

    static final int KEY = 7102;
    static final int UPSERT = 7103;
    static final int LEASE = 7104;
    static final int COMPLETE = 7105;
    static final int RENEW = 7106;
    static final int COMMIT_INTENT = 7107;
    static final int EXPIRE = 7108;
    static final int BATCH = 7109;
    static final int STATE = 7110;
    static final int CANCEL = 7120;
    static final int HOLD = 7121;

    private JobSerialization() {}

    /** Registers every serializer here with a member's (or client's) serialization config. */
    public static SerializationConfig register(SerializationConfig config) {
        add(config, Job.class, JOB, JobSerialization::writeJob, JobSerialization::readJob);
        add(config, JobKey.class, KEY, JobSerialization::writeKey, JobSerialization::readKey);
        add(
                config,
                JobProcessors.Upsert.class,
                UPSERT,
                (out, u) -> {
                    writeJob(out, u.planned());
                    out.writeLong(u.now());
                },
                in -> new JobProcessors.Upsert(readJob(in), in.readLong()));
        add(
                config,
                JobProcessors.Lease.class,
                LEASE,
                (out, l) -> {
                    out.writeString(l.leaseId());
                    out.writeString(l.workerId());
                    out.writeLong(l.ttlMillis());
                    out.writeLong(l.now());
                },
                in -> new JobProcessors.Lease(in.readString(), in.readString(), in.readLong(), in.readLong()));
        add(
                config,
                JobProcessors.Renew.class,
                RENEW,
                (out, r) -> {
                    out.writeString(r.leaseId());
                    out.writeLong(r.fencingToken());
                    out.writeLong(r.bytesDone());
                    out.writeLong(r.ttlMillis());
                    out.writeLong(r.now());
                },
                in -> new JobProcessors.Renew(
                        in.readString(), in.readLong(), in.readLong(), in.readLong(), in.readLong()));
        add(
                config,
                JobProcessors.CommitIntent.class,
                COMMIT_INTENT,
                (out, c) -> {
                    out.writeString(c.leaseId());
                    out.writeLong(c.fencingToken());
                    out.writeString(c.tag());
                    out.writeString(c.digest());
                    out.writeString(c.current());
                    out.writeString(c.lastWritten());
                    out.writeString(c.onConflict());
                    out.writeBoolean(c.immutable());
                    out.writeLong(c.now());
                },
                in -> new JobProcessors.CommitIntent(
                        in.readString(),
                        in.readLong(),
                        in.readString(),
                        in.readString(),
                        in.readString(),
                        in.readString(),
                        in.readString(),
                        in.readBoolean(),
                        in.readLong()));
        add(
                config,
                JobProcessors.Complete.class,
                COMPLETE,
                JobSerialization::writeComplete,
                JobSerialization::readComplete);
        add(
                config,
                JobProcessors.Expire.class,
                EXPIRE,
                (out, e) -> out.writeLong(e.now()),
                in -> new JobProcessors.Expire(in.readLong()));
        add(
                config,
                JobProcessors.Cancel.class,
                CANCEL,
                (out, c) -> {
                    out.writeString(c.reason());
                    out.writeLong(c.retentionMillis());
                    out.writeLong(c.now());
                },
                in -> new JobProcessors.Cancel(in.readString(), in.readLong(), in.readLong()));
        add(
                config,
                JobProcessors.Hold.class,
                HOLD,
                (out, h) -> {
                    out.writeString(h.reason());
                    out.writeLong(h.until());
                    out.writeLong(h.now());
                },
                in -> new JobProcessors.Hold(in.readString(), in.readLong(), in.readLong()));
        add(config, JobBatcher.Batch.class, BATCH, JobSerialization::writeBatch, JobSerialization::readBatch);
        add(
                config,
                JobState.class,
                STATE,
                (out, state) -> out.writeByte(state.ordinal()),
                in -> JobState.values()[in.readByte()]);
        config.addDataSerializableFactory(
                MemberBatch.FACTORY_ID, classId -> classId == MemberBatch.CLASS_ID ? new MemberBatch() : null);
        return config;
    }

    @FunctionalInterface
    private interface Writer<T> {
        void write(ObjectDataOutput out, T value) throws IOException;
    }

    @FunctionalInterface
    private interface Reader<T> {
        T read(ObjectDataInput in) throws IOException;
    }

    private static <T> void add(
            SerializationConfig config, Class<T> type, int typeId, Writer<T> writer, Reader<T> reader) {
        config.addSerializerConfig(
                new SerializerConfig().setTypeClass(type).setImplementation(new StreamSerializer<T>() {
                    @Override
                    public void write(ObjectDataOutput out, T value) throws IOException {
                        writer.write(out, value);
                    }

                    @Override
                    public T read(ObjectDataInput in) throws IOException {
                        return reader.read(in);
                    }

                    @Override
                    public int getTypeId() {
                        return typeId;
                    }
                }));
    }

    static void writeKey(ObjectDataOutput out, JobKey k) throws IOException {
        out.writeString(k.id());
        out.writeString(k.partition());
    }

    static JobKey readKey(ObjectDataInput in) throws IOException {
        return new JobKey(in.readString(), in.readString());
    }

    private static void writeEndpoint(ObjectDataOutput out, Endpoint e) throws IOException {
        out.writeBoolean(e != null);
        if (e == null) {
            return;
        }
        out.writeString(e.registry());
        out.writeString(e.url());
        out.writeString(e.repository());
        out.writeString(e.reference());
        CredentialsRef c = e.credentials();
        out.writeBoolean(c != null);
        if (c != null) {
            out.writeString(c.username());
            out.writeString(c.passwordEnv());
            out.writeString(c.passwordFile());
            out.writeString(c.tokenFile());
            out.writeString(c.dockerConfig());
            out.writeLong(c.refreshAfterMillis() == null ? -1 : c.refreshAfterMillis());
        }
        writeLimits(out, e.limits());
        out.writeInt(e.fallbackUrls().size());
        for (String url : e.fallbackUrls()) {
            out.writeString(url);
        }
        TlsSettings tls = e.tls();
        out.writeBoolean(tls != null);
        if (tls != null) {
            out.writeString(tls.caFile());
            out.writeString(tls.certFile());
            out.writeString(tls.keyFile());
            out.writeBoolean(tls.verify());
        }
        out.writeString(e.proxy());
    }

    /** Absent numbers and parts are written as -1 and false. */
    private static void writeLimits(ObjectDataOutput out, Limits l) throws IOException {
        out.writeBoolean(l != null);
        if (l == null) {
            return;
        }
        out.writeInt(l.requestsPerSecond() == null ? -1 : l.requestsPerSecond());
        out.writeInt(l.maxConcurrency() == null ? -1 : l.maxConcurrency());
        RetryLimits r = l.retry();
        out.writeBoolean(r != null);
        if (r != null) {
            out.writeInt(r.maxAttempts());
            out.writeLong(r.initialBackoffMillis());
            out.writeLong(r.maxBackoffMillis());
        }
        BreakerLimits b = l.circuitBreaker();
        out.writeBoolean(b != null);
        if (b != null) {
            out.writeInt(b.failureRateThreshold());
            out.writeInt(b.minimumCalls());
            out.writeLong(b.openForMillis());
        }
        TimeoutLimits t = l.timeouts();
        out.writeBoolean(t != null);
        if (t != null) {
            out.writeLong(t.connectMillis());
            out.writeLong(t.firstByteMillis());
            out.writeLong(t.idleMillis());
        }
    }

    private static Limits readLimits(ObjectDataInput in) throws IOException {
        if (!in.readBoolean()) {
            return null;
        }
        int rps = in.readInt();
        int concurrency = in.readInt();
        RetryLimits r = in.readBoolean() ? new RetryLimits(in.readInt(), in.readLong(), in.readLong()) : null;
        BreakerLimits b = in.readBoolean() ? new BreakerLimits(in.readInt(), in.readInt(), in.readLong()) : null;
        TimeoutLimits t = in.readBoolean() ? new TimeoutLimits(in.readLong(), in.readLong(), in.readLong()) : null;
        return new Limits(rps < 0 ? null : rps, concurrency < 0 ? null : concurrency, r, b, t);
    }

    private static Endpoint readEndpoint(ObjectDataInput in) throws IOException {
        if (!in.readBoolean()) {
            return null;
        }
        String registry = in.readString();
        String url = in.readString();
        String repository = in.readString();
        String reference = in.readString();
        CredentialsRef c = in.readBoolean() ? readCredentials(in) : null;
        Limits limits = readLimits(in);
        int fallbacks = in.readInt();
        List<String> fallbackUrls = new ArrayList<>(fallbacks);
        for (int i = 0; i < fallbacks; i++) {
            fallbackUrls.add(in.readString());
        }
        TlsSettings tls = in.readBoolean()
                ? new TlsSettings(in.readString(), in.readString(), in.readString(), in.readBoolean())
                : null;
        return new Endpoint(registry, url, repository, reference, c, limits, fallbackUrls, tls, in.readString());
    }

    private static CredentialsRef readCredentials(ObjectDataInput in) throws IOException {
        String username = in.readString();
        String passwordEnv = in.readString();
        String passwordFile = in.readString();
        String tokenFile = in.readString();
        String dockerConfig = in.readString();
        long refreshAfter = in.readLong();
        return new CredentialsRef(
                username, passwordEnv, passwordFile, tokenFile, dockerConfig, refreshAfter < 0 ? null : refreshAfter);
    }

    private static void writeSpec(ObjectDataOutput out, JobSpec s) throws IOException {
        out.writeBoolean(s != null);
        if (s == null) {
            return;
        }
        out.writeString(s.policy());
        out.writeString(s.runId());
        out.writeString(s.tier());
        writeEndpoint(out, s.source());
        writeEndpoint(out, s.target());
        List<String> platforms = s.platforms();
        out.writeInt(platforms == null ? -1 : platforms.size());
        if (platforms != null) {
            for (String p : platforms) {
                out.writeString(p);
            }
        }
        out.writeBoolean(s.referrers());
        out.writeInt(s.cosignKeys().size());
        for (String pem : s.cosignKeys()) {
            out.writeString(pem);
        }
        writeStrings(out, s.referrerInclude());
        writeStrings(out, s.referrerExclude());
    }

    private static void writeStrings(ObjectDataOutput out, List<String> values) throws IOException {
        out.writeInt(values.size());
        for (String v : values) {
            out.writeString(v);
        }
    }

    private static List<String> readStrings(ObjectDataInput in) throws IOException {
        int n = in.readInt();
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(in.readString());
        }
        return out;
    }

    private static JobSpec readSpec(ObjectDataInput in) throws IOException {
        if (!in.readBoolean()) {
            return null;
        }
        String policy = in.readString();
        String runId = in.readString();
        String tier = in.readString();
        Endpoint source = readEndpoint(in);
        Endpoint target = readEndpoint(in);
        int n = in.readInt();
        List<String> platforms = null;
        if (n >= 0) {
            List<String> read = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                read.add(in.readString());
            }
            platforms = List.copyOf(read);
        }
        boolean referrers = in.readBoolean();
        int keyCount = in.readInt();
        List<String> keys = new ArrayList<>(keyCount);
        for (int i = 0; i < keyCount; i++) {
            keys.add(in.readString());
        }
        List<String> referrerInclude = readStrings(in);
        List<String> referrerExclude = readStrings(in);
        return new JobSpec(
                policy, runId, tier, source, target, platforms, referrers, keys, referrerInclude, referrerExclude);
    }

    static void writeJob(ObjectDataOutput out, Job j) throws IOException {
        out.writeString(j.id());
        writeKey(out, j.key());
        out.writeString(j.policy());
        out.writeString(j.runId());
        out.writeString(j.tier());
        out.writeString(j.tag());
        out.writeString(j.sourceDigest());
        writeSpec(out, j.spec());
        out.writeByte(j.state().ordinal());
        out.writeInt(j.attempts());
        out.writeLong(j.notBefore());
        out.writeString(j.lastError());
        out.writeLong(j.fencingToken());
        out.writeString(j.leaseId());
        out.writeString(j.workerId());
        out.writeLong(j.leaseExpiresAt());
        out.writeLong(j.bytesDone());
        out.writeString(j.intentDigest());
        out.writeString(j.writtenDigest());
        out.writeLong(j.createdAt());
        out.writeLong(j.updatedAt());
        out.writeString(j.intentPrevious());
        out.writeString(j.intentBackupTag());
    }

    static Job readJob(ObjectDataInput in) throws IOException {
        String id = in.readString();
        JobKey key = readKey(in);
        String policy = in.readString();
        String runId = in.readString();
        String tier = in.readString();
        String tag = in.readString();
        String sourceDigest = in.readString();
        JobSpec spec = readSpec(in);
        JobState state = JobState.values()[in.readByte()];
        int attempts = in.readInt();
        long notBefore = in.readLong();
        String lastError = in.readString();
        long fencingToken = in.readLong();
        String leaseId = in.readString();
        String workerId = in.readString();
        long leaseExpiresAt = in.readLong();
        long bytesDone = in.readLong();
        String intentDigest = in.readString();
        String writtenDigest = in.readString();
        long createdAt = in.readLong();
        long updatedAt = in.readLong();
        String intentPrevious = in.readString();
        String intentBackupTag = in.readString();
        return new Job(
                id,
                key,
                policy,
                runId,
                tier,
                tag,
                sourceDigest,
                spec,
                state,
                attempts,
                notBefore,
                lastError,
                fencingToken,
                leaseId,
                workerId,
                leaseExpiresAt,
                bytesDone,
                intentDigest,
                writtenDigest,
                createdAt,
                updatedAt,
                intentPrevious,
                intentBackupTag);
    }

    private static void writeComplete(ObjectDataOutput out, JobProcessors.Complete c) throws IOException {
        out.writeString(c.leaseId());
        out.writeLong(c.fencingToken());
        out.writeString(c.outcome().wireName());
        out.writeString(c.error());
        out.writeBoolean(c.temporary());
        out.writeLong(c.backoff().base().toMillis());
        out.writeLong(c.backoff().cap().toMillis());
        out.writeInt(c.backoff().maxAttempts());
        out.writeLong(c.retentionMillis());
        out.writeLong(c.now());
        out.writeLong(c.holdMillis());
    }

    private static JobProcessors.Complete readComplete(ObjectDataInput in) throws IOException {
        String leaseId = in.readString();
        long token = in.readLong();
        Outcome outcome = Outcome.parse(in.readString())
                .orElseThrow(() -> new IOException("unknown job outcome in a Complete processor"));
        String error = in.readString();
        boolean temporary = in.readBoolean();
        Backoff backoff = new Backoff(Duration.ofMillis(in.readLong()), Duration.ofMillis(in.readLong()), in.readInt());
        long retention = in.readLong();
        long now = in.readLong();
        return new JobProcessors.Complete(
                leaseId, token, outcome, error, temporary, backoff, retention, now, in.readLong());
    }

    private static void writeBatch(ObjectDataOutput out, JobBatcher.Batch batch) throws IOException {
        out.writeBoolean(batch.primary());
        out.writeInt(batch.steps().size());
        for (Map.Entry<JobKey, EntryProcessor<JobKey, Job, ?>> e : batch.steps().entrySet()) {
            writeKey(out, e.getKey());
            out.writeObject(e.getValue());
        }
    }

    private static JobBatcher.Batch readBatch(ObjectDataInput in) throws IOException {
        boolean primary = in.readBoolean();
        int n = in.readInt();
        Map<JobKey, EntryProcessor<JobKey, Job, ?>> steps = new HashMap<>(n * 2);
        for (int i = 0; i < n; i++) {
            JobKey key = readKey(in);
            EntryProcessor<JobKey, Job, ?> step = in.readObject();
            steps.put(key, step);
        }
        return new JobBatcher.Batch(steps, primary);
    }
}
