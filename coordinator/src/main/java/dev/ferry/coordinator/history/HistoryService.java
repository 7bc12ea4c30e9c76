package dev.ferry.coordinator.history;

import io.vertx.core.Future;
import java.util.List;

/** Tag history, rollbacks, drift and pins, as the control API asks for them. */
public interface HistoryService {

    /** Tag writes Ferry made to a repository of a registry, or to one tag of it, newest first. */
    Future<List<TagWrite>> history(String registry, String repository, String tag, int limit);

    /** Puts a target tag back to {@code to} (or to what it held before Ferry's last write) and pins it. */
    Future<Rollbacks.Result> rollbackTag(String registry, String repository, String tag, String to);

    /** Puts back every tag a run wrote, and pins them. */
    Future<Rollbacks.Result> rollbackRun(String runId);

    /**
     * Puts every tag Ferry wrote in a target repository back to its state at {@code at}, or
     * (when {@code at} is null) before run {@code beforeRun} wrote, and pins them.
     */
    Future<Rollbacks.Result> rollbackRepository(
            String registry, String repository, java.time.Instant at, String beforeRun);

    /** Drifted target tags, of one policy or (null) of all, as the last checks found them. */
    Future<List<Drift>> drift(String policy);

    /** Checks a policy's targets for drift now (and repairs, if the policy says so). */
    Future<DriftService.Report> checkDrift(String policy);

    Future<List<Pin>> pins();

    /** Removes a pin; answers the pin that was removed. */
    Future<Pin> unpin(String registry, String repository, String tag);
}
