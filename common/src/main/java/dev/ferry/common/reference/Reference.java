package dev.ferry.common.reference;

import dev.ferry.common.digest.Digest;
import java.util.Objects;

/**
 * An image reference: registry, repository and a tag and/or a digest, normalised the way
 * Docker does it ({@code nginx} is {@code docker.io/library/nginx:latest}).
 *
 * @param registry host[:port] as written by the user, {@code docker.io} for Docker Hub
 * @param tag null when the reference is by digest only
 * @param digest null when the reference is by tag only
 */
public record Reference(String registry, String repository, String tag, Digest digest) {

    public static final String DOCKER_HUB = "docker.io";
    public static final String DOCKER_HUB_API_HOST = "registry-1.docker.io";
    public static final String DEFAULT_TAG = "latest";

    public Reference {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(repository, "repository");
        if (tag == null && digest == null) {
            throw new IllegalArgumentException("a reference needs a tag or a digest");
        }
    }

    /** Parses {@code [host[:port]/]repo[:tag][@digest]}; see {@link ReferenceParser}. */
    public static Reference parse(String value) {
        return ReferenceParser.parse(value);
    }

    /** The host to open connections to: Docker Hub's API lives on another name. */
    public String apiHost() {
        return DOCKER_HUB.equals(registry) ? DOCKER_HUB_API_HOST : registry;
    }

    /** What goes after {@code /manifests/}: the digest when there is one, else the tag. */
    public String identifier() {
        return digest != null ? digest.toString() : tag;
    }

    public Reference withTag(String newTag) {
        return new Reference(registry, repository, newTag, null);
    }

    public Reference withDigest(Digest newDigest) {
        return new Reference(registry, repository, null, newDigest);
    }

    public Reference withRepository(String newRepository) {
        return new Reference(registry, newRepository, tag, digest);
    }

    /** registry/repository, without tag or digest. */
    public String name() {
        return registry + "/" + repository;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(name());
        if (tag != null) {
            sb.append(':').append(tag);
        }
        if (digest != null) {
            sb.append('@').append(digest);
        }
        return sb.toString();
    }
}
