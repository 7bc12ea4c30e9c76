package dev.ferry.config.model;

import java.util.List;

/**
 * One replication rule, with the {@code defaults:} section already applied.
 *
 * @param immutableTags regexes of tags that are never overwritten once written
 * @param platforms {@code os/arch[/variant]} to copy from indexes; empty means all
 * @param referrers copy signatures, SBOMs and other referrers along with each image
 * @param onDrift what a drift check does with a target tag that no longer holds Ferry's write
 * @param propagateDeletes delete target tags Ferry wrote whose source tag is gone
 * @param prewarm null for an ordinary policy; else only the most-pulled tags are copied
 * @param artifacts which kinds of artifact are copied; null for every kind
 * @param referrerKinds which kinds of referrer travel with an image when {@code referrers} is
 *     set; null for every kind
 */
public record Policy(
        String name,
        SourceSpec source,
        List<TargetSpec> targets,
        Trigger trigger,
        Tier tier,
        OnConflict onConflict,
        List<String> immutableTags,
        List<String> platforms,
        boolean referrers,
        VerifySpec verify,
        OnDrift onDrift,
        boolean propagateDeletes,
        PrewarmSpec prewarm,
        ArtifactSpec artifacts,
        ArtifactSpec referrerKinds) {

    /** A policy whose referrers, if it copies them, all travel. */
    public Policy(
            String name,
            SourceSpec source,
            List<TargetSpec> targets,
            Trigger trigger,
            Tier tier,
            OnConflict onConflict,
            List<String> immutableTags,
            List<String> platforms,
            boolean referrers,
            VerifySpec verify,
            OnDrift onDrift,
            boolean propagateDeletes,
            PrewarmSpec prewarm,
            ArtifactSpec artifacts) {
        this(
                name,
                source,
                targets,
                trigger,
                tier,
                onConflict,
                immutableTags,
                platforms,
                referrers,
                verify,
                onDrift,
                propagateDeletes,
                prewarm,
                artifacts,
                null);
    }

    /** A policy that copies every kind of artifact. */
    public Policy(
            String name,
            SourceSpec source,
            List<TargetSpec> targets,
            Trigger trigger,
            Tier tier,
            OnConflict onConflict,
            List<String> immutableTags,
            List<String> platforms,
            boolean referrers,
            VerifySpec verify,
            OnDrift onDrift,
            boolean propagateDeletes,
            PrewarmSpec prewarm) {
        this(
                name,
                source,
                targets,
                trigger,
                tier,
                onConflict,
                immutableTags,
                platforms,
                referrers,
                verify,
                onDrift,
                propagateDeletes,
                prewarm,
                null);
    }

    /** An ordinary policy, without {@code prewarm}. */
    public Policy(
            String name,
            SourceSpec source,
            List<TargetSpec> targets,
            Trigger trigger,
            Tier tier,
            OnConflict onConflict,
            List<String> immutableTags,
            List<String> platforms,
            boolean referrers,
            VerifySpec verify,
            OnDrift onDrift,
            boolean propagateDeletes) {
        this(
                name,
                source,
                targets,
                trigger,
                tier,
                onConflict,
                immutableTags,
                platforms,
                referrers,
                verify,
                onDrift,
                propagateDeletes,
                null);
    }

    /** This policy reading {@code source} instead. */
    public Policy withSource(SourceSpec other) {
        return new Policy(
                name,
                other,
                targets,
                trigger,
                tier,
                onConflict,
                immutableTags,
                platforms,
                referrers,
                verify,
                onDrift,
                propagateDeletes,
                prewarm,
                artifacts,
                referrerKinds);
    }

    /** This policy writing to {@code others} instead of its own targets. */
    public Policy withTargets(List<TargetSpec> others) {
        return new Policy(
                name,
                source,
                others,
                trigger,
                tier,
                onConflict,
                immutableTags,
                platforms,
                referrers,
                verify,
                onDrift,
                propagateDeletes,
                prewarm,
                artifacts,
                referrerKinds);
    }

    /**
     * This policy with only the targets in {@code registry}, at {@code tier}: a catch-up resync
     * of one mirror. A registry that comes back may have lost or rewound tags, so the catch-up
     * asks it for every tag rather than trusting Ferry's records ({@link TargetSpec#recheck} 0).
     */
    public Policy narrowedTo(String registry, Tier newTier) {
        return new Policy(
                name,
                source,
                targets.stream()
                        .filter(t -> t.registry().equals(registry))
                        .map(TargetSpec::alwaysRechecked)
                        .toList(),
                trigger,
                newTier,
                onConflict,
                immutableTags,
                platforms,
                referrers,
                verify,
                onDrift,
                propagateDeletes,
                prewarm,
                artifacts,
                referrerKinds);
    }

    /** Whether any target of this policy is in {@code registry}. */
    public boolean targets(String registry) {
        return targets.stream().anyMatch(t -> t.registry().equals(registry));
    }
}
