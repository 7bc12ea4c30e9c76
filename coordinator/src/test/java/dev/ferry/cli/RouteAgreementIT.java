package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.testing.RegistryExtension;
import dev.ferry.testing.RegistryProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two coordinator members watch one mirror go down and come back: only one of them probes,
 * both serve the same route (same active mirror, same ETag) at every point, and the route
 * moves once each way, without flapping.
 */
class RouteAgreementIT {

    private static final Logger LOG = LoggerFactory.getLogger(RouteAgreementIT.class);

    @RegisterExtension
    static RegistryExtension source = RegistryExtension.plain();

    @RegisterExtension
    static RegistryExtension mirrorB = RegistryExtension.plain();

    private final ObjectMapper json = new ObjectMapper();
    private final FerryProcesses ferry = new FerryProcesses();
    private RegistryProcess mirrorA;

    @AfterEach
    void stop() throws Exception {
        ferry.close();
        if (mirrorA != null) {
            mirrorA.close();
        }
    }

    /** What a member serves for route ci: "active etag", or "-" when it answers no route. */
    private String served(int api) throws Exception {
        String[] got = ferry.getWithEtag(api, "/v1/routes/ci");
        return got == null ? "-" : json.readTree(got[0]).path("active").asText() + " " + got[1];
    }

    @Test
    void twoMembersServeTheSameRouteThroughAnOutageAndDoNotFlap(@TempDir Path dir) throws Exception {
        mirrorA = RegistryProcess.plain();
        dev.ferry.testing.TestImages.forRegistry(source.registry()).pushOciImage("agree/app", "v1", 41, 1200);
        Path schedule =
                Files.writeString(dir.resolve("s.yaml"), """
        version: 1
        registries:
          - { name: source, url: "%s", insecure: true }
          - { name: mirror-a, url: "%s", insecure: true }
          - { name: mirror-b, url: "%s", insecure: true }
        policies:
          - name: to-a
            source: { registry: source, repositories: ["agree/app"] }
            targets: [ { registry: mirror-a } ]
            trigger: { manual: true }
        routes:
          - { name: ci, region: default, mirrors: [mirror-a, mirror-b] }
        failover: { probeInterval: 1s, probeTimeout: 500ms, downAfter: 2, failbackAfter: 2s }
        """.formatted(source.url(), mirrorA.url(), mirrorB.url()));
        int[] apis = ferry.members(dir, schedule, 2);
        ferry.worker(dir, apis[1], "w", "default", 2);
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> served(apis[0]).startsWith("mirror-a ")
                        && served(apis[0]).equals(served(apis[1])));

        // One prober for the cluster: about one GET /v2/ a second on mirror-b, not two.
        var mark = mirrorB.registry().mark();
        Thread.sleep(6_000);
        int probes = mirrorB.registry().requestsSince(mark, "GET", "^/v2/$").size();
        LOG.info("GET /v2/ on mirror-b in 6 s with 2 members: {}", probes);
        assertThat(probes).isBetween(3, 9);

        List<String> seen1 = new ArrayList<>();
        List<String> seen2 = new ArrayList<>();
        List<String> disagreements = new ArrayList<>();
        mirrorA.kill();
        sample(apis, seen1, seen2, disagreements, "mirror-b", Duration.ofSeconds(20));
        mirrorA = mirrorA.restart();
        sample(apis, seen1, seen2, disagreements, "mirror-a", Duration.ofSeconds(60));
        // Watch a little longer: nothing moves once it is back.
        long until = System.nanoTime() + Duration.ofSeconds(4).toNanos();
        while (System.nanoTime() < until) {
            record(apis, seen1, seen2, disagreements);
            Thread.sleep(100);
        }
        LOG.info(
                "{} samples per member; member 1 served {}, member 2 served {}; samples where they differed: {}",
                seen1.size(),
                activeSequence(seen1),
                activeSequence(seen2),
                disagreements.size());
        assertThat(activeSequence(seen1)).containsExactly("mirror-a", "mirror-b", "mirror-a");
        assertThat(activeSequence(seen2)).containsExactly("mirror-a", "mirror-b", "mirror-a");
        assertThat(served(apis[0])).isEqualTo(served(apis[1]));
        // The members may differ for a moment while a change propagates, never for long.
        assertThat(disagreements.size())
                .as("samples 100 ms apart where members differed")
                .isLessThan(10);

        double failovers = counter(ferry.metrics(apis[0]), "ferry_failovers_total")
                + counter(ferry.metrics(apis[1]), "ferry_failovers_total");
        double failbacks = counter(ferry.metrics(apis[0]), "ferry_failbacks_total")
                + counter(ferry.metrics(apis[1]), "ferry_failbacks_total");
        assertThat(failovers).as("one failover, decided by one member").isEqualTo(1.0);
        assertThat(failbacks).isEqualTo(1.0);
    }

    private void sample(
            int[] apis,
            List<String> seen1,
            List<String> seen2,
            List<String> disagreements,
            String target,
            Duration atMost)
            throws Exception {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (System.nanoTime() < deadline) {
            record(apis, seen1, seen2, disagreements);
            if (seen1.get(seen1.size() - 1).startsWith(target + " ")
                    && seen2.get(seen2.size() - 1).startsWith(target + " ")) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(
                "route ci did not move to " + target + " on both members within " + atMost + "; member 1 last served "
                        + seen1.get(seen1.size() - 1) + ", member 2 " + seen2.get(seen2.size() - 1));
    }

    private void record(int[] apis, List<String> seen1, List<String> seen2, List<String> disagreements)
            throws Exception {
        String a = served(apis[0]);
        String b = served(apis[1]);
        seen1.add(a);
        seen2.add(b);
        if (!a.equals(b)) {
            disagreements.add(a + " | " + b);
        }
    }

    /** The active mirrors a member served, with repeats collapsed. */
    private static List<String> activeSequence(List<String> seen) {
        List<String> out = new ArrayList<>();
        for (String s : seen) {
            String active = s.split(" ")[0];
            if (out.isEmpty() || !out.get(out.size() - 1).equals(active)) {
                out.add(active);
            }
        }
        return out;
    }

    private static double counter(String metrics, String name) {
        double sum = 0;
        Matcher m = Pattern.compile("(?m)^" + name + "\\{[^}]*} ([0-9.eE+-]+)$").matcher(metrics);
        while (m.find()) {
            sum += Double.parseDouble(m.group(1));
        }
        return sum;
    }
}
