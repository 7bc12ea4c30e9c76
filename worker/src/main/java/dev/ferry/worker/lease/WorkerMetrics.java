package dev.ferry.worker.lease;

import dev.ferry.common.lease.LeaseProtocol.JobSpec;
import dev.ferry.worker.copy.CopyResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * A worker's meters. Labels are the schedule's registry names and fixed outcome words; never
 * a repository, a tag or a digest.
 */
final class WorkerMetrics {

    private final MeterRegistry registry;

    WorkerMetrics(MeterRegistry registry, String workerId, Supplier<Number> activeJobs) {
        this.registry = registry;
        Gauge.builder("ferry.worker.jobs.active", activeJobs)
                .description("Jobs this worker holds now")
                .tag("worker", workerId)
                .register(registry);
    }

    void settled(JobSpec job, JobExecution.Outcome outcome, CopyResult result, Duration took) {
        String how = outcome.name().toLowerCase(Locale.ROOT);
        Counter.builder("ferry.worker.jobs")
                .description("Jobs this worker finished, by outcome")
                .tag("outcome", how)
                .register(registry)
                .increment();
        Timer.builder("ferry.worker.job.duration")
                .description("From lease to outcome")
                .tag("outcome", how)
                .publishPercentileHistogram()
                .register(registry)
                .record(took);
        if (result == null) {
            return;
        }
        String source =
                job == null || job.source() == null ? "unknown" : job.source().registry();
        String target =
                job == null || job.target() == null ? "unknown" : job.target().registry();
        Counter.builder("ferry.worker.copied")
                .description("Blob bytes streamed from a source to a target")
                .baseUnit("bytes")
                .tag("source_registry", source)
                .tag("target_registry", target)
                .register(registry)
                .increment(result.bytesCopied());
        blobs("copied", result.blobsCopied());
        blobs("mounted", result.blobsMounted());
        blobs("skipped", result.blobsSkipped());
    }

    private void blobs(String how, int n) {
        Counter.builder("ferry.worker.blobs")
                .description("Blobs handled: copied, mounted from another repository,"
                        + " or skipped because the target had them")
                .tag("how", how)
                .register(registry)
                .increment(n);
    }
}
