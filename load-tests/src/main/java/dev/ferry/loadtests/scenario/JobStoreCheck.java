package dev.ferry.loadtests.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.common.manifest.ManifestParser;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * After the catch-up: does the job store hold a stuck job? Jobs still open ({@code queued},
 * {@code leased}, {@code held}) are watched for up to {@code window}; one that is still open at
 * the end in the same state with the same fencing token as at the start (so nothing leased,
 * renewed-away or finished it in between: with a 15 s lease TTL a window of 60 s is four TTLs)
 * is stuck, and so is a run not ended after twice the window. Also counts the finished jobs that did not succeed.
 */
final class JobStoreCheck {

    /** What the check found; {@code stuck} names the stuck jobs. */
    record Result(
            int openAtStart, List<String> stuck, int failed, int conflicts, List<String> whyFailed, String error) {}

    private static final int MAX_REASONS = 10;

    private static final List<String> OPEN = List.of("queued", "leased", "held");

    private JobStoreCheck() {}

    static Result run(Supplier<String> api, Duration window) throws InterruptedException {
        try {
            Map<String, String> first = open(api.get());
            Map<String, String> now = first;
            long end = System.nanoTime() + window.toNanos();
            while (!now.isEmpty() && System.nanoTime() < end) {
                Thread.sleep(5_000);
                now = open(api.get());
            }
            List<String> stuck = new ArrayList<>();
            for (Map.Entry<String, String> job : now.entrySet()) {
                if (job.getValue().equals(first.get(job.getKey()))) {
                    stuck.add(job.getKey() + " " + job.getValue());
                }
            }
            stuck.addAll(runsActiveSince(api.get(), Instant.now().minus(window.multipliedBy(2))));
            List<JsonNode> failed = jobs(api.get(), "failed");
            List<String> why = new ArrayList<>();
            for (JsonNode job : failed.subList(0, Math.min(MAX_REASONS, failed.size()))) {
                why.add(job.path("source").asText() + " -> "
                        + job.path("target").asText() + ": "
                        + job.path("lastError").asText());
            }
            return new Result(
                    first.size(),
                    stuck,
                    failed.size(),
                    jobs(api.get(), "conflict").size(),
                    why,
                    null);
        } catch (IOException | RuntimeException e) {
            return new Result(0, List.of(), 0, 0, List.of(), "could not read the job store: " + e);
        }
    }

    /** Runs not ended that had started before {@code since}. */
    private static List<String> runsActiveSince(String api, Instant since) throws IOException, InterruptedException {
        HttpResponse<String> r = Http.send("GET", api + "/v1/status", Duration.ofSeconds(30));
        if (r.statusCode() != 200) {
            throw new IOException("GET /v1/status answered " + r.statusCode() + ": " + r.body());
        }
        List<String> out = new ArrayList<>();
        for (JsonNode run : ManifestParser.mapper().readTree(r.body()).path("activeRuns")) {
            String started = run.path("startedAt").asText("");
            if (startedBefore(started, since)) {
                out.add("run " + run.path("run").asText() + " of "
                        + run.path("policy").asText() + ", " + run.path("state").asText() + " since " + started);
            }
        }
        return out;
    }

    private static boolean startedBefore(String startedAt, Instant since) {
        try {
            return Instant.parse(startedAt).isBefore(since);
        } catch (DateTimeParseException unknown) {
            return false; // no start time to judge by
        }
    }

    /** Open job id to "state, token N, source -> target". */
    private static Map<String, String> open(String api) throws IOException, InterruptedException {
        Map<String, String> out = new HashMap<>();
        for (String state : OPEN) {
            for (JsonNode job : jobs(api, state)) {
                out.put(
                        job.path("id").asText(),
                        state + ", token " + job.path("fencingToken").asLong() + ", "
                                + job.path("source").asText() + " -> "
                                + job.path("target").asText());
            }
        }
        return out;
    }

    private static List<JsonNode> jobs(String api, String state) throws IOException, InterruptedException {
        HttpResponse<String> r =
                Http.send("GET", api + "/v1/jobs?state=" + state + "&limit=1000", Duration.ofSeconds(30));
        if (r.statusCode() != 200) {
            throw new IOException("GET /v1/jobs?state=" + state + " answered " + r.statusCode() + ": " + r.body());
        }
        List<JsonNode> out = new ArrayList<>();
        ManifestParser.mapper().readTree(r.body()).forEach(out::add);
        return out;
    }
}
