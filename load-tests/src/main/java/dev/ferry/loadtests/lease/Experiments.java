package dev.ferry.loadtests.lease;

import com.hazelcast.config.Config;
import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.SerializerConfig;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.StreamSerializer;
import dev.ferry.common.lease.LeaseProtocol;
import dev.ferry.coordinator.job.Backoff;
import dev.ferry.coordinator.job.Job;
import dev.ferry.coordinator.job.JobKey;
import dev.ferry.coordinator.job.JobProcessors;
import dev.ferry.coordinator.job.JobState;
import dev.ferry.coordinator.job.JobStore;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What-if changes to the member configuration, to size proposed coordinator fixes before
 * anyone makes them. None is on by default: without {@code --experiment} the benchmark runs
 * the configuration {@code HazelcastConfigs.member} gives production.
 *
 * <ul>
 *   <li>{@code serializers}: jobs, job keys and the entry processors written by hand-rolled
 *       Hazelcast {@link StreamSerializer}s instead of {@code java.io.Serializable} (what
 *       Compact or IdentifiedDataSerializable classes in the coordinator would do);
 *   <li>{@code no-index}: the jobs map without its {@code runId} index, so an entry processor
 *       on an OBJECT-format map no longer clones the old value first;
 *   <li>{@code binary}: the jobs map in BINARY in-memory format.
 * </ul>
 */
final class Experiments {

  static final Set<String> KNOWN = Set.of("serializers", "no-index", "binary");

  private Experiments() {}

  static Config apply(Config config, Set<String> experiments) {
    MapConfig jobs = config.getMapConfig(JobStore.MAP_NAME);
    if (experiments.contains("no-index")) {
      jobs.getIndexConfigs().clear();
    }
    if (experiments.contains("binary")) {
      jobs.setInMemoryFormat(InMemoryFormat.BINARY);
    }
    if (experiments.contains("serializers")) {
      add(config, Job.class, new JobSerializer());
      add(config, JobKey.class, new KeySerializer());
      add(config, JobProcessors.Upsert.class, new UpsertSerializer());
      add(config, JobProcessors.Lease.class, new LeaseSerializer());
      add(config, JobProcessors.Complete.class, new CompleteSerializer());
    }
    return config;
  }

  private static <T> void add(Config config, Class<T> type, StreamSerializer<T> serializer) {
    config.getSerializationConfig().addSerializerConfig(
        new SerializerConfig().setTypeClass(type).setImplementation(serializer));
  }

  static void writeKey(ObjectDataOutput out, JobKey k) throws IOException {
    out.writeString(k.id());
    out.writeString(k.partition());
  }

  static JobKey readKey(ObjectDataInput in) throws IOException {
    return new JobKey(in.readString(), in.readString());
  }

  static void writeEndpoint(ObjectDataOutput out, LeaseProtocol.Endpoint e) throws IOException {
    out.writeString(e.registry());
    out.writeString(e.url());
    out.writeString(e.repository());
    out.writeString(e.reference());
    LeaseProtocol.CredentialsRef c = e.credentials();
    out.writeBoolean(c != null);
    if (c != null) {
      out.writeString(c.username());
      out.writeString(c.passwordEnv());
      out.writeString(c.passwordFile());
      out.writeString(c.tokenFile());
    }
  }

  static LeaseProtocol.Endpoint readEndpoint(ObjectDataInput in) throws IOException {
    String registry = in.readString();
    String url = in.readString();
    String repository = in.readString();
    String reference = in.readString();
    LeaseProtocol.CredentialsRef c = in.readBoolean()
        ? new LeaseProtocol.CredentialsRef(in.readString(), in.readString(), in.readString(), in.readString())
        : null;
    return new LeaseProtocol.Endpoint(registry, url, repository, reference, c);
  }

  static void writeJob(ObjectDataOutput out, Job j) throws IOException {
    out.writeString(j.id());
    writeKey(out, j.key());
    out.writeString(j.policy());
    out.writeString(j.runId());
    out.writeString(j.tier());
    out.writeString(j.tag());
    out.writeString(j.sourceDigest());
    LeaseProtocol.JobSpec s = j.spec();
    out.writeString(s.policy());
    out.writeString(s.runId());
    out.writeString(s.tier());
    writeEndpoint(out, s.source());
    writeEndpoint(out, s.target());
    out.writeInt(s.platforms().size());
    for (String p : s.platforms()) {
      out.writeString(p);
    }
    out.writeBoolean(s.referrers());
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
  }

