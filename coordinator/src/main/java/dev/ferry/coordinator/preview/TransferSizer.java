package dev.ferry.coordinator.preview;

import dev.ferry.common.image.ImageStore;
import dev.ferry.common.manifest.Descriptor;
import dev.ferry.common.manifest.ImageIndex;
import dev.ferry.common.manifest.ImageManifest;
import dev.ferry.common.manifest.Manifest;
import dev.ferry.config.filter.PlatformFilter;
import dev.ferry.config.model.LinkConfig;
import dev.ferry.config.model.Policy;
import dev.ferry.config.model.RegistryConfig;
import dev.ferry.config.model.Schedule;
import dev.ferry.coordinator.plan.RegistryAccess;
import dev.ferry.coordinator.preview.PolicyPreview.LinkTransfer;
import dev.ferry.coordinator.preview.PolicyPreview.TagLine;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The bytes a run's copies would move per link: each image's manifest is read from the source
 * (an index's children too, for the policy's platforms), and every blob the target repository
 * lacks (a blob HEAD) counts with its size, once per target registry however many copies share
 * it. The estimate divides by the link's quota: what the quota allows at best, not a promise.
 *
 * <p>Copies are sized one after another (each one's blob HEADs together), at most
 * {@link #MAX_SIZED}; a larger plan says how many it sized.
 */
final class TransferSizer {

    static final int MAX_SIZED = 2000;

    /** One copy the run would make to {@code targetRegistry}. */
    record Copy(String targetRegistry, TagLine tag) {}

    record Transfer(List<LinkTransfer> links, List<String> errors) {}

    private final Schedule schedule;
    private final RegistryAccess registries;

    TransferSizer(Schedule schedule, RegistryAccess registries) {
        this.schedule = schedule;
        this.registries = registries;
    }

    Future<Transfer> size(Policy policy, List<Copy> copies) {
        if (copies.isEmpty()) {
            return Future.succeededFuture(new Transfer(List.of(), List.of()));
        }
        RegistryConfig source = schedule.registry(policy.source().registry()).orElseThrow();
        PlatformFilter platforms = PlatformFilter.of(policy.platforms());
        Map<String, Long> bytesByLink = new LinkedHashMap<>();
        Map<String, Integer> blobsByLink = new LinkedHashMap<>();
        Set<String> counted = ConcurrentHashMap.newKeySet();
        Map<String, Future<List<Descriptor>>> blobsOfDigest = new HashMap<>();
        List<String> errors = new ArrayList<>();
        return registries
                .store(source.name())
                .compose(sourceStore -> {
                    Future<Void> chain = Future.succeededFuture();
                    for (Copy copy : copies.subList(0, Math.min(copies.size(), MAX_SIZED))) {
                        RegistryConfig target =
                                schedule.registry(copy.targetRegistry()).orElseThrow();
                        String link = source.region() + "\n" + target.region();
                        bytesByLink.putIfAbsent(link, 0L);
                        blobsByLink.putIfAbsent(link, 0);
                        chain = chain.compose(v -> blobsOfDigest
                                .computeIfAbsent(
                                        copy.tag().sourceDigest(),
                                        d -> blobs(sourceStore, copy.tag().sourceRepository(), d, platforms))
                                .compose(blobs -> registries
                                        .store(target.name())
                                        .compose(targetStore -> Future.all(blobs.stream()
                                                .filter(b -> counted.add(target.name() + "\n" + b.digest()))
                                                .map(b -> targetStore
                                                        .hasBlob(copy.tag().targetRepository(), b.digest())
                                                        .map(has -> has ? 0L : b.size()))
                                                .toList())))
                                .map(sizes -> {
                                    for (Long size : sizes.<Long>list()) {
                                        if (size > 0) {
                                            bytesByLink.merge(link, size, Long::sum);
                                            blobsByLink.merge(link, 1, Integer::sum);
                                        }
                                    }
                                    return (Void) null;
                                })
                                .recover(e -> {
                                    errors.add("sizing " + copy.targetRegistry() + "/"
                                            + copy.tag().targetRepository() + ":"
                                            + copy.tag().tag() + ": " + e.getMessage());
                                    return Future.succeededFuture();
                                }));
                    }
                    return chain;
                })
                .map(v -> {
                    List<LinkTransfer> links = new ArrayList<>();
                    bytesByLink.forEach((link, bytes) -> {
                        String[] ends = link.split("\n", 2);
                        Long quota = schedule.links().stream()
                                .filter(l -> l.from().equals(ends[0]) && l.to().equals(ends[1]))
                                .findFirst()
                                .map(LinkConfig::bandwidth)
                                .map(b -> b.bytesPerSecond())
                                .orElse(null);
                        Long seconds = quota == null || quota <= 0 ? null : (bytes + quota - 1) / quota;
                        links.add(new LinkTransfer(ends[0], ends[1], bytes, blobsByLink.get(link), quota, seconds));
                    });
                    if (copies.size() > MAX_SIZED) {
                        errors.add("sized the first " + MAX_SIZED + " of " + copies.size()
                                + " copies only; the bytes are a lower bound");
                    }
                    return new Transfer(links, errors);
                });
    }

    /** Every blob an image needs: its config and layers; for an index, those of each selected platform. */
    private static Future<List<Descriptor>> blobs(
            ImageStore store, String repository, String digest, PlatformFilter platforms) {
        return store.getManifest(repository, digest).compose(m -> blobs(store, repository, m, platforms));
    }

    private static Future<List<Descriptor>> blobs(
            ImageStore store, String repository, Manifest manifest, PlatformFilter platforms) {
        if (manifest instanceof ImageManifest image) {
            return Future.succeededFuture(image.blobs());
        }
        ImageIndex index = (ImageIndex) manifest;
        List<Future<List<Descriptor>>> children = index.manifests().stream()
                .filter(d -> platforms.matches(d.platform()))
                .map(d -> store.getManifest(repository, d.digest().toString())
                        .compose(child -> blobs(store, repository, child, platforms)))
                .toList();
        return Future.all(children).map(all -> {
            List<Descriptor> blobs = new ArrayList<>();
            all.<List<Descriptor>>list().forEach(blobs::addAll);
            return blobs;
        });
    }
}
