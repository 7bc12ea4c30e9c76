package dev.ferry.loadtests.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.common.manifest.ManifestParser;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The physical limit of a copy between two registries on this machine: every blob of the given
 * repositories moved by {@code curl} GET piped into a {@code curl} PUT (a monolithic upload
 * after a POST), {@value #LANES} pipes at a time, as Ferry's worker has four slots. No
 * manifests, no checks beyond the registry's own digest check: what no tool can beat.
 */
final class CurlPipe {

    static final int LANES = 4;
    private static final String MANIFEST_TYPES = String.join(
            ",",
            "application/vnd.oci.image.manifest.v1+json",
            "application/vnd.oci.image.index.v1+json",
            "application/vnd.docker.distribution.manifest.v2+json",
            "application/vnd.docker.distribution.manifest.list.v2+json");
    private static final HttpClient CLIENT =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private CurlPipe() {}

    /** One blob of one repository. */
    record Blob(String repository, String digest) {}

    /** Every blob (configs and layers, of every platform) under every tag of the repositories. */
    static List<Blob> blobs(String sourceHost, List<String> repositories) throws IOException, InterruptedException {
        Set<Blob> blobs = new LinkedHashSet<>();
        for (String repository : repositories) {
            JsonNode tags = json(sourceHost, "/v2/" + repository + "/tags/list?n=100000")
                    .path("tags");
            for (JsonNode tag : tags) {
                collect(sourceHost, repository, tag.asText(), blobs);
            }
        }
        return new ArrayList<>(blobs);
    }

    private static void collect(String host, String repository, String reference, Set<Blob> blobs)
            throws IOException, InterruptedException {
        JsonNode manifest = json(host, "/v2/" + repository + "/manifests/" + reference);
        for (JsonNode child : manifest.path("manifests")) {
            collect(host, repository, child.path("digest").asText(), blobs);
        }
        if (manifest.has("config")) {
            blobs.add(
                    new Blob(repository, manifest.path("config").path("digest").asText()));
        }
        for (JsonNode layer : manifest.path("layers")) {
            blobs.add(new Blob(repository, layer.path("digest").asText()));
        }
    }

    private static JsonNode json(String host, String path) throws IOException, InterruptedException {
        HttpResponse<String> r = CLIENT.send(
                HttpRequest.newBuilder(URI.create("http://" + host + path))
                        .header("Accept", MANIFEST_TYPES)
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + " at " + host + " answered " + r.statusCode());
        }
        return ManifestParser.mapper().readTree(r.body());
    }

    /** Pipes every blob from {@code sourceHost} into {@code targetHost} under {@code prefix}; answers the seconds. */
    static double run(List<Blob> blobs, String sourceHost, String targetHost, String prefix, Path work)
            throws Exception {
        ExecutorService lanes = Executors.newFixedThreadPool(LANES);
        try {
            long t0 = System.nanoTime();
            List<Future<?>> pipes = new ArrayList<>();
            for (Blob b : blobs) {
                pipes.add(lanes.submit(() -> {
                    pipe(b, sourceHost, targetHost, prefix, work);
                    return null;
                }));
            }
            for (Future<?> p : pipes) {
                p.get();
            }
            return (System.nanoTime() - t0) / 1e9;
        } finally {
            lanes.shutdownNow();
        }
    }

    private static void pipe(Blob b, String src, String dst, String prefix, Path work) throws Exception {
        String target = prefix + b.repository();
        String script = "set -euo pipefail\n"
                + "loc=$(curl -fsS -X POST -D - -o /dev/null \"http://" + dst + "/v2/" + target + "/blobs/uploads/\""
                + " | tr -d '\\r' | sed -n 's/^[Ll]ocation: //p')\n"
                + "case \"$loc\" in http*) ;; *) loc=\"http://" + dst + "$loc\" ;; esac\n"
                + "case \"$loc\" in *\\?*) sep='&' ;; *) sep='?' ;; esac\n"
                + "curl -fsS \"http://" + src + "/v2/" + b.repository() + "/blobs/" + b.digest() + "\""
                + " | curl -fsS -T - -H 'Content-Type: application/octet-stream' \"$loc${sep}digest=" + b.digest()
                + "\""
                + " -o /dev/null\n";
        Process p = new ProcessBuilder("bash", "-c", script)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        work.resolve("curl-pipe.log").toFile()))
                .start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("curl pipe of " + b + " failed; see " + work.resolve("curl-pipe.log"));
        }
    }
}
