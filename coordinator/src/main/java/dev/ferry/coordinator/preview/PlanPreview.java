package dev.ferry.coordinator.preview;

import dev.ferry.common.lease.LeaseProtocol.CommitDecision;
import dev.ferry.config.model.Policy;
import dev.ferry.config.model.PrewarmScope;
import dev.ferry.config.model.Schedule;
import dev.ferry.coordinator.conflict.ConflictRule;
import dev.ferry.coordinator.history.TagHistory;
import dev.ferry.coordinator.plan.Plan;
import dev.ferry.coordinator.plan.PlannedJob;
import dev.ferry.coordinator.plan.Planner;
import dev.ferry.coordinator.plan.RegistryAccess;
import dev.ferry.coordinator.plan.TagCheck;
import dev.ferry.coordinator.preview.PolicyPreview.Conflict;
import dev.ferry.coordinator.preview.PolicyPreview.TagLine;
import dev.ferry.coordinator.preview.PolicyPreview.TargetPreview;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A dry run of one policy ({@code ferry plan}, {@code POST /v1/policies/{name}/plan}): the
 * planner's own pass, then for each tag the three-way conflict rule, the deletes and expiries
 * the run would make ({@link RemovalPreview}) and the bytes per link ({@link TransferSizer}).
 *
 * <p>It only reads: listings, manifest HEADs, blob HEADs, and manifest GETs of the images it
 * would copy (to size them; on Docker Hub such a GET counts as a pull). No job is queued, no
 * run or history or ledger entry is made, nothing is written to any registry.
 */
public final class PlanPreview {

    /** The run id the preview's planner pass carries; never stored. */
    public static final String RUN_ID = "plan-preview";

    private final Schedule schedule;
    private final Planner planner;
    private final WriteRecords records;
    private final RemovalPreview removals;
    private final TransferSizer sizer;
    private final Clock clock;

    public PlanPreview(
            Schedule schedule, Planner planner, RegistryAccess registries, WriteRecords records, Clock clock) {
        this.schedule = schedule;
        this.planner = planner;
        this.records = records;
        this.removals = new RemovalPreview(registries, records, clock);
        this.sizer = new TransferSizer(schedule, registries);
        this.clock = clock;
    }

    /** What a sync of {@code policy} would do now. Fails only when the policy does not fit the schedule. */
    public Future<PolicyPreview> preview(Policy policy) {
        Policy scoped = PrewarmScope.narrow(policy, schedule.routes());
        return planner.preview(scoped, RUN_ID)
                .compose(plan -> records.pinned()
                        .compose(pinned -> classify(scoped, plan, pinned)
                                .compose(targets -> removals.find(scoped)
                                        .compose(removed -> sizer.size(scoped, copying(scoped, targets))
                                                .map(transfer -> {
                                                    List<TargetPreview> withRemovals = targets.stream()
                                                            .map(t -> new TargetPreview(
                                                                    t.registry(),
                                                                    t.copies(),
                                                                    t.upToDate(),
                                                                    t.conflicts(),
                                                                    removed.deletes(t.registry()),
                                                                    removed.expiries(t.registry())))
                                                            .toList();
                                                    List<String> errors = new ArrayList<>(plan.errors());
                                                    errors.addAll(removed.errors());
                                                    errors.addAll(transfer.errors());
                                                    List<String> warnings = new ArrayList<>(plan.warnings());
                                                    return new PolicyPreview(
                                                            policy.name(),
                                                            policy.onConflict().yamlName(),
                                                            withRemovals,
                                                            transfer.links(),
                                                            warnings,
                                                            errors);
                                                })))));
    }

