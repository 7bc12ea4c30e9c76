package dev.ferry.config.load;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.parser.CronParser;
import dev.ferry.common.mediatype.ArtifactFilter;
import dev.ferry.config.filter.Glob;
import dev.ferry.config.filter.PlatformFilter;
import dev.ferry.config.filter.SemverRange;
import dev.ferry.config.model.ArtifactSpec;
import dev.ferry.config.model.OnConflict;
import dev.ferry.config.model.OnDrift;
import dev.ferry.config.model.PinnedDigest;
import dev.ferry.config.model.Policy;
import dev.ferry.config.model.PrewarmSpec;
import dev.ferry.config.model.ReplacePrefix;
import dev.ferry.config.model.RouteConfig;
import dev.ferry.config.model.SourceSpec;
import dev.ferry.config.model.TagSpec;
import dev.ferry.config.model.TagTemplate;
import dev.ferry.config.model.TargetSpec;
import dev.ferry.config.model.Tier;
import dev.ferry.config.model.Trigger;
import dev.ferry.config.model.VerifySpec;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** Binds {@code defaults:} and {@code policies:}, cascading the defaults into each policy. */
/** Over 300 lines because one YAML section, a policy, with its defaults and the checks that span its fields (mapping collisions, tag templates, deletes that must lead back to a source). */
final class PolicyBinder {

    /** A policy's own settings; null fields fall back to the defaults, then to Ferry's. */
    private record Options(
            Trigger trigger,
            Tier tier,
            OnConflict onConflict,
            List<String> immutableTags,
            List<String> platforms,
            Boolean referrers,
            ArtifactSpec referrerKinds,
            VerifySpec verify,
            OnDrift onDrift,
            Boolean propagateDeletes) {}

    private static final CronParser CRON = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    private static final Duration MIN_INTERVAL = Duration.ofSeconds(10);

    private final Names registries;
    private final Path baseDirectory;
    private final Names names = new Names("policy");
    private final PrewarmBinder prewarm;
    /** The target sections of the policy being bound, in the order of its targets. */
    private final List<Section> targetSections = new ArrayList<>();

    PolicyBinder(Names registries, Path baseDirectory, List<RouteConfig> routes) {
        this.registries = registries;
        this.baseDirectory = baseDirectory;
        this.prewarm = new PrewarmBinder(routes);
    }

    List<Policy> bind(Section defaultsSection, List<Section> sections) {
        Options defaults = defaultsSection == null
                ? new Options(null, null, null, null, null, null, null, null, null, null)
                : options(defaultsSection);
        List<Policy> out = new ArrayList<>();
        for (Section s : sections) {
            Policy p = policy(s, defaults);
            if (p != null) {
                out.add(p);
            }
        }
        return out;
    }

    private Policy policy(Section s, Options defaults) {
        String name = s.requiredString("name");
        names.declare(s, "name", name);
        targetSections.clear();
        SourceSpec source = source(s.requiredSection("source", "source"));
        PrewarmSpec warm = prewarm.bind(s.section("prewarm", "prewarm"));
        List<TargetSpec> targets = targets(s, source, warm);
        prewarm.checkSomeTargetWarmed(s, warm, targets);
        Options own = options(s);
        Trigger trigger = Values.or(own.trigger(), defaults.trigger());
        if (trigger == null && !s.has("trigger")) {
            s.problem(
                    "name",
                    "policy \"" + name + "\" has no trigger: set trigger: (interval, cron, event or"
                            + " manual) here or in defaults:");
        }
        if (name == null || source == null || targets == null || trigger == null) {
            return null;
        }
        boolean propagateDeletes =
                Values.or(Values.or(own.propagateDeletes(), defaults.propagateDeletes()), Boolean.FALSE);
        checkDeletesCanFindTheirSource(s, targets, propagateDeletes);
        return new Policy(
                name,
                source,
                targets,
                trigger,
                Values.or(Values.or(own.tier(), defaults.tier()), Tier.NORMAL),
                Values.or(Values.or(own.onConflict(), defaults.onConflict()), OnConflict.FAIL),
                Values.or(Values.or(own.immutableTags(), defaults.immutableTags()), List.of()),
                Values.or(Values.or(own.platforms(), defaults.platforms()), List.of()),
                Values.or(Values.or(own.referrers(), defaults.referrers()), Boolean.FALSE),
                Values.or(Values.or(own.verify(), defaults.verify()), VerifySpec.none()),
                Values.or(Values.or(own.onDrift(), defaults.onDrift()), OnDrift.REPORT),
                propagateDeletes,
                warm,
                artifacts(s.section("artifacts", "artifacts")),
                own.referrers() != null ? own.referrerKinds() : defaults.referrerKinds());
    }

