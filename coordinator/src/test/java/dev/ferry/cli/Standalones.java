package dev.ferry.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * {@code ferry standalone} processes for a test, each stopped after it: the setup of the ITs that
 * drive Ferry end to end through its CLI and API. Register it as an instance field:
 * {@code @RegisterExtension final Standalones standalones = new Standalones();}, then
 * {@code server = standalones.start(dir, schedule)} (see {@link StandaloneServer#schedule}).
 */
final class Standalones implements AfterEachCallback {

    private final List<StandaloneServer> started = new ArrayList<>();

    /** Starts standalone on {@code schedule}, with its data and log in {@code dir}; returns once it is ready. */
    StandaloneServer start(Path dir, Path schedule) throws Exception {
        return keep(StandaloneServer.start(dir, schedule));
    }

    /** As {@link #start(Path, Path)}, with the API on {@code api}, a port chosen beforehand. */
    StandaloneServer start(Path dir, Path schedule, int api) throws Exception {
        return keep(StandaloneServer.start(dir, schedule, api));
    }

    private StandaloneServer keep(StandaloneServer server) {
        started.add(server);
        return server;
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        Exception first = null;
        for (StandaloneServer s : started) {
            try {
                s.close();
            } catch (Exception e) {
                first = first == null ? e : first;
            }
        }
        started.clear();
        if (first != null) {
            throw first;
        }
    }
}
