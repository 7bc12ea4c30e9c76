package dev.ferry.loadtests.lease;

import com.hazelcast.core.HazelcastInstance;
import com.sun.management.OperatingSystemMXBean;
import dev.ferry.common.lease.LeaseProtocol;
import dev.ferry.common.lease.Outcome;
import dev.ferry.coordinator.job.Job;
import dev.ferry.coordinator.job.JobKey;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Whole-system lease throughput and latency: real Hazelcast members (1 or 3, in this JVM, on
 * loopback), the real job store, ready index and lease service, many queued jobs, and W
 * concurrent requesters on Vert.x event loops calling {@code LeaseService.lease} on the
 * members round robin. Every leased job is completed as succeeded by the requester that
 * leased it, before its next request, so its repository frees up again.
 *
 * <p>Measures; never asserts. Stops by itself when {@code --leases} jobs are completed or
 * {@code --duration} has passed, shuts the cluster down and exits. Run it with
 * {@code load-tests/bench/leases.sh}.
 *
 * <p>Over 300 lines because a benchmark program, not product code: its members, workload, measurement and report are one scenario read top to bottom.
 */
public final class LeaseBenchmark {

    static final List<String> TIERS = List.of("critical", "high", "normal", "bulk");

    /** The knobs, from {@code --name value} arguments. */
    record Options(
            int members,
            int jobs,
            int tagsPerRepository,
            int workers,
            int capacity,
            long durationSeconds,
            long leases,
            long waitMillis,
            long warmup,
            int enqueueInFlight,
            Set<String> experiments) {

        static Options parse(String[] args) {
            int members = 1;
            int jobs = 100_000;
            int tags = 10;
            int workers = 32;
            int capacity = 1;
            long duration = 150;
            long leases = -1;
            long wait = 100;
            long warmup = -1;
            int inFlight = 512;
            Set<String> experiments = new TreeSet<>();
            for (int i = 0; i < args.length; i++) {
                String name = args[i];
                if (name.equals("--help") || name.equals("-h")) {
                    usage(0);
                }
                if (i + 1 >= args.length) {
                    System.err.println("missing value for " + name);
                    usage(2);
                }
                String v = args[++i];
                switch (name) {
                    case "--members" -> members = Integer.parseInt(v);
                    case "--jobs" -> jobs = Integer.parseInt(v);
                    case "--tags" -> tags = Integer.parseInt(v);
                    case "--workers" -> workers = Integer.parseInt(v);
                    case "--capacity" -> capacity = Integer.parseInt(v);
                    case "--duration" -> duration = Long.parseLong(v);
                    case "--leases" -> leases = Long.parseLong(v);
                    case "--wait-ms" -> wait = Long.parseLong(v);
                    case "--warmup" -> warmup = Long.parseLong(v);
                    case "--enqueue-in-flight" -> inFlight = Integer.parseInt(v);
                    case "--experiment" -> {
                        for (String e : v.split(",")) {
                            if (!Experiments.KNOWN.contains(e.trim())) {
                                System.err.println("unknown experiment " + e + "; known: " + Experiments.KNOWN);
                                usage(2);
                            }
                            experiments.add(e.trim());
                        }
                    }
                    default -> {
                        System.err.println("unknown option " + name);
                        usage(2);
                    }
                }
            }
            if (members < 1
                    || jobs < 1
                    || tags < 1
                    || workers < 1
                    || capacity < 1
                    || capacity > 256
                    || duration < 1
                    || inFlight < 1) {
                System.err.println("members, jobs, tags, workers, duration and enqueue-in-flight must be positive;"
                        + " capacity 1..256");
                usage(2);
            }
            long target = leases < 0 ? jobs : Math.min(leases, jobs);
            long warm = warmup < 0 ? Math.min(10_000, target / 10) : Math.min(warmup, target);
            return new Options(
                    members, jobs, tags, workers, capacity, duration, target, wait, warm, inFlight, experiments);
        }

        int repositories() {
            return (jobs + tagsPerRepository - 1) / tagsPerRepository;
        }

        static void usage(int status) {
            System.err.println("""
          usage: LeaseBenchmark [--members 1] [--jobs 100000] [--tags 10] [--workers 32] [--capacity 1]
                                [--duration 150] [--leases JOBS] [--wait-ms 100] [--warmup min(10000,leases/10)]
                                [--enqueue-in-flight 512] [--experiment run-index,binary]
            --members            Hazelcast members in this JVM (loopback, random cluster name, free ports)
            --jobs               queued jobs: jobs/tags repositories x tags, repositories spread over the 4 tiers
            --workers            concurrent lease requesters (Vert.x event loops), members round robin
            --capacity           leases asked for per request
            --duration, --leases stop after this many seconds of leasing, or this many completed leases
            --wait-ms            long-poll wait of a request that finds nothing ready
            --warmup             leases before latency samples and the steady-state rate count
            --experiment         what-if member configurations (see Experiments); default: production's""");
            System.exit(status);
        }
    }

