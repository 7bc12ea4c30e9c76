package dev.ferry.loadtests.scenario;

import dev.ferry.common.registry.RegistryClient;
import dev.ferry.common.registry.RegistryClientOptions;
import dev.ferry.common.transport.Credentials;
import dev.ferry.common.transport.RegistryEndpoint;
import dev.ferry.loadtests.gen.GeneratedImage;
import dev.ferry.loadtests.gen.ImageBuilder;
import dev.ferry.loadtests.gen.PlannedImage;
import dev.ferry.loadtests.gen.WorkloadPlan;
import dev.ferry.loadtests.gen.WorkloadPusher;
import dev.ferry.loadtests.gen.WorkloadSpec;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Pushes generated images into a registry with Ferry's own client, and waits for it. */
final class Seeder implements AutoCloseable {

    private final HttpClientAgent http;
    private final WorkloadPusher pusher;

    Seeder(Vertx vertx, String host, WorkloadSpec spec) {
        this.http = RegistryClient.newHttpClient(vertx, 8);
        RegistryClient client = new RegistryClient(
                http,
                new RegistryEndpoint(host, true),
                Credentials.anonymous(),
                RegistryClientOptions.defaults(),
                Clock.systemUTC());
        this.pusher = new WorkloadPusher(vertx.getOrCreateContext(), client, new ImageBuilder(spec.layerBytes()));
    }

    /** Pushes the whole workload, four images at a time, and reports it as the {@code seed} row; answers its MiB. */
    static double seed(Vertx vertx, String host, WorkloadSpec spec, Report report) throws InterruptedException {
        List<PlannedImage> images = WorkloadPlan.of(spec);
        try (Seeder seeder = new Seeder(vertx, host, spec)) {
            long t0 = System.nanoTime();
            seeder.push(images, 4);
            double mib = seeder.bytesPushed() / 1048576.0;
            report.row("seed", "generator", 0, (System.nanoTime() - t0) / 1e9, mib, images.size() + " images");
            report.workload("payloadMiB", Math.round(mib * 100) / 100.0);
            return mib;
        }
    }

    void push(List<PlannedImage> images, int lanes) throws InterruptedException {
        await(pusher.pushAll(images, lanes));
    }

    void push(PlannedImage image) throws InterruptedException {
        await(pusher.push(image));
    }

    void push(GeneratedImage image) throws InterruptedException {
        await(pusher.push(image));
    }

    long bytesPushed() {
        return pusher.bytesPushed();
    }

    private static void await(Future<Void> f) throws InterruptedException {
        try {
            f.toCompletionStage().toCompletableFuture().get(2, TimeUnit.HOURS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "pushing the generated images failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("pushing the generated images took over 2 hours", e);
        }
    }

    @Override
    public void close() {
        http.close();
    }
}
