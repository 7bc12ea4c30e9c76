package dev.ferry.common.log;

import dev.ferry.common.lease.LeaseProtocol.Endpoint;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.MDC;

/**
 * Log lines about one job, each carrying the job's identity in the MDC: {@code job},
 * {@code run}, {@code policy}, and the target's {@code registry} and {@code repository}. The
 * values are set around each call rather than per thread, because a job's callbacks run on
 * whatever event-loop or worker thread completes them.
 */
public final class JobLog {

    /** The MDC keys every job line carries. */
    public static final List<String> KEYS = List.of("job", "run", "policy", "registry", "repository");

    private final Logger log;
    private final Map<String, String> fields;

    private JobLog(Logger log, Map<String, String> fields) {
        this.log = log;
        this.fields = fields;
    }

    /** Lines about a job copying to {@code target} (null when unknown). */
    public static JobLog of(Logger log, String job, String run, String policy, Endpoint target) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("job", orEmpty(job));
        fields.put("run", orEmpty(run));
        fields.put("policy", orEmpty(policy));
        fields.put("registry", target == null ? "" : orEmpty(target.registry()));
        fields.put("repository", target == null ? "" : orEmpty(target.repository()));
        return new JobLog(log, fields);
    }

    public void info(String format, Object... args) {
        if (log.isInfoEnabled()) {
            withFields(() -> log.info(format, args));
        }
    }

    public void warn(String format, Object... args) {
        if (log.isWarnEnabled()) {
            withFields(() -> log.warn(format, args));
        }
    }

    private void withFields(Runnable line) {
        Map<String, String> before = MDC.getCopyOfContextMap();
        fields.forEach(MDC::put);
        try {
            line.run();
        } finally {
            if (before == null) {
                MDC.clear();
            } else {
                MDC.setContextMap(before);
            }
        }
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