    /** Counters shared by the requesters. */
    static final class Progress {
        final AtomicLong requests = new AtomicLong();
        final AtomicLong empty = new AtomicLong();
        final AtomicLong leased = new AtomicLong();
        final AtomicLong completed = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        final AtomicLong lostOnComplete = new AtomicLong();
        final AtomicLong leasedTwice = new AtomicLong();
        final Set<String> seen = ConcurrentHashMap.newKeySet();
        volatile boolean stop;
        volatile long warmedAtNanos;
        volatile long leasedAtWarm;
        volatile long completedAtWarm;
        volatile long requestsAtWarm;
        volatile long endNanos;
        volatile long leasedAtEnd;
        volatile long requestsAtEnd;
        final CountDownLatch reachedTarget = new CountDownLatch(1);
    }

    /** One concurrent lease requester: a worker's lease loop on its own event-loop context. */
    static final class Requester extends VerticleBase {
        private final int number;
        private final String workerId;
        private final List<BenchMember> members;
        private final Options options;
        private final Progress progress;
        private final CountDownLatch done;
        final Samples leaseLatency = new Samples();
        final Samples completeLatency = new Samples();
        private long turn;

        Requester(int number, List<BenchMember> members, Options options, Progress progress, CountDownLatch done) {
            this.number = number;
            this.workerId = "bench-worker-" + number;
            this.members = members;
            this.options = options;
            this.progress = progress;
            this.done = done;
        }

        @Override
        public Future<?> start() {
            context.runOnContext(v -> next());
            return Future.succeededFuture();
        }

        private void next() {
            if (progress.stop) {
                done.countDown();
                return;
            }
            BenchMember m = members.get((int) ((number + turn++) % members.size()));
            boolean measured = progress.warmedAtNanos != 0;
            long t0 = System.nanoTime();
            m.leases.lease(workerId, options.capacity(), options.waitMillis()).onComplete(ar -> {
                long took = System.nanoTime() - t0;
                progress.requests.incrementAndGet();
                if (ar.failed()) {
                    progress.errors.incrementAndGet();
                    context.runOnContext(v -> next());
                    return;
                }
                List<Job> got = ar.result();
                if (got.isEmpty()) {
                    progress.empty.incrementAndGet();
                    context.runOnContext(v -> next());
                    return;
                }
                if (measured) {
                    leaseLatency.add(took);
                }
                long leasedNow = progress.leased.addAndGet(got.size());
                if (progress.warmedAtNanos == 0 && leasedNow >= options.warmup()) {
                    markWarm(progress);
                }
                List<Future<?>> completions = new ArrayList<>(got.size());
                for (Job j : got) {
                    if (!progress.seen.add(j.id())) {
                        progress.leasedTwice.incrementAndGet();
                    }
                    long c0 = System.nanoTime();
                    completions.add(m.store
                            .complete(j.key(), j.leaseId(), j.fencingToken(), Outcome.SUCCEEDED, null, false)
                            .onComplete(done -> {
                                if (measured) {
                                    completeLatency.add(System.nanoTime() - c0);
                                }
                                if (done.failed() || done.result().isEmpty()) {
                                    progress.lostOnComplete.incrementAndGet();
                                }
                            }));
                }
                Future.join(completions).onComplete(all -> {
                    long completedNow = progress.completed.addAndGet(got.size());
                    if (completedNow >= options.leases() && !progress.stop) {
                        markEnd(progress);
                    }
                    context.runOnContext(v -> next());
                });
            });
        }
    }

    static synchronized void markWarm(Progress p) {
        if (p.warmedAtNanos == 0) {
            p.leasedAtWarm = p.leased.get();
            p.completedAtWarm = p.completed.get();
            p.requestsAtWarm = p.requests.get();
            p.warmedAtNanos = System.nanoTime();
        }
    }