    private Options options(Section s) {
        Trigger trigger = trigger(s.section("trigger", "trigger"));
        Tier tier = Values.enumValue(s, "tier", Tier.class, Tier.yamlNames());
        OnConflict onConflict = Values.enumValue(s, "onConflict", OnConflict.class, OnConflict.yamlNames());
        List<String> immutable = s.has("immutableTags") ? Values.regexes(s, "immutableTags") : null;
        List<String> platforms = null;
        if (s.has("platforms")) {
            platforms = s.strings("platforms");
            if (platforms != null) {
                try {
                    PlatformFilter.of(platforms);
                } catch (IllegalArgumentException e) {
                    s.problem("platforms", e.getMessage());
                }
            }
        }
        // referrers: true | false | { include, exclude }: a mapping means "copy these referrers"
        ArtifactSpec referrerKinds = s.isMapping("referrers") ? artifacts(s.section("referrers", "referrers")) : null;
        Boolean referrers = referrerKinds != null ? Boolean.TRUE : s.bool("referrers");
        VerifySpec verify = verify(s.section("verify", "verify"));
        OnDrift onDrift = Values.enumValue(s, "onDrift", OnDrift.class, OnDrift.yamlNames());
        Boolean propagateDeletes = s.bool("propagateDeletes");
        return new Options(
                trigger,
                tier,
                onConflict,
                immutable,
                platforms,
                referrers,
                referrerKinds,
                verify,
                onDrift,
                propagateDeletes);
    }

    private Trigger trigger(Section t) {
        if (t == null) {
            return null;
        }
        Duration interval = Values.duration(t, "interval", MIN_INTERVAL);
        String cron = t.string("cron");
        if (cron != null) {
            try {
                CRON.parse(cron).validate();
            } catch (IllegalArgumentException e) {
                t.problem(
                        "cron",
                        "invalid cron expression \"" + cron + "\": " + e.getMessage()
                                + " (five fields: minute hour day-of-month month day-of-week)");
                cron = null;
            }
        }
        boolean event = Boolean.TRUE.equals(t.bool("event"));
        boolean manual = Boolean.TRUE.equals(t.bool("manual"));
        Duration verify = Values.duration(t, "verify", MIN_INTERVAL);
        if (t.has("interval") && t.has("cron")) {
            t.problem("cron", "give interval or cron, not both");
        }
        if (!t.has("interval") && !t.has("cron") && !event && !manual) {
            t.problem("interval", "a trigger needs interval, cron, event: true or manual: true");
        }
        return new Trigger(interval, cron, event, manual, verify, timezone(t));
    }

    /** An IANA zone name such as Europe/Berlin, or UTC; only with cron. */
    private static ZoneId timezone(Section t) {
        String zone = t.string("timezone");
        if (zone == null) {
            return null;
        }
        if (!t.has("cron")) {
            t.problem("timezone", "timezone applies to cron only: add a cron schedule or remove timezone");
            return null;
        }
        if (zone.equals("UTC")) {
            return ZoneOffset.UTC;
        }
        if (!ZoneId.getAvailableZoneIds().contains(zone)) {
            t.problem(
                    "timezone",
                    "unknown time zone \"" + zone + "\": give an IANA zone name such as Europe/Berlin,"
                            + " America/New_York or UTC"
                            + Suggestions.hint(zone, ZoneId.getAvailableZoneIds()));
            return null;
        }
        return ZoneId.of(zone);
    }

    /** {@code artifacts:} or {@code referrers: { ... }}: kind names or media types; null when absent. */
    private static ArtifactSpec artifacts(Section a) {
        if (a == null) {
            return null;
        }
        List<String> include = a.has("include") ? a.strings("include") : List.of();
        List<String> exclude = a.has("exclude") ? a.strings("exclude") : List.of();
        for (String key : List.of("include", "exclude")) {
            List<String> entries = key.equals("include") ? include : exclude;
            for (int i = 0; entries != null && i < entries.size(); i++) {
                try {
                    ArtifactFilter.resolve(entries.get(i));
                } catch (IllegalArgumentException e) {
                    a.problem(
                            key,
                            "entry " + i + ": " + e.getMessage()
                                    + Suggestions.hint(entries.get(i), ArtifactFilter.KINDS.keySet()));
                }
            }
        }
        return new ArtifactSpec(include, exclude);
    }

    private SourceSpec source(Section s) {
        if (s == null) {
            return null;
        }
        String registry = s.requiredString("registry");
        registries.checkReference(s, "registry", registry);
        if (!s.has("repositories")) {
            s.missing("repositories");
        }
        List<String> repositories = Values.checkedItems(s, "repositories", Glob::compile);
        if (s.has("repositories") && repositories.isEmpty()) {
            s.problem("repositories", "list at least one repository glob, e.g. \"team/*\" or \"**\"");
        }
        List<String> exclude = Values.checkedItems(s, "exclude", Glob::compile);
        List<PinnedDigest> digests = SourceDigests.bind(s);
        // A source that names digests copies tags only when it says which.
        TagSpec tags = !digests.isEmpty() && !s.has("tags") ? null : tags(s.section("tags", "tags"));
        return registry == null ? null : new SourceSpec(registry, repositories, exclude, tags, digests);
    }

