package dev.ferry.loadtests.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.common.manifest.ManifestParser;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Counts the tags of a repository, to check a copy landed (independently of the copier). */
final class Tags {

    private Tags() {}

    static int count(String host, String repository) throws IOException, InterruptedException {
        HttpResponse<String> r =
                Http.send("GET", "http://" + host + "/v2/" + repository + "/tags/list?n=10000", Duration.ofSeconds(30));
        if (r.statusCode() == 404) {
            return 0;
        }
        JsonNode tags = ManifestParser.mapper().readTree(r.body()).path("tags");
        return tags.isArray() ? tags.size() : 0;
    }
}