    static synchronized void markEnd(Progress p) {
        if (!p.stop) {
            p.endNanos = System.nanoTime();
            p.leasedAtEnd = p.leased.get();
            p.requestsAtEnd = p.requests.get();
            p.stop = true;
            p.reachedTarget.countDown();
        }
    }

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        int status = 0;
        Vertx vertx = Vertx.vertx();
        List<BenchMember> members = new ArrayList<>();
        try {
            members.addAll(startCluster(vertx, o.members(), o.experiments()));
            run(vertx, members, o);
        } catch (Exception e) {
            e.printStackTrace();
            status = 1;
        } finally {
            long t0 = System.nanoTime();
            members.forEach(BenchMember::stop);
            shutdown(members);
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            System.out.printf(
                    Locale.ROOT,
                    "shutdown       %d member(s) and Vert.x in %.1f s%n",
                    members.size(),
                    (System.nanoTime() - t0) / 1e9);
        }
        System.exit(status);
    }

    private static List<BenchMember> startCluster(Vertx vertx, int n, Set<String> experiments) throws Exception {
        String cluster = "ferry-bench-" + UUID.randomUUID();
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ports.add(freePort());
        }
        List<String> addresses =
                n == 1 ? List.of() : ports.stream().map(p -> "127.0.0.1:" + p).toList();
        long t0 = System.nanoTime();
        // In parallel: a TCP-IP joiner waits for the members it lists.
        HazelcastInstance[] started = new HazelcastInstance[n];
        Exception[] failed = new Exception[1];
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int at = i;
            Thread t = new Thread(
                    () -> {
                        try {
                            started[at] = BenchMember.hazelcast(cluster, ports.get(at), addresses, n, experiments);
                        } catch (Exception e) {
                            failed[0] = e;
                        }
                    },
                    "bench-start-" + i);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        List<HazelcastInstance> instances = new ArrayList<>();
        for (HazelcastInstance h : started) {
            if (h != null) {
                instances.add(h);
            }
        }
        if (failed[0] != null) {
            instances.forEach(h -> h.getLifecycleService().terminate());
            throw failed[0];
        }
        HazelcastInstance first = instances.get(0);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (first.getCluster().getMembers().size() < n
                || !first.getPartitionService().isClusterSafe()) {
            if (System.nanoTime() > deadline) {
                instances.forEach(h -> h.getLifecycleService().terminate());
                throw new IllegalStateException(
                        "the cluster did not form: " + first.getCluster().getMembers());
            }
            Thread.sleep(50);
        }
        List<BenchMember> members = new ArrayList<>();
        for (HazelcastInstance h : instances) {
            members.add(new BenchMember(vertx, h));
        }
        for (BenchMember m : members) {
            m.start();
        }
        System.out.printf(
                Locale.ROOT,
                "cluster        %d member(s) %s formed in %.1f s%n",
                n,
                ports,
                (System.nanoTime() - t0) / 1e9);
        return members;
    }

    private static void shutdown(List<BenchMember> members) {
        if (members.isEmpty()) {
            return;
        }
        try {
            HazelcastInstance first = members.get(0).hazelcast;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!first.getPartitionService().isClusterSafe() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            // The whole cluster at once: no partition migrations on the way down.
            first.getCluster().shutdown();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            System.err.println("cluster shutdown failed (" + e + "); terminating the members");
        }
        for (BenchMember m : members) {
            if (m.hazelcast.getLifecycleService().isRunning()) {
                m.hazelcast.getLifecycleService().terminate();
            }
        }
    }

    /** Below the ephemeral range, so members dialling each other cannot take it as a source port. */
    private static int freePort() throws Exception {
        Random random = new Random();
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = 20_000 + random.nextInt(12_000);
            try (ServerSocket s = new ServerSocket(port)) {
                return port;
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IllegalStateException("no free port between 20000 and 32000");
    }

    /** A queued job of the benchmark's shape (also used by the JMH lease selection benchmark). */
    public static Job job(int repository, int tag, long now) {
        String tier = TIERS.get(repository % TIERS.size());
        String repo = "bench/repo-" + repository;
        String tagName = "v" + tag;
        String id = repo + ":" + tagName;
        String digest = String.format(Locale.ROOT, "sha256:%064x", (long) repository * 1_000 + tag);
        LeaseProtocol.Endpoint src = new LeaseProtocol.Endpoint("hub", "https://hub.example", repo, digest, null);
        LeaseProtocol.Endpoint dst =
                new LeaseProtocol.Endpoint("mirror", "https://mirror.example", repo, tagName, null);
        LeaseProtocol.JobSpec spec = new LeaseProtocol.JobSpec("bench", "run-1", tier, src, dst, List.of(), false);
        return Job.planned(JobKey.of(id, tier, "mirror", repo), "bench", "run-1", tier, tagName, digest, spec, now);
    }

    private static int readyCount(List<BenchMember> members) {
        int n = 0;
        for (BenchMember m : members) {
            n += m.index.readyCount();
        }
        return n;
    }

    private static void run(Vertx vertx, List<BenchMember> members, Options o) throws Exception {
        int repositories = o.repositories();
        System.out.printf(
                Locale.ROOT,
                "workload       %d jobs = %d repositories x %d tags over %d tiers; %d requesters, capacity %d,"
                        + " wait %d ms; stop at %d leases or %d s; %d warm-up leases; member config: %s%n",
                o.jobs(),
                repositories,
                o.tagsPerRepository(),
                TIERS.size(),
                o.workers(),
                o.capacity(),
                o.waitMillis(),
                o.leases(),
                o.durationSeconds(),
                o.warmup(),
                configName(o));
        System.out.printf(
                Locale.ROOT,
                "machine        %d cores, max heap %d MiB, %s %s%n",
                Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20,
                System.getProperty("java.vm.name"),
                System.getProperty("java.runtime.version"));

        // Enqueue: upserts to the members round robin, bounded in flight.
        Semaphore inFlight = new Semaphore(o.enqueueInFlight());
        AtomicLong enqueueErrors = new AtomicLong();
        long e0 = System.nanoTime();
        int made = 0;
        System.out.println("enqueue        from " + LocalTime.now() + " (wall clock, for profiles)");
        for (int tag = 0; tag < o.tagsPerRepository() && made < o.jobs(); tag++) {
            for (int r = 0; r < repositories && made < o.jobs(); r++) {
                inFlight.acquire();
                BenchMember m = members.get(made % members.size());
                m.store.upsert(job(r, tag, System.currentTimeMillis())).onComplete(ar -> {
                    if (ar.failed()) {
                        enqueueErrors.incrementAndGet();
                    }
                    inFlight.release();
                });
                made++;
            }
        }
        inFlight.acquire(o.enqueueInFlight());
        inFlight.release(o.enqueueInFlight());
        double enqueueSeconds = (System.nanoTime() - e0) / 1e9;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (readyCount(members) < o.jobs() - enqueueErrors.get() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        double indexedSeconds = (System.nanoTime() - e0) / 1e9;
        int ready = readyCount(members);
        StringBuilder perMember = new StringBuilder();
        for (BenchMember m : members) {
            perMember.append(perMember.length() == 0 ? "" : " + ").append(m.index.readyCount());
        }
        System.out.printf(
                Locale.ROOT,
                "enqueue        %d jobs in %.1f s = %.0f jobs/s (%d failed); all %d in the ready indexes (%s) after %.1f s%n",
                made,
                enqueueSeconds,
                made / enqueueSeconds,
                enqueueErrors.get(),
                ready,
                perMember,
                indexedSeconds);
        if (ready < made - enqueueErrors.get()) {
            System.out.println("WARNING        the ready indexes hold " + ready + " of " + made + " jobs");
        }
        long liveAfterEnqueue = liveHeapBytes();

        // Lease.
        Progress progress = new Progress();
        if (o.warmup() == 0) {
            markWarm(progress);
        }
        CountDownLatch done = new CountDownLatch(o.workers());
        List<Requester> requesters = new ArrayList<>();
        long gcCount0 = gcCount();
        long gcMillis0 = gcMillis();
        long cpu0 = processCpuNanos();
        long t0 = System.nanoTime();
        System.out.println("leasing        from " + LocalTime.now() + " (wall clock, for profiles)");
        List<Future<String>> deployed = new ArrayList<>();
        for (int i = 0; i < o.workers(); i++) {
            Requester r = new Requester(i, members, o, progress, done);
            requesters.add(r);
            deployed.add(vertx.deployVerticle(r));
        }
        Future.all(deployed).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        long lastReport = System.nanoTime();
        long lastLeased = 0;
        long stopAt = t0 + TimeUnit.SECONDS.toNanos(o.durationSeconds());
        while (!progress.reachedTarget.await(5, TimeUnit.SECONDS)) {
            long now = System.nanoTime();
            long leasedNow = progress.leased.get();
            System.out.printf(
                    Locale.ROOT,
                    "  ... %5.1f s  %7d leased  %6.0f leases/s  %d ready%n",
                    (now - t0) / 1e9,
                    leasedNow,
                    (leasedNow - lastLeased) / ((now - lastReport) / 1e9),
                    readyCount(members));
            lastReport = now;
            lastLeased = leasedNow;
            if (now >= stopAt) {
                markEnd(progress);
                break;
            }
        }
        long end = progress.endNanos;
        long cpu1 = processCpuNanos();
        long gcCount1 = gcCount();
        long gcMillis1 = gcMillis();
        if (!done.await(30, TimeUnit.SECONDS)) {
            System.out.println("WARNING        " + done.getCount() + " requesters still busy 30 s after the stop");
        }
        long heapAtEnd =
                ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();

        double seconds = (end - t0) / 1e9;
        long leased = progress.leasedAtEnd;
        long requests = progress.requestsAtEnd;
        double leasesPerSecond = leased / seconds;
        double requestsPerSecond = requests / seconds;
        double steadySeconds = progress.warmedAtNanos == 0 ? Double.NaN : (end - progress.warmedAtNanos) / 1e9;
        double steadyLeases = (leased - progress.leasedAtWarm) / steadySeconds;
        double steadyRequests = (requests - progress.requestsAtWarm) / steadySeconds;
        List<Samples> leaseParts = new ArrayList<>();
        List<Samples> completeParts = new ArrayList<>();
        for (Requester r : requesters) {
            leaseParts.add(r.leaseLatency);
            completeParts.add(r.completeLatency);
        }
        Samples.Sorted lease = Samples.merge(leaseParts);
        Samples.Sorted complete = Samples.merge(completeParts);
        double cpuShare =
                (cpu1 - cpu0) / ((end - t0) * (double) Runtime.getRuntime().availableProcessors());

        System.out.printf(
                Locale.ROOT,
                "leasing        %d leased in %.1f s by %d requests (%d empty, %d failed); %d completed%n",
                leased,
                seconds,
                requests,
                progress.empty.get(),
                progress.errors.get(),
                progress.completed.get());
        System.out.printf(
                Locale.ROOT,
                "leases/s       %.0f overall, %.0f steady (after %d warm-up leases)%n",
                leasesPerSecond,
                steadyLeases,
                o.warmup());
        System.out.printf(Locale.ROOT, "requests/s     %.0f overall, %.0f steady%n", requestsPerSecond, steadyRequests);
        System.out.printf(
                Locale.ROOT,
                "lease ms       p50 %.2f  p90 %.2f  p99 %.2f  p99.9 %.2f  max %.2f  (%d non-empty requests after warm-up)%n",
                lease.percentileMillis(50),
                lease.percentileMillis(90),
                lease.percentileMillis(99),
                lease.percentileMillis(99.9),
                lease.maxMillis(),
                lease.count());
        System.out.printf(
                Locale.ROOT,
                "complete ms    p50 %.2f  p99 %.2f  max %.2f  (%d completions)%n",
                complete.percentileMillis(50),
                complete.percentileMillis(99),
                complete.maxMillis(),
                complete.count());
        System.out.printf(
                Locale.ROOT,
                "checks         %d completions refused (lease lost), %d jobs leased twice%n",
                progress.lostOnComplete.get(),
                progress.leasedTwice.get());
        System.out.printf(
                Locale.ROOT,
                "heap           %d MiB live after enqueue (post-GC), %d MiB used at the end; GC %d collections,"
                        + " %d ms while leasing%n",
                liveAfterEnqueue >> 20,
                heapAtEnd >> 20,
                gcCount1 - gcCount0,
                gcMillis1 - gcMillis0);
        System.out.printf(
                Locale.ROOT,
                "cpu            %.0f%% of %d cores while leasing%n",
                cpuShare * 100,
                Runtime.getRuntime().availableProcessors());
        System.out.printf(
                Locale.ROOT,
                "RESULT | %s | members %d | jobs %d | workers %d | capacity %d | enqueue %.0f jobs/s | leases/s %.0f"
                        + " (steady %.0f) | requests/s %.0f | p50 %.2f ms | p99 %.2f ms | max %.2f ms | live heap %d MiB"
                        + " | cpu %.0f%% |%n",
                configName(o),
                o.members(),
                o.jobs(),
                o.workers(),
                o.capacity(),
                made / enqueueSeconds,
                leasesPerSecond,
                steadyLeases,
                requestsPerSecond,
                lease.percentileMillis(50),
                lease.percentileMillis(99),
                lease.maxMillis(),
                liveAfterEnqueue >> 20,
                cpuShare * 100);
    }

    private static String configName(Options o) {
        return o.experiments().isEmpty() ? "production" : "experiment " + String.join("+", o.experiments());
    }

    private static long liveHeapBytes() throws InterruptedException {
        System.gc();
        Thread.sleep(200);
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static long gcCount() {
        long n = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            n += Math.max(0, gc.getCollectionCount());
        }
        return n;
    }

    private static long gcMillis() {
        long n = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            n += Math.max(0, gc.getCollectionTime());
        }
        return n;
    }

    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }
}