    private static TagSpec tags(Section t) {
        if (t == null) {
            return TagSpec.all();
        }
        List<String> include = Values.regexes(t, "include");
        List<String> exclude = Values.regexes(t, "exclude");
        String semver = t.string("semver");
        if (semver != null) {
            Values.checked(t, "semver", SemverRange::parse);
        }
        Integer latest = t.integer("latest", 1, 100_000);
        return new TagSpec(include, exclude, semver, latest);
    }

    private List<TargetSpec> targets(Section policy, SourceSpec source, PrewarmSpec warm) {
        if (!policy.has("targets")) {
            policy.missing("targets");
            return null;
        }
        List<Section> list = policy.sections("targets", "target");
        if (list == null) {
            return null;
        }
        if (list.isEmpty()) {
            policy.problem("targets", "list at least one target");
        }
        List<TargetSpec> out = new ArrayList<>();
        for (Section t : list) {
            String registry = t.requiredString("registry");
            registries.checkReference(t, "registry", registry);
            String prefix = TargetNames.prefix(t);
            int strip = TargetNames.stripSegments(t);
            ReplacePrefix replace = TargetNames.replacePrefix(t);
            TagTemplate tag = TargetNames.tag(t);
            boolean renames = !prefix.isEmpty() || strip > 0 || replace != null;
            if (source != null && registry != null && registry.equals(source.registry()) && !renames) {
                t.problem(
                        "registry",
                        "target is the source itself (same registry \"" + registry
                                + "\" and repositories): set a prefix or another registry");
            }
            Duration ttl = Values.duration(t, "ttl", Duration.ofSeconds(1));
            if (ttl != null && !policy.has("prewarm")) {
                t.problem(
                        "ttl",
                        "ttl expires pre-warmed tags: it needs prewarm: on the policy (a replicating policy would"
                                + " copy an expired tag right back)");
            }
            prewarm.checkTtl(t, registry, warm);
            if (policy.has("prewarm")) {
                for (String field : List.of("stripSegments", "replacePrefix", "tag")) {
                    if (t.has(field)) {
                        t.problem(
                                field,
                                "a pre-warming policy writes source names as they are (with a prefix); it takes no "
                                        + field);
                    }
                }
            }
            Duration recheck = Values.durationOrZero(t, "recheck");
            if (recheck != null && recheck.compareTo(TargetSpec.MAX_RECHECK) > 0) {
                t.problem(
                        "recheck",
                        "\"" + t.text("recheck") + "\" is longer than 30d, the longest Ferry keeps what it saw at a"
                                + " target tag; use 30d or less");
            }
            if (registry != null) {
                TargetSpec target = new TargetSpec(registry, prefix, ttl, strip, replace, tag, recheck);
                if (source != null) {
                    TargetNames.checkLiteralNames(
                            t,
                            strip > 0 ? "stripSegments" : replace != null ? "replacePrefix" : "prefix",
                            source,
                            target);
                }
                targetSections.add(t);
                out.add(target);
            }
        }
        return out;
    }

    /**
     * Deleting a target tag needs the source repository it came from: a target that strips or
     * replaces path segments cannot lead back to one, so propagateDeletes refuses it.
     */
    private void checkDeletesCanFindTheirSource(Section policy, List<TargetSpec> targets, boolean propagateDeletes) {
        if (!propagateDeletes || targets == null) {
            return;
        }
        for (int i = 0; i < targets.size() && i < targetSections.size(); i++) {
            if (!targets.get(i).onlyPrefixed()) {
                Section t = targetSections.get(i);
                t.problem(
                        t.has("stripSegments") ? "stripSegments" : "replacePrefix",
                        "propagateDeletes needs each target"
                                + " repository to lead back to one source repository, which stripSegments and replacePrefix do not"
                                + " allow: use prefix here, or switch propagateDeletes off");
            }
        }
    }

    private VerifySpec verify(Section v) {
        if (v == null) {
            return null;
        }
        Section cosign = v.section("cosign", "cosign");
        if (cosign == null) {
            return null; // "verify: {}" must not switch off a signature rule from defaults: fail closed
        }
        if (!cosign.has("keys")) {
            cosign.missing("keys");
            return VerifySpec.none();
        }
        List<String> keys = Values.or(cosign.strings("keys"), List.of());
        if (keys.isEmpty()) {
            cosign.problem("keys", "list at least one public key file");
        }
        List<String> pems = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            try {
                pems.add(PublicKeyFiles.read(baseDirectory, keys.get(i)));
            } catch (PublicKeyFiles.BadKeyFile e) {
                cosign.problemAtItem("keys", i, e.getMessage());
            }
        }
        // A bad key file is a load error already; what is returned then is never used.
        return pems.size() == keys.size() ? new VerifySpec(keys, pems) : VerifySpec.none();
    }
}
