package dev.ferry.common.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Randomised checks: references built from the grammar parse into the parts they were built
 * from, and parse/toString/parse is stable. Each seed is fixed, so a failure reproduces.
 */
class ReferenceRoundTripPropertyTest {

    private static final int ITERATIONS = 300;
    private static final String ALNUM_LOWER = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final String TAG_FIRST = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_";
    private static final String TAG_REST = TAG_FIRST + ".-";
    private static final String HOST_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    /** What a generated reference is expected to parse into. */
    private record Case(String input, String registry, String repository, String tag, String digest) {}

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1L, 42L, 20_240_601L, -7L})
    void generatedReferencesParseIntoTheirPartsAndRoundTrip(long seed) {
        Random random = new Random(seed);
        int parsed = 0;
        for (int i = 0; i < ITERATIONS; i++) {
            Case c = generate(random);
            String where = "seed " + seed + ", iteration " + i + ", input \"" + c.input() + "\"";
            int nameLength = c.registry().length() + 1 + c.repository().length();

            if (nameLength > 255) {
                InvalidReferenceException e =
                        catchThrowableOfType(InvalidReferenceException.class, () -> Reference.parse(c.input()));
                assertThat(e).as(where + " should be too long").isNotNull();
                assertThat(e.getMessage()).as(where).contains("255");
                continue;
            }

            Reference ref = Reference.parse(c.input());
            assertThat(ref.registry()).as(where).isEqualTo(c.registry());
            assertThat(ref.repository()).as(where).isEqualTo(c.repository());
            assertThat(ref.tag()).as(where).isEqualTo(c.tag());
            assertThat(ref.digest() == null ? null : ref.digest().toString())
                    .as(where)
                    .isEqualTo(c.digest());

            String formatted = ref.toString();
            Reference again = Reference.parse(formatted);
            assertThat(again)
                    .as(where + " re-parsed from \"" + formatted + "\"")
                    .isEqualTo(ref);
            assertThat(again.toString()).as(where).isEqualTo(formatted);
            assertThat(again.identifier()).as(where).isEqualTo(ref.identifier());
            parsed++;
        }
        // The generator is meant to produce mostly valid-length names; guard against it drifting.
        assertThat(parsed).isGreaterThan(ITERATIONS / 2);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {3L, 99L})
    void uppercaseAnywhereInTheRepositoryIsRefused(long seed) {
        Random random = new Random(seed);
        for (int i = 0; i < ITERATIONS; i++) {
            List<String> components = new ArrayList<>();
            int n = 1 + random.nextInt(3);
            for (int k = 0; k < n; k++) {
                components.add(component(random, 12));
            }
            int victim = random.nextInt(n);
            String comp = components.get(victim);
            int pos = random.nextInt(comp.length());
            char letter = (char) ('A' + random.nextInt(26));
            components.set(victim, comp.substring(0, pos) + letter + comp.substring(pos + 1));
            String input = "registry.example.com/" + String.join("/", components) + ":v1";

            InvalidReferenceException e =
                    catchThrowableOfType(InvalidReferenceException.class, () -> Reference.parse(input));
            assertThat(e).as("seed %d, input %s", seed, input).isNotNull();
            assertThat(e.getMessage()).as(input).contains("lowercase").contains(input);
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {5L, 123L})
    void tagsOutsideTheGrammarAreRefused(long seed) {
        Random random = new Random(seed);
        String forbidden = "+~!$%^&*()[]{}=,;'\"";
        for (int i = 0; i < ITERATIONS; i++) {
            String tag = tag(random);
            String bad;
            switch (random.nextInt(3)) {
                case 0 -> bad = (random.nextBoolean() ? "." : "-") + tag.substring(0, Math.min(tag.length(), 127));
                case 1 -> {
                    int pos = random.nextInt(tag.length() + 1);
                    bad = tag.substring(0, pos)
                            + forbidden.charAt(random.nextInt(forbidden.length()))
                            + tag.substring(pos);
                }
                default -> bad = tag + "x".repeat(129 - tag.length());
            }
            String input = "r.io/a:" + bad;

            InvalidReferenceException e =
                    catchThrowableOfType(InvalidReferenceException.class, () -> Reference.parse(input));
            assertThat(e).as("seed %d, input %s", seed, input).isNotNull();
            assertThat(e.getMessage()).as(input).containsIgnoringCase("tag");
        }
    }

    private static Case generate(Random random) {
        String host = host(random);
        List<String> components = new ArrayList<>();
        int n = 1 + random.nextInt(4);
        for (int k = 0; k < n; k++) {
            components.add(component(random, random.nextInt(3) == 0 ? 60 : 16));
        }
        if (host == null) {
            // Without a host the first component must not itself look like one.
            String first = components.get(0).replace('.', '-');
            if (first.equals("localhost")) {
                first = "localhostx";
            }
            components.set(0, first);
        }
        String path = String.join("/", components);

        String tag = random.nextInt(3) == 0 ? null : tag(random);
        String digest = random.nextInt(3) == 0 ? digest(random) : null;

        StringBuilder input = new StringBuilder();
        if (host != null) {
            input.append(host).append('/');
        }
        input.append(path);
        if (tag != null) {
            input.append(':').append(tag);
        }
        if (digest != null) {
            input.append('@').append(digest);
        }

        String registry = host == null ? "docker.io" : host;
        String repository = registry.equals("docker.io") && n == 1 ? "library/" + path : path;
        String expectedTag = tag == null && digest == null ? "latest" : tag;
        return new Case(input.toString(), registry, repository, expectedTag, digest);
    }

    /** null (Docker Hub implied), docker.io, localhost, a domain, IPv4 or IPv6, with optional port. */
    private static String host(Random random) {
        String host;
        switch (random.nextInt(6)) {
            case 0 -> {
                return null;
            }
            case 1 -> host = "docker.io";
            case 2 -> host = "localhost";
            case 3 ->
                host = random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(256) + "."
                        + random.nextInt(256);
            case 4 -> host = "[" + ipv6(random) + "]";
            default -> {
                int labels = 2 + random.nextInt(3);
                List<String> parts = new ArrayList<>();
                for (int k = 0; k < labels; k++) {
                    parts.add(hostLabel(random));
                }
                host = String.join(".", parts);
            }
        }
        if (!host.equals("docker.io") && random.nextBoolean()) {
            host += ":" + random.nextInt(65536);
        } else if (host.equals("localhost") && random.nextBoolean()) {
            host += ":5000";
        }
        return host;
    }

    private static String ipv6(Random random) {
        if (random.nextBoolean()) {
            return "::1";
        }
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < 8; k++) {
            if (k > 0) {
                sb.append(':');
            }
            sb.append(Integer.toHexString(random.nextInt(0x10000)));
        }
        return sb.toString();
    }

    private static String hostLabel(Random random) {
        int len = 1 + random.nextInt(10);
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < len; k++) {
            boolean edge = k == 0 || k == len - 1;
            if (!edge && random.nextInt(5) == 0) {
                sb.append('-');
            } else {
                sb.append(HOST_CHARS.charAt(random.nextInt(HOST_CHARS.length())));
            }
        }
        return sb.toString();
    }

    /** {@code [a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*}. */
    private static String component(Random random, int maxAlnumRun) {
        StringBuilder sb = new StringBuilder(alnum(random, maxAlnumRun));
        int separators = random.nextInt(4);
        for (int k = 0; k < separators; k++) {
            switch (random.nextInt(4)) {
                case 0 -> sb.append('.');
                case 1 -> sb.append('_');
                case 2 -> sb.append("__");
                default -> sb.append("-".repeat(1 + random.nextInt(3)));
            }
            sb.append(alnum(random, maxAlnumRun));
        }
        return sb.toString();
    }

    private static String alnum(Random random, int max) {
        int len = 1 + random.nextInt(max);
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < len; k++) {
            sb.append(ALNUM_LOWER.charAt(random.nextInt(ALNUM_LOWER.length())));
        }
        return sb.toString();
    }

    /** {@code [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}}. */
    private static String tag(Random random) {
        int len = random.nextInt(8) == 0 ? 128 : 1 + random.nextInt(20);
        StringBuilder sb = new StringBuilder();
        sb.append(TAG_FIRST.charAt(random.nextInt(TAG_FIRST.length())));
        for (int k = 1; k < len; k++) {
            sb.append(TAG_REST.charAt(random.nextInt(TAG_REST.length())));
        }
        return sb.toString();
    }

    private static String digest(Random random) {
        boolean sha512 = random.nextInt(4) == 0;
        byte[] bytes = new byte[sha512 ? 64 : 32];
        random.nextBytes(bytes);
        return (sha512 ? "sha512:" : "sha256:") + HexFormat.of().formatHex(bytes);
    }
}
