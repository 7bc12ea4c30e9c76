package dev.ferry.worker.copy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.common.digest.Digest;
import dev.ferry.common.manifest.Descriptor;
import dev.ferry.common.manifest.ImageIndex;
import dev.ferry.common.manifest.Manifest;
import dev.ferry.common.manifest.ManifestParser;
import dev.ferry.common.mediatype.ArtifactFilter;
import dev.ferry.common.mediatype.MediaTypes;
import dev.ferry.common.signature.CosignFormat;
import dev.ferry.common.transport.RegistryException;
import io.vertx.core.Future;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries what refers to an image along with it:
 * <ul>
 *   <li>cosign's tags next to it, {@code sha256-<hex>.sig}, {@code .att} and {@code .sbom},
 *       each copied as an image under the same tag;</li>
 *   <li>OCI referrers (manifests whose {@code subject} is the image), listed through the
 *       referrers API or, where the source lacks it, the {@code sha256-<hex>} tag schema;
 *       each copied by digest. When the target then does not list them (it has no referrers
 *       API), they are added to its {@code sha256-<hex>} index, keeping what it held.</li>
 * </ul>
 * Only what the filter admits travels. An OCI referrer is judged by its descriptor's media type
 * and {@code artifactType}; a cosign tag by its suffix ({@code .sig} a signature, {@code .att}
 * an attestation, {@code .sbom} an SBOM). What is left out is logged, never copied.
 */
final class ReferrerCopier {

    private static final Logger LOG = LoggerFactory.getLogger(ReferrerCopier.class);

    /** The artifact type a cosign tag suffix stands for, as the filter sees it. */
    private static final Map<String, String> COSIGN_TYPES = Map.of(
            CosignFormat.SIGNATURE_SUFFIX,
            "application/vnd.dev.cosign.simplesigning.v1+json",
            "att",
            "application/vnd.dsse.envelope.v1+json",
            "sbom",
            "application/spdx+json");

    private final ImageLocation source;
    private final ImageLocation target;
    private final ArtifactFilter filter;
    private final BiFunction<ImageLocation, ImageLocation, Future<CopyResult>> copy;

    /**
     * @param filter which referrers travel
     * @param copy copies one artifact (a plain copy: no signature rule, no referrers of its own)
     */
    ReferrerCopier(
            ImageLocation source,
            ImageLocation target,
            ArtifactFilter filter,
            BiFunction<ImageLocation, ImageLocation, Future<CopyResult>> copy) {
        this.source = source;
        this.target = target;
        this.filter = filter;
        this.copy = copy;
    }

    /** Completes with the number of artifacts carried (copied or already there). */
    Future<Integer> carry(Digest subject) {
        return cosignTags(subject).compose(tags -> referrers(subject).map(refs -> tags + refs));
    }

    private Future<Integer> cosignTags(Digest subject) {
        Future<Integer> chain = Future.succeededFuture(0);
        for (String suffix : CosignFormat.TAG_SUFFIXES) {
            String tag = CosignFormat.tag(subject, suffix);
            String type = COSIGN_TYPES.getOrDefault(suffix, suffix);
            boolean wanted = filter.admits(MediaTypes.OCI_MANIFEST, null, type);
            chain = chain.compose(n -> source.store()
                    .headManifest(source.repository(), tag)
                    .compose(found -> {
                        if (found.isEmpty()) {
                            return Future.succeededFuture(n);
                        }
                        if (!wanted) {
                            LOG.info(
                                    "referrers of {}@{}: left out cosign tag {} ({}): the policy's referrers filter does not admit it",
                                    source.repository(),
                                    subject,
                                    tag,
                                    type);
                            return Future.succeededFuture(n);
                        }
                        return copy.apply(at(source, tag), at(target, tag)).map(r -> n + 1);
                    }));
        }
        return chain;
    }

    private Future<Integer> referrers(Digest subject) {
        return source.store()
                .referrers(source.repository(), subject)
                .compose(all -> carryListed(subject, admitted(subject, all)));
    }

    private Future<Integer> carryListed(Digest subject, List<Descriptor> listed) {
        if (listed.isEmpty()) {
            return Future.succeededFuture(0);
        }
        Future<Void> chain = Future.succeededFuture();
        for (Descriptor d : listed) {
            chain = chain.compose(v -> copy.apply(
                            at(source, d.digest().toString()),
                            at(target, d.digest().toString()))
                    .mapEmpty());
        }
        return chain.compose(v -> target.store().referrers(target.repository(), subject))
                .compose(present -> addToTagSchema(subject, listed, present))
                .map(listed.size());
    }

    private List<Descriptor> admitted(Digest subject, List<Descriptor> all) {
        List<Descriptor> kept = new ArrayList<>();
        for (Descriptor d : all) {
            if (filter.admits(d.mediaType(), null, d.artifactType())) {
                kept.add(d);
            } else {
                LOG.info(
                        "referrers of {}@{}: left out {} (artifactType {}): the policy's referrers filter does not admit it",
                        source.repository(),
                        subject,
                        d.digest(),
                        d.artifactType());
            }
        }
        return kept;
    }

    /** Adds the descriptors the target does not list yet to its {@code sha256-<hex>} index. */
    private Future<Void> addToTagSchema(Digest subject, List<Descriptor> wanted, List<Descriptor> present) {
        Set<Digest> have = present.stream().map(Descriptor::digest).collect(Collectors.toSet());
        List<Descriptor> missing =
                wanted.stream().filter(d -> !have.contains(d.digest())).toList();
        if (missing.isEmpty()) {
            return Future.succeededFuture();
        }
        String tag = subject.asTag();
        return target.store()
                .getManifest(target.repository(), tag)
                .map(m -> m instanceof ImageIndex index ? index.manifests() : List.<Descriptor>of())
                .recover(e -> e instanceof RegistryException re && re.isNotFound()
                        ? Future.succeededFuture(List.of())
                        : Future.failedFuture(e))
                .compose(existing -> target.store().putManifest(target.repository(), tag, index(existing, missing)));
    }

    static Manifest index(List<Descriptor> existing, List<Descriptor> added) {
        Map<Digest, Descriptor> all = new LinkedHashMap<>();
        existing.forEach(d -> all.put(d.digest(), d));
        added.forEach(d -> all.putIfAbsent(d.digest(), d));
        ObjectNode root = ManifestParser.mapper().createObjectNode();
        root.put("schemaVersion", 2);
        root.put("mediaType", MediaTypes.OCI_INDEX);
        ArrayNode manifests = root.putArray("manifests");
        new ArrayList<>(all.values())
                .forEach(d -> manifests.add(ManifestParser.mapper().valueToTree(d)));
        try {
            return ManifestParser.parse(ManifestParser.mapper().writeValueAsBytes(root), MediaTypes.OCI_INDEX);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a referrers index", e);
        }
    }

    private static ImageLocation at(ImageLocation side, String reference) {
        return new ImageLocation(side.store(), side.registryId(), side.repository(), reference);
    }
}
