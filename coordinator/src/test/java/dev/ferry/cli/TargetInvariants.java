package dev.ferry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Watches a target registry while a test runs and records every breach of what Ferry
 * promises a consumer of the target: a tag shows only a manifest the source had for that tag,
 * and everything under a visible tag (child manifests, config, layers) is there.
 *
 * <p>The test tells it which digests the source has had for each target tag ({@link
 * #expect}); a tag showing any other digest is a breach, as is a tag whose manifest, child or
 * blob answers anything but 200. Reads are bounded by timeouts; a read that fails (the
 * registry briefly busy) is counted as skipped, not as a breach.
 */
final class TargetInvariants implements AutoCloseable {

    private static final String ACCEPT = String.join(
            ",",
            "application/vnd.oci.image.index.v1+json",
            "application/vnd.oci.image.manifest.v1+json",
            "application/vnd.docker.distribution.manifest.list.v2+json",
            "application/vnd.docker.distribution.manifest.v2+json");

    private final String registryUrl;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, Set<String>> allowed = new ConcurrentHashMap<>();
    private final List<String> breaches = java.util.Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong tagChecks = new AtomicLong();
    private final AtomicLong blobChecks = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong listedNotServed = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;

    TargetInvariants(String registryUrl) {
        this.registryUrl = registryUrl;
        this.thread = new Thread(this::loop, "target-invariants");
        thread.setDaemon(true);
    }

    /** Allows {@code digest} under target {@code repository:tag} (the source had it there). */
    void expect(String repository, String tag, String digest) {
        allowed.computeIfAbsent(repository + ":" + tag, k -> ConcurrentHashMap.newKeySet())
                .add(digest);
    }

    TargetInvariants start() {
        thread.start();
        return this;
    }

    List<String> breaches() {
        synchronized (breaches) {
            return List.copyOf(breaches);
        }
    }

    long tagChecks() {
        return tagChecks.get();
    }

    long blobChecks() {
        return blobChecks.get();
    }

    long listedNotServed() {
        return listedNotServed.get();
    }

    long skipped() {
        return skipped.get();
    }

    /** One full pass over every expected repository; the background loop repeats it. */
    void checkOnce() {
        Set<String> repositories = new java.util.TreeSet<>();
        allowed.keySet().forEach(k -> repositories.add(k.substring(0, k.lastIndexOf(':'))));
        for (String repository : repositories) {
            try {
                HttpResponse<byte[]> list = get("/v2/" + repository + "/tags/list", null);
                if (list.statusCode() == 404) {
                    continue; // nothing written yet
                }
                if (list.statusCode() != 200) {
                    skipped.incrementAndGet();
                    continue;
                }
                JsonNode tags = json.readTree(list.body()).path("tags");
                for (JsonNode t : tags) {
                    checkTag(repository, t.asText());
                }
            } catch (Exception e) {
                skipped.incrementAndGet();
            }
        }
    }

    private void checkTag(String repository, String tag) throws Exception {
        HttpResponse<byte[]> manifest = get("/v2/" + repository + "/manifests/" + tag, ACCEPT);
        if (manifest.statusCode() == 404) {
            // distribution lists a tag's directory a moment before the tag's link is in it (its own
            // race while a manifest PUT lands): a consumer gets "unknown", never partial content.
            listedNotServed.incrementAndGet();
            return;
        }
        if (manifest.statusCode() != 200) {
            breaches.add(repository + ":" + tag + " is listed but its manifest answers " + manifest.statusCode());
            return;
        }
        tagChecks.incrementAndGet();
        String digest = sha256(manifest.body());
        Set<String> ok = allowed.get(repository + ":" + tag);
        if (ok == null || !ok.contains(digest)) {
            breaches.add(repository + ":" + tag + " shows " + digest + ", which the source never had there");
        }
        checkContents(repository, tag, json.readTree(manifest.body()), 0);
    }

    private void checkContents(String repository, String tag, JsonNode manifest, int depth) throws Exception {
        if (depth > 2) {
            breaches.add(repository + ":" + tag + " nests indexes deeper than the test pushed");
            return;
        }
        for (JsonNode child : manifest.path("manifests")) {
            HttpResponse<byte[]> got = get(
                    "/v2/" + repository + "/manifests/" + child.path("digest").asText(), ACCEPT);
            if (got.statusCode() != 200) {
                breaches.add(repository + ":" + tag + " lacks child "
                        + child.path("digest").asText());
                continue;
            }
            checkContents(repository, tag, json.readTree(got.body()), depth + 1);
        }
        List<String> blobs = new ArrayList<>();
        if (manifest.has("config")) {
            blobs.add(manifest.path("config").path("digest").asText());
        }
        manifest.path("layers").forEach(l -> blobs.add(l.path("digest").asText()));
        for (String blob : blobs) {
            HttpResponse<byte[]> head = http.send(
                    HttpRequest.newBuilder(URI.create(registryUrl + "/v2/" + repository + "/blobs/" + blob))
                            .method("HEAD", HttpRequest.BodyPublishers.noBody())
                            .timeout(Duration.ofSeconds(10))
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            blobChecks.incrementAndGet();
            if (head.statusCode() != 200) {
                breaches.add(repository + ":" + tag + " is visible but blob " + blob + " answers " + head.statusCode());
            }
        }
    }

    private HttpResponse<byte[]> get(String path, String accept) throws Exception {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(registryUrl + path)).timeout(Duration.ofSeconds(10));
        if (accept != null) {
            b.header("Accept", accept);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String sha256(byte[] bytes) throws Exception {
        return "sha256:"
                + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private void loop() {
        while (running) {
            checkOnce();
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(30_000);
    }
}
