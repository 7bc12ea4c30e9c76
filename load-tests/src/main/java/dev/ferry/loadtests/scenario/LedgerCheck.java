package dev.ferry.loadtests.scenario;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@code ferry ctl --server API audit verify} against a member: 0 intact, 1 a bad entry, 3 recorded breaks. */
final class LedgerCheck {

    /** The verdict for one member: its exit code and the last line it printed. */
    record Verdict(String member, int exitCode, String lastLine) {

        boolean intact() {
            return exitCode == 0;
        }
    }

    private LedgerCheck() {}

    static Verdict verify(Setup setup, String member, String api, Path log) throws InterruptedException {
        List<String> command = new ArrayList<>(setup.java());
        command.addAll(List.of("ctl", "--server", api, "audit", "verify"));
        try {
            Process p = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Verdict(member, -1, "ferry ctl audit verify took over 120 s");
            }
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return new Verdict(member, p.exitValue(), lines.isEmpty() ? "" : lines.get(lines.size() - 1));
        } catch (IOException e) {
            return new Verdict(member, -1, "could not run ferry ctl: " + e.getMessage());
        }
    }
}
