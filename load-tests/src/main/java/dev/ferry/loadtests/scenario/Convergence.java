package dev.ferry.loadtests.scenario;

import dev.ferry.common.digest.Digest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compares a target with the source, repository by repository, tag by tag: the digest of each
 * tag's manifest bytes. {@code missing} and {@code wrong} tags are lost (the source has them, the
 * target does not, or holds another digest); {@code extra} tags were deleted at the source and
 * are still on the target.
 */
final class Convergence {

    /** What one comparison found; {@code details} names the first differences. */
    record Result(int compared, int missing, int wrong, int extra, int errors, List<String> details) {

        int lost() {
            return missing + wrong;
        }

        boolean equal() {
            return missing == 0 && wrong == 0 && extra == 0 && errors == 0;
        }
    }

    private static final int MAX_DETAILS = 50;

    private Convergence() {}

    static Result compare(RegistryView source, RegistryView target, List<String> repositories)
            throws InterruptedException {
        int compared = 0;
        int missing = 0;
        int wrong = 0;
        int extra = 0;
        int errors = 0;
        List<String> details = new ArrayList<>();
        for (String repository : repositories) {
            try {
                Map<String, String> want = digests(source, repository);
                Map<String, String> have = digests(target, repository);
                for (Map.Entry<String, String> tag : want.entrySet()) {
                    compared++;
                    String got = have.get(tag.getKey());
                    String ref = target.name() + " " + repository + ":" + tag.getKey();
                    if (got == null) {
                        missing++;
                        note(details, ref + " is missing (source " + tag.getValue() + ")");
                    } else if (!got.equals(tag.getValue())) {
                        wrong++;
                        note(details, ref + " holds " + got + ", the source " + tag.getValue());
                    }
                }
                for (String tag : have.keySet()) {
                    if (!want.containsKey(tag)) {
                        extra++;
                        note(details, target.name() + " " + repository + ":" + tag + " is gone at the source");
                    }
                }
            } catch (IOException e) {
                errors++;
                note(details, "could not compare " + repository + ": " + e.getMessage());
            }
        }
        return new Result(compared, missing, wrong, extra, errors, details);
    }

    /** Tag to manifest digest; a tag deleted between the list and the read is left out. */
    private static Map<String, String> digests(RegistryView registry, String repository)
            throws IOException, InterruptedException {
        Map<String, String> out = new LinkedHashMap<>();
        for (String tag : registry.tags(repository)) {
            RegistryView.Fetched m = registry.manifest(repository, tag);
            if (m != null) {
                out.put(tag, Digest.sha256(m.body()).toString());
            }
        }
        return out;
    }

    private static void note(List<String> details, String line) {
        if (details.size() < MAX_DETAILS) {
            details.add(line);
        }
    }
}
