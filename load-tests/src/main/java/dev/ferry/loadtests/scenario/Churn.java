package dev.ferry.loadtests.scenario;

import dev.ferry.common.manifest.Manifest;
import dev.ferry.loadtests.gen.GeneratedImage;
import dev.ferry.loadtests.gen.ImageBuilder;
import dev.ferry.loadtests.gen.PlannedImage;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Continuous change at the source, one step every {@code every} seconds on a random repository
 * (seeded): push a new tag, push a new image under an existing tag (a re-tag), or delete a tag
 * (its manifest, which only that tag names). A repository holds at most {@link #MAX_TAGS} tags,
 * so the soak's size stays flat however long it runs. Images are small: a layer every image
 * shares, one of its own per platform, and every fourth a two-platform index.
 */
final class Churn implements Runnable {

    static final int MAX_TAGS = 12;

    private final Seeder seeder;
    private final String sourceHost;
    private final List<String> repositories;
    private final SourceHistory history;
    private final LagTracker lags;
    private final ImageBuilder builder;
    private final SplittableRandom random;
    private final long seed;
    private final double every;
    private final long durationNanos;
    private final LongSupplier clock = System::nanoTime;
    private int images;
    private int newTags;
    private int retags;
    private int deletes;
    private final List<String> errors = new ArrayList<>();
    private volatile boolean stopping;

    Churn(
            Seeder seeder,
            String sourceHost,
            List<String> repositories,
            SourceHistory history,
            LagTracker lags,
            int layerBytes,
            long seed,
            double every,
            int durationSeconds) {
        this.seeder = seeder;
        this.sourceHost = sourceHost;
        this.repositories = List.copyOf(repositories);
        this.history = history;
        this.lags = lags;
        this.builder = new ImageBuilder(layerBytes);
        this.random = new SplittableRandom(seed);
        this.seed = seed;
        this.every = every;
        this.durationNanos = TimeUnit.SECONDS.toNanos(durationSeconds);
    }

    /** Pushes one new tag to every repository: the policy needs repositories to find. */
    void seedEach() throws InterruptedException {
        for (String repository : repositories) {
            push(repository, nextTag());
            newTags++;
        }
    }

    void stop() {
        stopping = true;
    }

    @Override
    public void run() {
        long gap = (long) (every * 1e9);
        long start = clock.getAsLong();
        for (long next = start; !stopping && next < start + durationNanos; next += gap) {
            try {
                long wait = next - clock.getAsLong();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                step(repositories.get(random.nextInt(repositories.size())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException | IOException e) {
                synchronized (errors) {
                    errors.add(e.toString());
                }
            }
        }
    }

    private void step(String repository) throws InterruptedException, IOException {
        List<String> tags = history.tagNames(repository);
        double roll = random.nextDouble();
        if (tags.size() >= MAX_TAGS ? roll < 0.5 : roll < 0.15 && tags.size() > 1) {
            delete(repository, tags.get(random.nextInt(tags.size())));
            deletes++;
        } else if (!tags.isEmpty() && (tags.size() >= MAX_TAGS || roll < 0.4)) {
            push(repository, tags.get(random.nextInt(tags.size())));
            retags++;
        } else {
            push(repository, nextTag());
            newTags++;
        }
    }

    private String nextTag() {
        return "t" + (images + 1);
    }

    private void push(String repository, String tag) throws InterruptedException {
        GeneratedImage image = builder.build(plan(repository, tag, images++));
        List<String> digests = new ArrayList<>();
        digests.add(image.top().digest().toString());
        image.children().stream().map(Manifest::digest).forEach(d -> digests.add(d.toString()));
        history.willServe(digests);
        seeder.push(image);
        String digest = image.top().digest().toString();
        history.tagged(repository, tag, digest);
        lags.pushed(repository, tag, digest, clock.getAsLong());
    }

    private void delete(String repository, String tag) throws IOException, InterruptedException {
        String digest = history.tags(repository).get(tag);
        var r = Http.send(
                "DELETE",
                "http://" + sourceHost + "/v2/" + repository + "/manifests/" + digest,
                Duration.ofSeconds(30));
        if (r.statusCode() != 202) {
            throw new IOException(
                    "deleting " + repository + "@" + digest + " at the source answered " + r.statusCode());
        }
        history.deleted(repository, tag);
        lags.deleted(repository, tag);
    }

    /** Image number {@code n}: the shared layer, then one of its own per platform; every fourth has two platforms. */
    private PlannedImage plan(String repository, String tag, int n) {
        long shared = seed * 7919L + 1;
        List<PlannedImage.PlatformLayers> platforms = new ArrayList<>();
        platforms.add(new PlannedImage.PlatformLayers("amd64", List.of(shared, seed * 1_000_003L + 2L * n + 2)));
        if (n % 4 == 3) {
            platforms.add(new PlannedImage.PlatformLayers("arm64", List.of(shared, seed * 1_000_003L + 2L * n + 3)));
        }
        return new PlannedImage(repository, tag, platforms);
    }

    int newTags() {
        return newTags;
    }

    int retags() {
        return retags;
    }

    int deletes() {
        return deletes;
    }

    List<String> errors() {
        synchronized (errors) {
            return List.copyOf(errors);
        }
    }
}
