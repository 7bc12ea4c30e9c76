package dev.ferry.loadtests.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.common.manifest.ManifestParser;
import dev.ferry.common.mediatype.MediaTypes;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** {@link RegistryView} over a plain-HTTP registry's API, read directly (not through Ferry). */
final class HttpRegistryView implements RegistryView {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final String name;
    private final String host;

    HttpRegistryView(String name, String host) {
        this.name = name;
        this.host = host;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<String> tags(String repository) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = Http.bytes("GET", url(repository, "tags/list?n=10000"), null, TIMEOUT);
        if (r.statusCode() == 404) {
            return List.of();
        }
        require(r, "the tag list of " + repository);
        List<String> tags = new ArrayList<>();
        JsonNode list = ManifestParser.mapper().readTree(r.body()).path("tags");
        list.forEach(t -> tags.add(t.asText()));
        return tags;
    }

    @Override
    public Fetched manifest(String repository, String reference) throws IOException, InterruptedException {
        HttpResponse<byte[]> r =
                Http.bytes("GET", url(repository, "manifests/" + reference), MediaTypes.ACCEPT_HEADER, TIMEOUT);
        if (r.statusCode() == 404) {
            return null;
        }
        require(r, "manifest " + repository + ":" + reference);
        return new Fetched(r.body(), r.headers().firstValue("Content-Type").orElse(""));
    }

    @Override
    public boolean hasBlob(String repository, String digest) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = Http.bytes("HEAD", url(repository, "blobs/" + digest), null, TIMEOUT);
        if (r.statusCode() == 404) {
            return false;
        }
        require(r, "blob " + repository + "@" + digest);
        return true;
    }

    private String url(String repository, String rest) {
        return "http://" + host + "/v2/" + repository + "/" + rest;
    }

    private void require(HttpResponse<byte[]> r, String what) throws IOException {
        if (r.statusCode() != 200) {
            throw new IOException(name + " answered " + r.statusCode() + " for " + what);
        }
    }
}
