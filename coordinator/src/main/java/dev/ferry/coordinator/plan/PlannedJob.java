package dev.ferry.coordinator.plan;

import dev.ferry.common.lease.LeaseProtocol;

/**
 * One copy the planner found necessary: the source digest is missing from, or differs at,
 * {@code targetRegistry/targetRepository:tag}.
 *
 * @param id {@link JobIds#of} of policy, target registry, target repository and tag
 * @param tier the policy's tier, lowercase as in YAML
 * @param sourceDigest what the source tag pointed at when planned; the spec's source
 *     reference is this digest, so the worker copies exactly what was planned
 */
public record PlannedJob(
        String id,
        String tier,
        String targetRegistry,
        String targetRepository,
        String tag,
        String sourceDigest,
        LeaseProtocol.JobSpec spec) {}
