package dev.ferry.common.signature;

import dev.ferry.common.digest.Digest;
import dev.ferry.common.image.ImageStore;
import dev.ferry.common.image.SmallBlobs;
import dev.ferry.common.manifest.Descriptor;
import dev.ferry.common.manifest.ImageManifest;
import dev.ferry.common.manifest.Manifest;
import dev.ferry.common.transport.RegistryException;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * Admits an image only with a valid cosign signature. Looks first at the {@code .sig} tag
 * next to the image ({@code sha256-<hex>.sig}, cosign's default), then at OCI referrers
 * whose artifact type is a cosign signature. Any one signature layer that verifies with one
 * of the keys and names the digest admits the image; otherwise the future fails with a
 * {@link SignatureRejectedException} carrying the reason of the last candidate tried.
 */
public final class SignatureGate {

    /** Payloads are a few hundred bytes; anything much larger is not one. */
    static final int MAX_PAYLOAD_BYTES = 64 * 1024;

    private final SignatureCheck check;

    public SignatureGate(List<CosignKey> keys) {
        this.check = new SignatureCheck(keys);
    }

    /** Completes with the verifying key, or fails with {@link SignatureRejectedException}. */
    public Future<CosignKey> admit(ImageStore store, String repository, Digest subject) {
        String tag = CosignFormat.tag(subject, CosignFormat.SIGNATURE_SUFFIX);
        return layersUnderTag(store, repository, tag)
                .compose(layers -> firstValid(store, repository, subject, layers, 0, null))
                .recover(fromTag -> referrerLayers(store, repository, subject)
                        .compose(layers -> firstValid(store, repository, subject, layers, 0, null))
                        .recover(fromReferrers -> Future.failedFuture(explain(subject, tag, fromTag, fromReferrers))));
    }

    private Future<CosignKey> firstValid(
            ImageStore store,
            String repository,
            Digest subject,
            List<Descriptor> layers,
            int i,
            SignatureRejectedException last) {
        if (i == layers.size()) {
            return Future.failedFuture(last != null ? last : new NoSignature());
        }
        Descriptor layer = layers.get(i);
        String signature =
                layer.annotations() == null ? null : layer.annotations().get(CosignFormat.SIGNATURE_ANNOTATION);
        return SmallBlobs.read(store, repository, layer, MAX_PAYLOAD_BYTES)
                .map(payload -> check.check(subject, payload, signature))
                .recover(e -> {
                    if (e instanceof SignatureRejectedException rejected) {
                        return firstValid(store, repository, subject, layers, i + 1, rejected);
                    }
                    if (e instanceof IllegalArgumentException tooBig) {
                        return firstValid(
                                store,
                                repository,
                                subject,
                                layers,
                                i + 1,
                                new SignatureRejectedException(
                                        "the signature payload is unusable: " + tooBig.getMessage()));
                    }
                    return Future.failedFuture(e); // a registry or network error: not a verdict on the image
                });
    }

    private static Future<List<Descriptor>> layersUnderTag(ImageStore store, String repository, String tag) {
        return store.getManifest(repository, tag)
                .map(SignatureGate::signatureLayers)
                .recover(e -> e instanceof RegistryException re && re.isNotFound()
                        ? Future.succeededFuture(List.of())
                        : Future.failedFuture(e));
    }

    private static Future<List<Descriptor>> referrerLayers(ImageStore store, String repository, Digest subject) {
        return store.referrers(repository, subject).compose(referrers -> {
            List<Future<List<Descriptor>>> each = referrers.stream()
                    .filter(d -> CosignFormat.SIGNATURE_ARTIFACT_TYPE.equals(d.artifactType()))
                    .map(d ->
                            store.getManifest(repository, d.digest().toString()).map(SignatureGate::signatureLayers))
                    .toList();
            return Future.all(each).map(all -> {
                List<Descriptor> layers = new ArrayList<>();
                each.forEach(f -> layers.addAll(f.result()));
                return layers;
            });
        });
    }

    static List<Descriptor> signatureLayers(Manifest m) {
        if (!(m instanceof ImageManifest image)) {
            return List.of();
        }
        return image.layers().stream()
                .filter(l -> CosignFormat.SIMPLE_SIGNING_MEDIA_TYPE.equals(l.mediaType()))
                .toList();
    }

    /** The verdict: registry errors pass through; otherwise the most telling rejection. */
    private static Throwable explain(Digest subject, String tag, Throwable fromTag, Throwable fromReferrers) {
        for (Throwable e : new Throwable[] {fromTag, fromReferrers}) {
            if (!(e instanceof SignatureRejectedException)) {
                return e;
            }
        }
        if (fromTag instanceof NoSignature && fromReferrers instanceof NoSignature) {
            return new SignatureRejectedException("no cosign signature for " + subject
                    + " (no signature layer under tag " + tag + " nor among its referrers)");
        }
        Throwable telling = fromTag instanceof NoSignature ? fromReferrers : fromTag;
        return new SignatureRejectedException(subject + " is not admitted: " + telling.getMessage());
    }

    /** No candidate layer at all (as opposed to candidates that failed). */
    private static final class NoSignature extends SignatureRejectedException {
        NoSignature() {
            super("no signature");
        }
    }
}