  static Job readJob(ObjectDataInput in) throws IOException {
    String id = in.readString();
    JobKey key = readKey(in);
    String policy = in.readString();
    String runId = in.readString();
    String tier = in.readString();
    String tag = in.readString();
    String sourceDigest = in.readString();
    String specPolicy = in.readString();
    String specRun = in.readString();
    String specTier = in.readString();
    LeaseProtocol.Endpoint source = readEndpoint(in);
    LeaseProtocol.Endpoint target = readEndpoint(in);
    int n = in.readInt();
    List<String> platforms = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      platforms.add(in.readString());
    }
    LeaseProtocol.JobSpec spec = new LeaseProtocol.JobSpec(specPolicy, specRun, specTier, source, target,
        List.copyOf(platforms), in.readBoolean());
    JobState state = JobState.values()[in.readByte()];
    return new Job(id, key, policy, runId, tier, tag, sourceDigest, spec, state, in.readInt(), in.readLong(),
        in.readString(), in.readLong(), in.readString(), in.readString(), in.readLong(), in.readLong(),
        in.readString(), in.readString(), in.readLong(), in.readLong());
  }

  static final class JobSerializer implements StreamSerializer<Job> {
    @Override
    public void write(ObjectDataOutput out, Job j) throws IOException {
      writeJob(out, j);
    }

    @Override
    public Job read(ObjectDataInput in) throws IOException {
      return readJob(in);
    }

    @Override
    public int getTypeId() {
      return 7101;
    }
  }

  static final class KeySerializer implements StreamSerializer<JobKey> {
    @Override
    public void write(ObjectDataOutput out, JobKey k) throws IOException {
      writeKey(out, k);
    }

    @Override
    public JobKey read(ObjectDataInput in) throws IOException {
      return readKey(in);
    }

    @Override
    public int getTypeId() {
      return 7102;
    }
  }

  static final class UpsertSerializer implements StreamSerializer<JobProcessors.Upsert> {
    @Override
    public void write(ObjectDataOutput out, JobProcessors.Upsert u) throws IOException {
      writeJob(out, u.planned());
      out.writeLong(u.now());
    }

    @Override
    public JobProcessors.Upsert read(ObjectDataInput in) throws IOException {
      return new JobProcessors.Upsert(readJob(in), in.readLong());
    }

    @Override
    public int getTypeId() {
      return 7103;
    }
  }

  static final class LeaseSerializer implements StreamSerializer<JobProcessors.Lease> {
    @Override
    public void write(ObjectDataOutput out, JobProcessors.Lease l) throws IOException {
      out.writeString(l.leaseId());
      out.writeString(l.workerId());
      out.writeLong(l.ttlMillis());
      out.writeLong(l.now());
    }

    @Override
    public JobProcessors.Lease read(ObjectDataInput in) throws IOException {
      return new JobProcessors.Lease(in.readString(), in.readString(), in.readLong(), in.readLong());
    }

    @Override
    public int getTypeId() {
      return 7104;
    }
  }

  static final class CompleteSerializer implements StreamSerializer<JobProcessors.Complete> {
    @Override
    public void write(ObjectDataOutput out, JobProcessors.Complete c) throws IOException {
      out.writeString(c.leaseId());
      out.writeLong(c.fencingToken());
      out.writeString(c.outcome());
      out.writeString(c.error());
      out.writeBoolean(c.temporary());
      out.writeLong(c.backoff().base().toMillis());
      out.writeLong(c.backoff().cap().toMillis());
      out.writeInt(c.backoff().maxAttempts());
      out.writeLong(c.retentionMillis());
      out.writeLong(c.now());
    }

    @Override
    public JobProcessors.Complete read(ObjectDataInput in) throws IOException {
      String leaseId = in.readString();
      long token = in.readLong();
      String outcome = in.readString();
      String error = in.readString();
      boolean temporary = in.readBoolean();
      Backoff backoff = new Backoff(Duration.ofMillis(in.readLong()), Duration.ofMillis(in.readLong()), in.readInt());
      return new JobProcessors.Complete(leaseId, token, outcome, error, temporary, backoff, in.readLong(),
          in.readLong());
    }

    @Override
    public int getTypeId() {
      return 7105;
    }
  }
}
