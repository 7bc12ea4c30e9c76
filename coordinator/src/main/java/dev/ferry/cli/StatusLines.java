package dev.ferry.cli;

import java.io.PrintWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A long-running command's lines for people (started, waiting, drained). On a terminal they are
 * printed as they are; with JSON logs ({@code FERRY_LOG_FORMAT=json}) they are logged instead,
 * so that a container's output stays one JSON object per line.
 */
final class StatusLines {

    private static final Logger LOG = LoggerFactory.getLogger("dev.ferry.cli");

    private final PrintWriter out;
    private final boolean json;

    private StatusLines(PrintWriter out, boolean json) {
        this.out = out;
        this.json = json;
    }

    static StatusLines to(PrintWriter out) {
        String format = System.getProperty("FERRY_LOG_FORMAT", System.getenv("FERRY_LOG_FORMAT"));
        return new StatusLines(out, "json".equalsIgnoreCase(format));
    }

    void info(String format, Object... args) {
        String text = String.format(format, args);
        if (json) {
            LOG.info(text);
        } else {
            out.println(text);
            out.flush();
        }
    }

    void error(String text) {
        if (json) {
            LOG.error(text);
        } else {
            out.println(text);
            out.flush();
        }
    }
}
