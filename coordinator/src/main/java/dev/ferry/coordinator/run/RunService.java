package dev.ferry.coordinator.run;

import dev.ferry.coordinator.error.ApiException;
import io.vertx.core.Future;
import java.util.List;

/** Policies, runs and jobs as the control API and {@code ferry standalone} ask for them. */
public interface RunService {

    Future<List<RunViews.Policy>> policies();

    /**
     * Starts a run of a policy now (or joins the running one: triggers coalesce). With
     * {@code wait}, completes when the run ends.
     */
    Future<RunViews.Run> sync(String policy, boolean wait);

    Future<RunViews.Policy> pause(String policy);

    Future<RunViews.Policy> resume(String policy);

    /** Fails with {@link ApiException#notFound} for an unknown run. */
    Future<RunViews.Run> run(String runId);

    /**
     * Cancels a run's unfinished jobs; copies in flight stop at their next renew and write no
     * tag. Answers the run with its counts after the cancel.
     */
    Future<RunViews.Run> cancelRun(String runId, String actor);

    Future<List<RunViews.Job>> jobs(RunViews.JobQuery query);
}
