package dev.ferry.worker.copy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.common.digest.Digest;
import dev.ferry.common.digest.DigestCheckpoints;
import dev.ferry.common.digest.DigestMismatchException;
import dev.ferry.common.manifest.Descriptor;
import dev.ferry.common.manifest.ImageIndex;
import dev.ferry.common.manifest.ImageManifest;
import dev.ferry.common.manifest.InvalidManifestException;
import dev.ferry.common.manifest.Manifest;
import dev.ferry.common.manifest.ManifestParser;
import dev.ferry.common.mediatype.MediaTypes;
import dev.ferry.common.signature.SignatureGate;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Copies one image, tag or digest, from a source store to a target store.
 *
 * <p>Order is what makes it safe: every blob first (verified while streaming), then child
 * manifests by digest, and the tag last. The tag write is the commit point, so the target
 * never shows a tag whose content is incomplete, and a failed copy leaves only unreferenced
 * blobs that the next attempt reuses.
 *
 * <p>Longer than 300 lines on purpose: one copy's steps ({@code Run}: gate, platforms, blobs,
 * children, referrers, tag) read top to bottom in the order they must happen, which is the
 * rule this class keeps; split up, that order would be spread over several files.
 */
public final class ImageCopier {

    /** An index of indexes is legal but rare; deeper nesting is refused. */
    static final int MAX_INDEX_DEPTH = 4;

    private final Vertx vertx;
    private final CopyOptions options;
    private final KnownBlobs known;
    private final ResumableUploads uploads;
    private final Throttle throttle;

    private ImageCopier(Builder b) {
        this.vertx = b.vertx;
        this.options = b.options;
        this.known = b.known;
        this.uploads = b.uploads;
        this.throttle = b.throttle;
    }

    /**
     * A copier with {@code options}; {@code known} remembers blobs already at a target, shared by
     * the copies of one process. The rest has defaults, changed on the builder.
     */
    public static Builder builder(Vertx vertx, CopyOptions options, KnownBlobs known) {
        return new Builder(vertx, options, known);
    }

    /** How a copier is made: what it needs, then what may differ from the defaults. */
    public static final class Builder {
        private final Vertx vertx;
        private final CopyOptions options;
        private final KnownBlobs known;
        private ResumableUploads uploads;
        private Throttle throttle = Throttle.unlimited();

        private Builder(Vertx vertx, CopyOptions options, KnownBlobs known) {
            this.vertx = Objects.requireNonNull(vertx, "vertx");
            this.options = Objects.requireNonNull(options, "options");
            this.known = Objects.requireNonNull(known, "known");
        }

        /** Sessions of failed blob transfers, kept between a blob's attempts to resume them (default: 64 of its own). */
        public Builder uploads(ResumableUploads uploads) {
            this.uploads = Objects.requireNonNull(uploads, "uploads");
            return this;
        }

        /** Paces every blob this copier streams (a lease's bandwidth share); default unlimited. */
        public Builder throttle(Throttle throttle) {
            this.throttle = Objects.requireNonNull(throttle, "throttle");
            return this;
        }

        public ImageCopier build() {
            if (uploads == null) {
                uploads = new ResumableUploads(64);
            }
            return new ImageCopier(this);
        }
    }

    /**
     * Runs the copy on one Vert.x context (created when called from outside Vert.x), so all
     * its stream handlers run on one thread.
     */
    public Future<CopyResult> copy(ImageLocation source, ImageLocation target, CopyProgress progress) {
        return copy(source, target, progress, TagGuard.ALLOW);
    }

    /** As {@link #copy(ImageLocation, ImageLocation, CopyProgress)}, asking {@code guard} before the tag write. */
    public Future<CopyResult> copy(ImageLocation source, ImageLocation target, CopyProgress progress, TagGuard guard) {
        Context context = vertx.getOrCreateContext();
        Promise<CopyResult> result = Promise.promise();
        context.runOnContext(v -> new Run(source, target, progress, guard, true)
                .execute()
                // A blob seen there may have gone since (deleted, garbage-collected): look again next time.
                .onFailure(e -> known.forget(target.registryId(), target.repository()))
                .onComplete(result));
        return result.future();
    }

    /** The state of one copy. */
    private final class Run {
        private final ImageLocation source;
        private final ImageLocation target;
        private final CopyProgress progress;
        private final TagGuard guard;
        private final BlobCopier blobs;
        private final AtomicInteger manifestsPushed = new AtomicInteger();
        /** The job's own image: the signature rule and referrers apply (not to the referrers themselves). */
        private final boolean subject;

