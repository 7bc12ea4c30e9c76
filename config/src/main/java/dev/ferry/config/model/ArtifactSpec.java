package dev.ferry.config.model;

import java.util.List;

/**
 * {@code artifacts:} which kinds of artifact a policy copies, by kind name ({@code image},
 * {@code helm-chart}, {@code signature}, {@code sbom}, {@code attestation}, {@code wasm}) or by
 * media type, matched against the manifest's media type, its config's media type and its
 * {@code artifactType}. See {@link dev.ferry.common.mediatype.ArtifactFilter}.
 *
 * @param include empty means every kind
 * @param exclude never copied, whatever include says
 */
public record ArtifactSpec(List<String> include, List<String> exclude) {

    public ArtifactSpec {
        include = include == null ? List.of() : List.copyOf(include);
        exclude = exclude == null ? List.of() : List.copyOf(exclude);
    }
}
