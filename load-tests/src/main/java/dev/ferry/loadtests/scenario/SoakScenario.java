package dev.ferry.loadtests.scenario;

import dev.ferry.common.manifest.ManifestParser;
import dev.ferry.loadtests.gen.PlannedImage;
import dev.ferry.loadtests.gen.WorkloadPlan;
import dev.ferry.loadtests.gen.WorkloadSpec;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Continuous churn: a new tag every {@code every} seconds on the source, round robin over the
 * workload's repositories, for {@code durationSeconds}; a running standalone replicates on its
 * shortest interval trigger (10 s). Replication lag is from the end of the push to the first
 * time the target's tag list shows the tag (polled every 250 ms). A tag not there within the
 * grace period after the churn ends is missed.
 */
final class SoakScenario {

    private static final int INTERVAL_SECONDS = 10;
    private static final long POLL_MILLIS = 250;

    private final WorkloadSpec spec;
    private final int durationSeconds;
    private final double every;

    SoakScenario(WorkloadSpec base, int durationSeconds, double every) {
        int tags = (int) Math.ceil(durationSeconds / every / base.repositories()) + 1;
        this.spec = new WorkloadSpec(
                base.prefix(),
                base.repositories(),
                tags,
                base.layers(),
                base.layerBytes(),
                base.sharedFraction(),
                base.indexFraction(),
                base.seed());
        this.durationSeconds = durationSeconds;
        this.every = every;
    }

    Report run(Setup setup, Vertx vertx) throws Exception {
        Report report = new Report("soak")
                .workload("spec", spec)
                .workload("durationSeconds", durationSeconds)
                .workload("everySeconds", every)
                .workload("triggerInterval", INTERVAL_SECONDS + "s");
        Path work = setup.freshWork("soak");
        List<PlannedImage> order = new ArrayList<>(WorkloadPlan.of(spec));
        order.sort(Comparator.comparingInt(
                (PlannedImage i) -> Integer.parseInt(i.tag().substring(1))));
        Map<String, Long> pending = new ConcurrentHashMap<>();
        List<Double> lags = Collections.synchronizedList(new ArrayList<>());
        ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor();
        int pushed = 0;
        try (LocalRegistry src = LocalRegistry.start(work.resolve("source"));
                LocalRegistry dst = LocalRegistry.start(work.resolve("target"));
                Seeder seeder = new Seeder(vertx, src.host(), spec)) {
            seeder.push(order.get(0)); // the policy needs a repository to find
            pushed++;
            String schedule = Schedules.registries(src.host(), List.of(dst.host()))
                    + Schedules.policy(
                            "soak",
                            spec.prefix() + "/*",
                            List.of(1),
                            "soak/",
                            "{ interval: " + INTERVAL_SECONDS + "s }");
            Path file = Schedules.write(work.resolve("soak.yaml"), schedule);
            try (FerryStandalone ferry =
                    FerryStandalone.start(setup, file, work.resolve("data"), work.resolve("ferry.log"))) {
                poller.scheduleWithFixedDelay(
                        () -> poll(dst.host(), pending, lags), POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
                long start = System.nanoTime();
                long end = start + TimeUnit.SECONDS.toNanos(durationSeconds);
                long gap = (long) (every * 1e9);
                for (long next = start; next < end && pushed < order.size(); next += gap) {
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    PlannedImage image = order.get(pushed++);
                    seeder.push(image);
                    pending.put(image.repository() + ":" + image.tag(), System.nanoTime());
                }
                report.row(
                        "churn",
                        "generator",
                        1,
                        (System.nanoTime() - start) / 1e9,
                        seeder.bytesPushed() / 1048576.0,
                        pushed + " tags pushed");
                long grace = System.nanoTime() + TimeUnit.SECONDS.toNanos(3L * INTERVAL_SECONDS + 60);
                while (!pending.isEmpty() && System.nanoTime() < grace) {
                    Thread.sleep(500);
                }
            }
        } finally {
            poller.shutdownNow();
            poller.awaitTermination(10, TimeUnit.SECONDS);
        }
        double[] sorted =
                lags.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        report.figure("tags pushed during the churn", pushed - 1);
        report.figure("tags replicated (lag measured)", sorted.length);
        report.figure("tags missed", pending.size());
        report.figure(
                "lag p50 / p99 / max (s)",
                String.format(
                        Locale.ROOT,
                        "%.2f / %.2f / %.2f",
                        quantile(sorted, 0.5),
                        quantile(sorted, 0.99),
                        sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1]));
        report.goal("soak tags missed", pending.size(), 0, false, "tags");
        return report;
    }

    private void poll(String target, Map<String, Long> pending, List<Double> lags) {
        try {
            long now = System.nanoTime();
            for (String repository : pending.keySet().stream()
                    .map(k -> k.substring(0, k.indexOf(':')))
                    .distinct()
                    .toList()) {
                for (String tag : tags(target, "soak/" + repository)) {
                    Long pushedAt = pending.remove(repository + ":" + tag);
                    if (pushedAt != null) {
                        lags.add((now - pushedAt) / 1e9);
                    }
                }
            }
        } catch (Exception e) {
            System.err.println("soak: polling the target failed, trying again: " + e.getMessage());
        }
    }

    private static List<String> tags(String host, String repository) throws Exception {
        var r = Http.send(
                "GET", "http://" + host + "/v2/" + repository + "/tags/list?n=100000", Duration.ofSeconds(10));
        if (r.statusCode() != 200) {
            return List.of();
        }
        List<String> tags = new ArrayList<>();
        ManifestParser.mapper().readTree(r.body()).path("tags").forEach(t -> tags.add(t.asText()));
        return tags;
    }

    static double quantile(double[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[
                Math.min(
                        sorted.length - 1,
                        (int) Math.ceil(q * sorted.length) - 1 < 0 ? 0 : (int) Math.ceil(q * sorted.length) - 1)];
    }
}