        Run(ImageLocation source, ImageLocation target, CopyProgress progress, TagGuard guard, boolean subject) {
            this.subject = subject;
            this.source = source;
            this.target = target;
            this.progress = progress;
            this.guard = guard;
            this.blobs = new BlobCopier(
                    source, target, known, progress, vertx, options, uploads, DigestCheckpoints.DEFAULT_STEP, throttle);
        }

        /**
         * A tag target is not looked at before the blobs: the tag is looked at right before it is
         * written anyway ({@link #commitTag}), a job is planned only when the tag differed, and a
         * blob already there costs one HEAD. That saves a request per job. By digest, there is no
         * later look, so it looks first.
         */
        Future<CopyResult> execute() {
            return source.store()
                    .getManifest(source.repository(), source.reference())
                    .compose(top -> admit(top)
                            .compose(v -> selectPlatforms(top))
                            .compose(selected -> !target.byDigest()
                                    ? write(top, selected)
                                    : upToDate(selected)
                                            .compose(current -> current
                                                    ? carryReferrers(top).map(v -> upToDateResult(top, selected))
                                                    : write(top, selected))));
        }

        private Future<CopyResult> write(Manifest top, Manifest selected) {
            return gather(selected, 0, new LinkedHashMap<>(), new ArrayList<>())
                    .compose(plan -> transfer(plan))
                    .compose(v -> carryReferrers(top))
                    .compose(v -> target.byDigest() ? Future.succeededFuture(false) : commitTag(selected))
                    .compose(alreadyThere -> {
                        if (alreadyThere) {
                            return Future.succeededFuture(upToDateResult(top, selected));
                        }
                        progress.phase("writing " + (target.byDigest() ? "manifest" : "tag"));
                        return push(selected, target.reference())
                                .compose(v -> checkWritten(selected))
                                .map(v -> {
                                    progress.phase("done");
                                    return result(top, selected, false);
                                });
                    });
        }

        private CopyResult upToDateResult(Manifest top, Manifest selected) {
            progress.phase("up to date");
            return result(top, selected, true);
        }

        /**
         * The signature gate, before anything is written. The signature is on the source's
         * digest (an index's, for a multi-platform image), which is what the publisher signed.
         */
        private Future<Void> admit(Manifest top) {
            if (!subject || options.signatureKeys().isEmpty()) {
                return Future.succeededFuture();
            }
            progress.phase("checking the signature");
            return new SignatureGate(options.signatureKeys())
                    .admit(source.store(), source.repository(), top.digest())
                    .mapEmpty();
        }

        /** Signatures, attestations, SBOMs and referrers go first, so the tag never shows up without them. */
        private Future<Void> carryReferrers(Manifest top) {
            if (!subject || !options.referrers()) {
                return Future.succeededFuture();
            }
            progress.phase("copying signatures and referrers");
            return new ReferrerCopier(
                            source,
                            target,
                            options.referrerFilter(),
                            (from, to) -> new Run(from, to, progress, TagGuard.ALLOW, false).execute())
                    .carry(top.digest())
                    .mapEmpty();
        }

        /**
         * Looks at the target tag once more, right before writing it (the blobs may have taken
         * long), and asks the guard with what it holds now. True when the tag already holds the
         * wanted digest: nothing to write. Keeps the current image under the backup tag the guard
         * names, if any.
         */
        private Future<Boolean> commitTag(Manifest wanted) {
            String tag = target.reference();
            return target.store().headManifest(target.repository(), tag).compose(found -> {
                Digest current = found.map(d -> d.digest()).orElse(null);
                if (wanted.digest().equals(current)) {
                    return Future.succeededFuture(true);
                }
                return guard.beforeTagWrite(tag, wanted.digest(), current).compose(permit -> {
                    if (permit.backupTag() == null || current == null) {
                        return Future.succeededFuture(false);
                    }
                    progress.phase("keeping " + current + " as " + permit.backupTag());
                    return target.store()
                            .getManifest(target.repository(), current.toString())
                            .compose(old -> push(old, permit.backupTag()))
                            .map(false);
                });
            });
        }

        /**
         * The post-copy check: the target tag must now resolve to exactly the manifest written.
         * It catches a registry that rewrote the manifest and a writer that raced this copy.
         */
        private Future<Void> checkWritten(Manifest written) {
            if (target.byDigest()) {
                return Future.succeededFuture(); // a PUT by digest is checked by the registry itself
            }
            progress.phase("checking the tag");
            return target.store()
                    .headManifest(target.repository(), target.reference())
                    .compose(found -> {
                        Digest now = found.map(d -> d.digest()).orElse(null);
                        if (written.digest().equals(now)) {
                            return Future.succeededFuture();
                        }
                        return Future.failedFuture(
                                new DigestMismatchException(
                                        written.digest(),
                                        written.raw().length,
                                        now,
                                        found.map(d -> d.size()).orElse(-1L),
                                        "post-copy check: " + target + " resolves to "
                                                + (now == null ? "nothing" : now.toString()) + ", not the "
                                                + written.digest()
                                                + " just written (did another writer race this copy, or does the registry rewrite manifests?)"));
                    });
        }

