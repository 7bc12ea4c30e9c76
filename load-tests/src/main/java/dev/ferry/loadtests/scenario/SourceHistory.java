package dev.ferry.loadtests.scenario;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the churn did to the source: every manifest digest it ever pushed (recorded before the
 * push starts, so a checker never sees a digest before it is known) and each repository's tags
 * as the churn left them. Thread-safe.
 */
final class SourceHistory {

    private final Set<String> everServed = ConcurrentHashMap.newKeySet();
    private final Map<String, Map<String, String>> tags = new ConcurrentHashMap<>();

    /** Records the digests of a manifest about to be pushed (the top one and its children). */
    void willServe(Collection<String> digests) {
        everServed.addAll(digests);
    }

    boolean everServed(String digest) {
        return everServed.contains(digest);
    }

    int digestsServed() {
        return everServed.size();
    }

    void tagged(String repository, String tag, String digest) {
        tags.computeIfAbsent(repository, r -> new ConcurrentHashMap<>()).put(tag, digest);
    }

    void deleted(String repository, String tag) {
        Map<String, String> repo = tags.get(repository);
        if (repo != null) {
            repo.remove(tag);
        }
    }

    /** The tags of {@code repository} and their digests now, sorted by tag. */
    Map<String, String> tags(String repository) {
        return new TreeMap<>(tags.getOrDefault(repository, Map.of()));
    }

    List<String> tagNames(String repository) {
        return new ArrayList<>(tags(repository).keySet());
    }
}
