package dev.ferry.loadtests.scenario;

import dev.ferry.common.digest.Digest;
import dev.ferry.common.manifest.Descriptor;
import dev.ferry.common.manifest.ImageIndex;
import dev.ferry.common.manifest.ImageManifest;
import dev.ferry.common.manifest.Manifest;
import dev.ferry.common.manifest.ManifestParser;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Checks, tag by tag, what a target registry shows against two invariants: {@link #COMPLETE}
 * (the tag's manifest, and every child of an index, has all its blobs) and {@link #KNOWN}
 * (every manifest digest it holds under a tag is one the source once served). Blobs and
 * manifests found complete are remembered per registry and repository (content is immutable),
 * so a poll reads mostly tag lists and manifests. Every tag seen is reported to the lag tracker.
 */
final class InvariantChecker {

    static final String COMPLETE = "no incomplete tag";
    static final String KNOWN = "no digest the source never had";
    private static final int MAX_RECORDED = 200;

    /** One invariant failure, as found. */
    record Failure(String at, String invariant, String target, String reference, String detail) {}

    private final SourceHistory source;
    private final LagTracker lags;
    private final LongSupplier clock;
    private final Set<String> complete = ConcurrentHashMap.newKeySet();
    private final Set<String> blobs = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicLong> checks = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> failures = new ConcurrentHashMap<>();
    private final List<Failure> recorded = new ArrayList<>();
    private final AtomicLong unreachable = new AtomicLong();

    InvariantChecker(SourceHistory source, LagTracker lags, LongSupplier clock) {
        this.source = source;
        this.lags = lags;
        this.clock = clock;
        for (String invariant : List.of(COMPLETE, KNOWN)) {
            checks.put(invariant, new AtomicLong());
            failures.put(invariant, new AtomicLong());
        }
    }

    /** Checks every tag of {@code repositories} at {@code target}; a registry that cannot be reached is counted and skipped. */
    void check(RegistryView target, List<String> repositories) throws InterruptedException {
        try {
            for (String repository : repositories) {
                for (String tag : target.tags(repository)) {
                    checkTag(target, repository, tag);
                }
            }
        } catch (IOException e) {
            unreachable.incrementAndGet();
        }
    }

    private void checkTag(RegistryView target, String repository, String tag) throws IOException, InterruptedException {
        RegistryView.Fetched fetched = target.manifest(repository, tag);
        if (fetched == null) {
            return; // deleted between the tag list and now
        }
        long seenAt = clock.getAsLong();
        String digest = Digest.sha256(fetched.body()).toString();
        String reference = repository + ":" + tag + "@" + digest;
        lags.observed(target.name(), repository, tag, digest, seenAt);
        known(target, reference, digest);
        count(COMPLETE);
        String key = target.name() + "|" + repository + "@" + digest;
        if (complete.contains(key)) {
            return;
        }
        List<String> missing;
        try {
            missing = missing(target, repository, reference, fetched);
        } catch (RuntimeException unparsable) {
            missing = List.of("a manifest that does not parse: " + unparsable.getMessage());
        }
        if (missing.isEmpty()) {
            complete.add(key);
        } else {
            fail(COMPLETE, target, reference, "missing: " + String.join(", ", missing));
        }
    }

    private List<String> missing(RegistryView target, String repository, String reference, RegistryView.Fetched top)
            throws IOException, InterruptedException {
        Manifest manifest = parse(top);
        List<String> missing = new ArrayList<>();
        if (manifest instanceof ImageIndex index) {
            for (Descriptor child : index.manifests()) {
                String childDigest = child.digest().toString();
                known(target, reference + " child " + childDigest, childDigest);
                RegistryView.Fetched fetched = target.manifest(repository, childDigest);
                if (fetched == null) {
                    missing.add("child manifest " + childDigest);
                } else if (parse(fetched) instanceof ImageManifest image) {
                    missing.addAll(missingBlobs(target, repository, image));
                }
            }
        } else if (manifest instanceof ImageManifest image) {
            missing.addAll(missingBlobs(target, repository, image));
        }
        return missing;
    }

    private List<String> missingBlobs(RegistryView target, String repository, ImageManifest image)
            throws IOException, InterruptedException {
        List<String> missing = new ArrayList<>();
        for (Descriptor blob : image.blobs()) {
            String key = target.name() + "|" + repository + "@" + blob.digest();
            if (!blobs.contains(key)) {
                if (target.hasBlob(repository, blob.digest().toString())) {
                    blobs.add(key);
                } else {
                    missing.add("blob " + blob.digest());
                }
            }
        }
        return missing;
    }

    private void known(RegistryView target, String reference, String digest) {
        count(KNOWN);
        if (!source.everServed(digest)) {
            fail(KNOWN, target, reference, "the source never served " + digest);
        }
    }

    private static Manifest parse(RegistryView.Fetched fetched) {
        return ManifestParser.parse(fetched.body(), fetched.mediaType());
    }

    private void count(String invariant) {
        checks.get(invariant).incrementAndGet();
    }

    private void fail(String invariant, RegistryView target, String reference, String detail) {
        failures.get(invariant).incrementAndGet();
        synchronized (recorded) {
            if (recorded.size() < MAX_RECORDED) {
                recorded.add(new Failure(Instant.now().toString(), invariant, target.name(), reference, detail));
            }
        }
    }

    long checks(String invariant) {
        return checks.get(invariant).get();
    }

    long failures(String invariant) {
        return failures.get(invariant).get();
    }

    /** Polls that found a target unreachable (stopped by a fault, say). */
    long unreachable() {
        return unreachable.get();
    }

    /** The first failures found, with details. */
    List<Failure> recorded() {
        synchronized (recorded) {
            return List.copyOf(recorded);
        }
    }

    /** Per invariant: checks and failures, for the report. */
    Map<String, Map<String, Long>> summary() {
        Map<String, Map<String, Long>> out = new LinkedHashMap<>();
        for (String invariant : List.of(COMPLETE, KNOWN)) {
            Map<String, Long> counts = new LinkedHashMap<>();
            counts.put("checks", checks(invariant));
            counts.put("failures", failures(invariant));
            out.put(invariant, counts);
        }
        return out;
    }
}