        private CopyResult result(Manifest top, Manifest written, boolean upToDate) {
            return new CopyResult(
                    top.digest(),
                    written.digest(),
                    upToDate,
                    manifestsPushed.get(),
                    blobs.copied.get(),
                    blobs.mounted.get(),
                    blobs.skipped.get(),
                    blobs.bytes.get());
        }

        /** Whether the target holds the manifest by digest, with a HEAD (on Docker Hub not a pull). */
        private Future<Boolean> upToDate(Manifest wanted) {
            return target.store()
                    .headManifest(target.repository(), wanted.digest().toString())
                    .map(Optional::isPresent);
        }

        private Future<Manifest> selectPlatforms(Manifest top) {
            if (!(top instanceof ImageIndex index) || options.allPlatforms()) {
                return Future.succeededFuture(top);
            }
            List<Descriptor> kept = index.manifests().stream()
                    .filter(d -> options.wants(d.platform()))
                    .toList();
            if (kept.isEmpty()) {
                return Future.failedFuture(new InvalidManifestException("no platform of " + source + " matches "
                        + options.platforms() + "; it has " + platformsOf(index)));
            }
            return Future.succeededFuture(filteredIndex(index, kept));
        }

        /** Collects, depth first, the manifests to push (children before parents) and the blobs. */
        private Future<Plan> gather(Manifest m, int depth, Map<String, Descriptor> blobSet, List<Manifest> children) {
            if (depth > MAX_INDEX_DEPTH) {
                return Future.failedFuture(new InvalidManifestException(
                        source + ": indexes nested deeper than " + MAX_INDEX_DEPTH + " levels"));
            }
            if (m instanceof ImageManifest image) {
                for (Descriptor b : image.blobs()) {
                    if (!MediaTypes.isForeignLayer(b.mediaType())) {
                        blobSet.putIfAbsent(b.digest().toString(), b);
                    }
                }
                return Future.succeededFuture(new Plan(blobSet, children));
            }
            ImageIndex index = (ImageIndex) m;
            Future<Void> chain = Future.succeededFuture();
            for (Descriptor child : index.manifests()) {
                chain = chain.compose(v -> source.store()
                        .getManifest(source.repository(), child.digest().toString())
                        .compose(cm -> gather(cm, depth + 1, blobSet, children).map(p -> {
                            children.add(cm);
                            return null;
                        })));
            }
            return chain.map(v -> new Plan(blobSet, children));
        }

        private Future<Void> transfer(Plan plan) {
            List<Descriptor> list = new ArrayList<>(plan.blobs().values());
            progress.plan(list.size(), list.stream().mapToLong(Descriptor::size).sum());
            progress.phase("copying blobs");
            return Bounded.forEach(list, options.blobConcurrency(), blobs::copy).compose(v -> {
                progress.phase("writing child manifests");
                return Bounded.forEach(
                        plan.children(),
                        options.blobConcurrency(),
                        child -> push(child, child.digest().toString()));
            });
        }

        private Future<Void> push(Manifest m, String reference) {
            return target.store()
                    .putManifest(target.repository(), reference, m)
                    .onSuccess(v -> manifestsPushed.incrementAndGet());
        }
    }

    private record Plan(Map<String, Descriptor> blobs, List<Manifest> children) {}

    /** A copy of the index, with the same fields but only the kept descriptors. */
    static ImageIndex filteredIndex(ImageIndex index, List<Descriptor> kept) {
        try {
            ObjectNode root = (ObjectNode) ManifestParser.mapper().readTree(index.raw());
            ArrayNode manifests = root.putArray("manifests");
            for (Descriptor d : kept) {
                manifests.add(ManifestParser.mapper().valueToTree(d));
            }
            byte[] raw =
                    ManifestParser.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
            return (ImageIndex) ManifestParser.parse(raw, index.mediaType());
        } catch (IOException e) {
            throw new InvalidManifestException("could not rewrite index " + index.digest() + ": " + e.getMessage(), e);
        }
    }

    private static String platformsOf(ImageIndex index) {
        return index.manifests().stream()
                .map(d -> d.platform() == null ? "(no platform)" : d.platform().toString())
                .toList()
                .toString();
    }
}
