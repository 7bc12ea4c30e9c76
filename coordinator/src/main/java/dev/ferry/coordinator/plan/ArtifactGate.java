package dev.ferry.coordinator.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.common.image.ImageStore;
import dev.ferry.common.manifest.ImageManifest;
import dev.ferry.common.manifest.Manifest;
import dev.ferry.common.mediatype.ArtifactFilter;
import dev.ferry.config.model.ArtifactSpec;
import io.vertx.core.Future;
import java.io.IOException;

/**
 * A policy's {@code artifacts:} filter at planning time. A HEAD tells only the manifest's media
 * type, so when the policy filters by kind each tag's manifest is read (a GET, which Docker Hub
 * counts as a pull) for its config media type and {@code artifactType}. Without a filter nothing
 * is read.
 */
final class ArtifactGate {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ArtifactFilter filter;

    private ArtifactGate(ArtifactFilter filter) {
        this.filter = filter;
    }

    static ArtifactGate of(ArtifactSpec spec) {
        return new ArtifactGate(spec == null ? null : ArtifactFilter.of(spec.include(), spec.exclude()));
    }

    /** True when the manifest at {@code digest} is a kind the policy copies. */
    Future<Boolean> admits(ImageStore source, String repository, String digest) {
        if (filter == null || filter.all()) {
            return Future.succeededFuture(true);
        }
        return source.getManifest(repository, digest).map(this::admits);
    }

    boolean admits(Manifest m) {
        String config = m instanceof ImageManifest image && image.config() != null
                ? image.config().mediaType()
                : null;
        return filter.admits(m.mediaType(), config, artifactType(m.raw()));
    }

    private static String artifactType(byte[] raw) {
        try {
            JsonNode type = JSON.readTree(raw).get("artifactType");
            return type != null && type.isTextual() ? type.asText() : null;
        } catch (IOException e) {
            return null; // the parser accepted it already; no artifactType then
        }
    }
}