    /** Sorts every checked (tag, target) into copies, up to date and conflicts, per target registry. */
    private Future<List<TargetPreview>> classify(Policy policy, Plan plan, Set<String> pinned) {
        Map<String, List<TagLine>> copies = new LinkedHashMap<>();
        Map<String, List<TagLine>> current = new LinkedHashMap<>();
        Map<String, List<Conflict>> conflicts = new LinkedHashMap<>();
        policy.targets().forEach(t -> {
            copies.putIfAbsent(t.registry(), new ArrayList<>());
            current.putIfAbsent(t.registry(), new ArrayList<>());
            conflicts.putIfAbsent(t.registry(), new ArrayList<>());
        });
        Map<String, TagCheck> checks = new HashMap<>();
        plan.checks().forEach(c -> checks.put(TagHistory.key(c.targetRegistry(), c.targetRepository(), c.tag()), c));
        List<Future<Void>> decided = new ArrayList<>();
        Map<String, Conflict> conflictByKey = new java.util.concurrent.ConcurrentHashMap<>();
        for (PlannedJob job : plan.jobs()) {
            String key = TagHistory.key(job.targetRegistry(), job.targetRepository(), job.tag());
            TagCheck check = checks.get(key);
            TagLine line = new TagLine(
                    job.spec().source().repository(),
                    job.targetRepository(),
                    job.tag(),
                    job.sourceDigest(),
                    check == null ? null : check.targetDigest());
            if (pinned.contains(key)) {
                current.get(job.targetRegistry()).add(line);
            } else if (line.targetDigest() == null) {
                copies.get(job.targetRegistry()).add(line);
            } else {
                decided.add(records.lastWritten(job.targetRegistry(), job.targetRepository(), job.tag())
                        .map(last -> {
                            Conflict c = decide(policy, line, last);
                            if (c != null) {
                                conflictByKey.put(key, c);
                            }
                            return null;
                        }));
            }
        }
        plan.checks().stream()
                .filter(TagCheck::upToDate)
                .forEach(c -> current.computeIfAbsent(c.targetRegistry(), r -> new ArrayList<>())
                        .add(new TagLine(
                                c.sourceRepository(),
                                c.targetRepository(),
                                c.tag(),
                                c.sourceDigest(),
                                c.targetDigest())));
        return Future.all(decided).map(v -> {
            for (PlannedJob job : plan.jobs()) {
                String key = TagHistory.key(job.targetRegistry(), job.targetRepository(), job.tag());
                TagCheck check = checks.get(key);
                if (pinned.contains(key) || check == null || check.targetDigest() == null) {
                    continue;
                }
                Conflict c = conflictByKey.get(key);
                if (c == null) {
                    copies.get(job.targetRegistry())
                            .add(new TagLine(
                                    job.spec().source().repository(),
                                    job.targetRepository(),
                                    job.tag(),
                                    job.sourceDigest(),
                                    check.targetDigest()));
                } else {
                    conflicts.get(job.targetRegistry()).add(c);
                }
            }
            return copies.keySet().stream()
                    .map(r ->
                            new TargetPreview(r, copies.get(r), current.get(r), conflicts.get(r), List.of(), List.of()))
                    .toList();
        });
    }

    /** The conflict rule's verdict on a differing target tag; null when the write is Ferry's to make. */
    private Conflict decide(Policy policy, TagLine line, String lastWritten) {
        boolean immutable = ConflictRule.immutable(policy.immutableTags(), line.tag());
        CommitDecision d = ConflictRule.decide(
                line.tag(),
                line.sourceDigest(),
                line.targetDigest(),
                lastWritten,
                policy.onConflict().yamlName(),
                immutable,
                clock.millis());
        if (d.allowed() && line.targetDigest().equals(lastWritten)) {
            return null; // T = L: Ferry's own earlier write, updated
        }
        if (immutable) {
            return new Conflict(line, lastWritten, "refuse", d.reason());
        }
        String onConflict = policy.onConflict().yamlName();
        String explanation = switch (onConflict) {
            case "overwrite" ->
                "someone else wrote this tag; onConflict: overwrite replaces it with the source's image";
            case "backup" ->
                "someone else wrote this tag; onConflict: backup keeps it as " + d.backupTag()
                        + " (the time is the write's), then writes the source's image";
            default -> d.reason();
        };
        return new Conflict(line, lastWritten, onConflict, explanation);
    }

    /** What the run would write: copies, and conflicts that overwrite or back up. */
    private static List<TransferSizer.Copy> copying(Policy policy, List<TargetPreview> targets) {
        List<TransferSizer.Copy> copies = new ArrayList<>();
        for (TargetPreview t : targets) {
            t.copies().forEach(l -> copies.add(new TransferSizer.Copy(t.registry(), l)));
            t.conflicts().stream()
                    .filter(c -> c.action().equals("overwrite") || c.action().equals("backup"))
                    .forEach(c -> copies.add(new TransferSizer.Copy(t.registry(), c.tag())));
        }
        return copies;
    }
}
