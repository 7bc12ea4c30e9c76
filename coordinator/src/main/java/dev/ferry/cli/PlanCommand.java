package dev.ferry.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.config.model.Policy;
import dev.ferry.config.model.Schedule;
import dev.ferry.coordinator.preview.HistoryFile;
import dev.ferry.coordinator.preview.PolicyPreview;
import dev.ferry.coordinator.preview.PreviewText;
import dev.ferry.coordinator.preview.WriteRecords;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ferry plan --config FILE [--policy P] [--json]}: what a sync would do, found by reading only. */
@Command(
        name = "plan",
        mixinStandardHelpOptions = true,
        description = {
            "Shows what a sync of each policy would do now, without copying: the tags it would copy, the ones "
                    + "up to date, the conflicts it would hit and what onConflict would do, the deletes and expiries, and the "
                    + "bytes per link with an estimate under the link's quota.",
            "It only reads the registries (listings, HEADs, and the manifests of the images it would copy) and writes "
                    + "nothing anywhere."
        },
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {
            "0:clean: no conflict, everything could be checked",
            "1:a conflict would occur, or part of the plan could not be checked",
            "2:the file is not a valid schedule, an unknown policy, or a usage error"
        })
final class PlanCommand implements Callable<Integer> {

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "the schedule file")
    Path config;

    @Option(names = "--policy", paramLabel = "P", description = "plan this policy only (default: every policy)")
    String policy;

    @Option(names = "--json", description = "print the plan as JSON")
    boolean json;

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            defaultValue = "./ferry-data",
            description =
                    "where a standalone keeps its tag history (read only; it tells Ferry's own earlier writes from "
                            + "someone else's). Default: ${DEFAULT-VALUE}")
    Path dataDir;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        Optional<Schedule> loaded = ScheduleFiles.load(config, err);
        if (loaded.isEmpty()) {
            return ExitCodes.USAGE;
        }
        Schedule schedule = loaded.get();
        List<Policy> policies = schedule.policies();
        if (policy != null) {
            policies = schedule.policy(policy)
                    .map(List::of)
                    .orElseThrow(() -> new ExitCodes.UsageException("no policy \"" + policy + "\" in " + config
                            + " (it has "
                            + schedule.policies().stream().map(Policy::name).toList() + ")"));
        }
        WriteRecords records = Files.isDirectory(dataDir) ? HistoryFile.read(dataDir) : WriteRecords.none();
        List<PolicyPreview> previews = SchedulePreviews.run(schedule, policies, records);
        boolean clean = previews.stream().allMatch(PolicyPreview::clean);
        if (json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("file", config.toString());
            doc.put("clean", clean);
            doc.put("tagHistory", records.known());
            doc.put("policies", previews);
            out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(doc));
        } else {
            previews.forEach(p -> out.print(PreviewText.of(p)));
            if (!records.known()) {
                out.println("note: no tag history in " + dataDir
                        + " (a first run): a target tag that differs from the source"
                        + " counts as a conflict, and there is nothing to delete or expire");
            }
            out.println(PreviewText.summary(previews));
        }
        out.flush();
        return clean ? ExitCodes.OK : ExitCodes.FAILED;
    }
}
