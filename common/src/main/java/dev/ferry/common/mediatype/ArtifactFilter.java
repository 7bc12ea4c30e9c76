package dev.ferry.common.mediatype;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Selects artifacts by what they are. An entry is a kind name from {@link #KINDS} or a media
 * type (it holds a {@code /}), compared exactly with the manifest's media type, its config's
 * media type and its {@code artifactType}. An artifact is admitted when it matches an include
 * entry (no include entries means every artifact) and no exclude entry. An index has no config:
 * it is an {@code image} when its manifest media type is an index's, unless its
 * {@code artifactType} says otherwise.
 */
public final class ArtifactFilter {

    /** Kind names and the media types (manifest, config or artifactType) that make an artifact that kind. */
    public static final Map<String, Set<String>> KINDS = kinds();

    private static Map<String, Set<String>> kinds() {
        Map<String, Set<String>> k = new LinkedHashMap<>();
        k.put(
                "image",
                Set.of("application/vnd.oci.image.config.v1+json", "application/vnd.docker.container.image.v1+json"));
        k.put(
                "index",
                Set.of(
                        "application/vnd.oci.image.index.v1+json",
                        "application/vnd.docker.distribution.manifest.list.v2+json"));
        k.put("helm-chart", Set.of("application/vnd.cncf.helm.config.v1+json"));
        k.put(
                "signature",
                Set.of(
                        "application/vnd.dev.cosign.simplesigning.v1+json",
                        "application/vnd.dev.cosign.artifact.sig.v1+json",
                        "application/vnd.dev.sigstore.bundle.v0.3+json",
                        "application/vnd.dev.sigstore.bundle+json;version=0.3",
                        "application/vnd.cncf.notary.signature"));
        k.put(
                "sbom",
                Set.of(
                        "application/spdx+json",
                        "text/spdx",
                        "application/vnd.cyclonedx+json",
                        "application/vnd.cyclonedx+xml",
                        "application/vnd.syft+json",
                        "application/vnd.dev.cosign.artifact.sbom.v1+json"));
        k.put("attestation", Set.of("application/vnd.in-toto+json", "application/vnd.dsse.envelope.v1+json"));
        k.put(
                "wasm",
                Set.of(
                        "application/vnd.wasm.config.v0+json",
                        "application/vnd.wasm.config.v1+json",
                        "application/vnd.module.wasm.config.v1+json"));
        return Collections.unmodifiableMap(k);
    }

    private final List<Set<String>> include;
    private final List<Set<String>> exclude;

    private ArtifactFilter(List<Set<String>> include, List<Set<String>> exclude) {
        this.include = include;
        this.exclude = exclude;
    }

    /**
     * @throws IllegalArgumentException for an entry that is neither a kind name nor a media type,
     *     naming the kinds
     */
    public static ArtifactFilter of(List<String> include, List<String> exclude) {
        return new ArtifactFilter(resolve(include), resolve(exclude));
    }

    private static List<Set<String>> resolve(List<String> entries) {
        List<Set<String>> out = new ArrayList<>();
        for (String e : entries == null ? List.<String>of() : entries) {
            out.add(resolve(e));
        }
        return out;
    }

    /** The media types one entry stands for. */
    public static Set<String> resolve(String entry) {
        Objects.requireNonNull(entry, "entry");
        if (KINDS.containsKey(entry)) {
            return KINDS.get(entry);
        }
        if (entry.indexOf('/') > 0 && entry.indexOf('/') < entry.length() - 1) {
            return Set.of(entry);
        }
        throw new IllegalArgumentException("unknown artifact kind \"" + entry + "\": give one of " + KINDS.keySet()
                + " or a media type such as application/vnd.cncf.helm.config.v1+json");
    }

    /** True when the filter selects every artifact. */
    public boolean all() {
        return include.isEmpty() && exclude.isEmpty();
    }

    /**
     * @param configMediaType null for an index
     * @param artifactType null when the manifest has none
     */
    public boolean admits(String manifestMediaType, String configMediaType, String artifactType) {
        List<String> types = new ArrayList<>(4);
        types.add(manifestMediaType);
        if (configMediaType != null) {
            types.add(configMediaType);
        } else if (artifactType == null) {
            types.add("application/vnd.oci.image.config.v1+json"); // an index of images is an image
        }
        if (artifactType != null) {
            types.add(artifactType);
        }
        boolean included = include.isEmpty()
                || include.stream().anyMatch(set -> types.stream().anyMatch(set::contains));
        return included && exclude.stream().noneMatch(set -> types.stream().anyMatch(set::contains));
    }
}
