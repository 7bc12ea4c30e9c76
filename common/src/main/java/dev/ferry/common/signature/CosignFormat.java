package dev.ferry.common.signature;

import dev.ferry.common.digest.Digest;
import java.util.List;
import java.util.regex.Pattern;

/** Names from sigstore/cosign's storage format for signatures, attestations and SBOMs. */
public final class CosignFormat {

    /** The media type of a layer whose bytes are a simple-signing payload. */
    public static final String SIMPLE_SIGNING_MEDIA_TYPE = "application/vnd.dev.cosign.simplesigning.v1+json";
    /** The layer annotation carrying the base64 signature over the payload bytes. */
    public static final String SIGNATURE_ANNOTATION = "dev.cosignproject.cosign/signature";
    /** The artifact type of a signature stored as an OCI 1.1 referrer. */
    public static final String SIGNATURE_ARTIFACT_TYPE = "application/vnd.dev.cosign.artifact.sig.v1+json";
    /** The {@code critical.type} a container image signature payload declares. */
    public static final String PAYLOAD_TYPE = "cosign container image signature";

    public static final String SIGNATURE_SUFFIX = "sig";
    /** Tag suffixes cosign uses next to an image: signatures, attestations, SBOMs. */
    public static final List<String> TAG_SUFFIXES = List.of(SIGNATURE_SUFFIX, "att", "sbom");

    /** cosign's artifact tags and the OCI referrers tag schema's index tag. */
    private static final Pattern ARTIFACT_TAG = Pattern.compile("sha256-[a-f0-9]{64}(\\.(sig|att|sbom))?");

    private CosignFormat() {}

    /**
     * True for {@code sha256-<hex>}, {@code sha256-<hex>.sig}, {@code .att} and {@code .sbom}:
     * tags that hold what refers to another image rather than an image of their own.
     */
    public static boolean isArtifactTag(String tag) {
        return ARTIFACT_TAG.matcher(tag).matches();
    }

    /** {@code sha256-<hex>.<suffix>}: where cosign keeps an artifact of {@code subject}. */
    public static String tag(Digest subject, String suffix) {
        return subject.asTag() + "." + suffix;
    }
}
