package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.testing.AccessLogEntry;
import dev.ferry.testing.LogMark;
import dev.ferry.testing.RegistryExtension;
import dev.ferry.testing.SeededImage;
import dev.ferry.testing.Skopeo;
import dev.ferry.testing.TestImages;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running standalone syncs one repository to two targets in one registry: {@code trust/}
 * with the default {@code recheck} and {@code always/} with {@code recheck: 0}. The target's
 * access log shows what the planner asked: on a no-op sync no manifest HEAD reaches the
 * {@code trust/} tags Ferry wrote or saw, one tag list does, and a tag deleted there by hand is
 * still noticed and copied again; every {@code always/} tag gets its HEAD. A tag someone pushes
 * over is missed by the plan within the period, until a drift check records it.
 */
class RecheckIT {

    private static final List<String> TAGS = List.of("v1", "v2", "v3", "v4");

    @RegisterExtension
    static RegistryExtension source = RegistryExtension.plain();

    @RegisterExtension
    static RegistryExtension mirror = RegistryExtension.plain();

    private final Skopeo skopeo = new Skopeo();
    private StandaloneServer server;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private void sync() throws Exception {
        server.post("/v1/policies/apps/sync?wait=true");
    }

    private static long heads(List<AccessLogEntry> log, String repository, String tag) {
        String path = "/v2/" + repository + "/manifests/" + tag;
        return log.stream()
                .filter(e -> e.method().equals("HEAD") && e.path().equals(path))
                .count();
    }

    private static long tagLists(List<AccessLogEntry> log, String repository) {
        return log.stream()
                .filter(e -> e.method().equals("GET") && e.path().equals("/v2/" + repository + "/tags/list"))
                .count();
    }

    private double checks(String by) throws Exception {
        Matcher m = Pattern.compile("ferry_plan_target_checks_total\\{by=\"" + by + "\",policy=\"apps\"\\} ([0-9.E]+)")
                .matcher(server.metrics());
        assertThat(m.find()).as("ferry_plan_target_checks_total by " + by).isTrue();
        return Double.parseDouble(m.group(1));
    }

    private void deleteAtMirror(String repository, String digest) throws Exception {
        int status = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(mirror.url() + "/v2/" + repository + "/manifests/" + digest))
                                .DELETE()
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
        assertThat(status).isEqualTo(202);
    }

    @Test
    void aNoOpSyncTrustsFerrysRecordsButStillSeesADeletedTag(@TempDir Path dir) throws Exception {
        TestImages images = TestImages.forRegistry(source.registry());
        List<SeededImage> pushed = new ArrayList<>();
        for (int i = 0; i < TAGS.size(); i++) {
            pushed.add(images.pushOciImage("rc/app", TAGS.get(i), 300 + i, 900 + i));
        }
        // v1 is already at trust/ before Ferry's first sync: the plan sees it there, writes nothing.
        skopeo.copy("docker://" + source.host() + "/rc/app:v1", "docker://" + mirror.host() + "/trust/rc/app:v1");
        Path schedule = StandaloneServer.schedule(dir, source.url(), mirror.url(), """
        defaults:
          trigger: { manual: true }
        policies:
          - name: apps
            source: { registry: source, repositories: [rc/app] }
            targets:
              - { registry: mirror, prefix: trust/ }
              - { registry: mirror, prefix: always/, recheck: 0 }
        """);
        server = StandaloneServer.start(dir, schedule);
        LogMark first = mirror.registry().mark();
        sync();
        // The first sync: trust/'s tag list has v1 only, so v2..v4 are planned without a HEAD and
        // v1 is asked for; always/ (recheck: 0) is asked for tag by tag.
        assertThat(checks("list"))
                .as("tags planned as absent from trust/'s list")
                .isEqualTo(TAGS.size() - 1.0);
        assertThat(checks("head")).as("v1 at trust/, and every tag at always/").isEqualTo(1.0 + TAGS.size());
        assertThat(tagLists(mirror.registry().accessLogSince(first), "trust/rc/app"))
                .isEqualTo(1);
        for (int i = 0; i < TAGS.size(); i++) {
            assertThat(skopeo.manifestDigest("docker://" + mirror.host() + "/always/rc/app:" + TAGS.get(i)))
                    .isEqualTo(pushed.get(i).digest());
        }

        // A no-op sync, except for v2, deleted at trust/ by hand.
        deleteAtMirror("trust/rc/app", pushed.get(1).digest());
        double fromRecordBefore = checks("record");
        double listedBefore = checks("list");
        LogMark mark = mirror.registry().mark();
        sync();
        List<AccessLogEntry> log = mirror.registry().accessLogSince(mark);

        for (String tag : List.of("v1", "v3", "v4")) {
            assertThat(heads(log, "trust/rc/app", tag))
                    .as("HEADs of trust/rc/app:%s, written (v3, v4) or seen (v1) by Ferry", tag)
                    .isZero();
        }
        assertThat(tagLists(log, "trust/rc/app")).as("one tag list instead").isEqualTo(1);
        assertThat(checks("list") - listedBefore)
                .as("the deleted tag is missing from the list: planned without a HEAD")
                .isEqualTo(1.0);
        assertThat(skopeo.manifestDigest("docker://" + mirror.host() + "/trust/rc/app:v2"))
                .as("and copied again")
                .isEqualTo(pushed.get(1).digest());
        for (String tag : TAGS) {
            assertThat(heads(log, "always/rc/app", tag))
                    .as("recheck: 0 asks for always/rc/app:%s", tag)
                    .isEqualTo(1);
        }
        assertThat(tagLists(log, "always/rc/app")).isZero();
        assertThat(checks("record") - fromRecordBefore).isEqualTo(3.0);

        // Someone pushes over trust/ v3. Within the period the plan does not see it (the trade-off);
        // a drift check records what it found, and the next plan asks for v3 again.
        SeededImage theirs = TestImages.forRegistry(mirror.registry()).pushOciImage("trust/rc/app", "v3", 399, 1999);
        LogMark before = mirror.registry().mark();
        sync();
        assertThat(heads(mirror.registry().accessLogSince(before), "trust/rc/app", "v3"))
                .isZero();
        server.post("/v1/policies/apps/verify");
        LogMark after = mirror.registry().mark();
        sync();
        assertThat(heads(mirror.registry().accessLogSince(after), "trust/rc/app", "v3"))
                .as("after the drift check, the plan asks for v3")
                .isPositive();
        assertThat(skopeo.manifestDigest("docker://" + mirror.host() + "/trust/rc/app:v3"))
                .as("onConflict: fail keeps their push")
                .isEqualTo(theirs.digest());
    }
}
