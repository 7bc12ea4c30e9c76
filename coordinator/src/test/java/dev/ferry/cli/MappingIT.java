package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.testing.RegistryExtension;
import dev.ferry.testing.SeededImage;
import dev.ferry.testing.Skopeo;
import dev.ferry.testing.TestImages;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Target naming against real registries, checked with skopeo: stripped and replaced
 * repository paths, a tag template (through conflicts' history, drift and rollback, which
 * all name the target tag), digests pinned in the source (by digest only, or under a tag),
 * and a mapping collision among discovered repositories that fails its policy's run.
 */
class MappingIT {

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

    private String onMirror(String reference) {
        return "docker://" + mirror.host() + "/" + reference;
    }

    private FerryProcess.Result sync(String policy) throws Exception {
        return server.ctl("sync", "--policy", policy, "--wait", "--json");
    }

    @Test
    void namesMapTagsRetagDigestsPinAndCollisionsFailThePlan(@TempDir Path dir) throws Exception {
        TestImages src = TestImages.forRegistry(source.registry());
        SeededImage app1 = src.pushOciImage("mp/a/app", "v1", 301, 900);
        SeededImage web = src.pushOciImage("mp/b/web", "v1", 302, 900);
        SeededImage nginx = src.pushOciImage("library/nginx", "1.25", 303, 900);
        SeededImage pinA = src.pushOciImage("base/alpine", "a", 304, 900);
        SeededImage pinB = src.pushOciImage("base/alpine", "b", 305, 900);
        src.pushOciImage("clash/a/svc", "v1", 306, 900);
        src.pushOciImage("clash/b/svc", "v1", 307, 900);
        Path schedule =
                StandaloneServer.schedule(dir, source.url(), mirror.url(), """
        policies:
          - name: flatten
            source: { registry: source, repositories: ["mp/*/*"] }
            targets: [ { registry: mirror, stripSegments: 2, tag: "{tag}-m" } ]
            trigger: { manual: true }
          - name: library
            source: { registry: source, repositories: [library/nginx] }
            targets: [ { registry: mirror, replacePrefix: { from: library/, to: mirror/ } } ]
            trigger: { manual: true }
          - name: pinned
            source:
              registry: source
              repositories: [base/alpine]
              digests: [%s, { digest: %s, tag: pinned }]
            targets: [ { registry: mirror } ]
            trigger: { manual: true }
          - name: clash
            source: { registry: source, repositories: ["clash/*/svc"] }
            targets: [ { registry: mirror, stripSegments: 2 } ]
            trigger: { manual: true }
        """.formatted(pinA.digest(), pinB.digest()));
        server = StandaloneServer.start(dir, schedule);

        FerryProcess.Result flatten = sync("flatten");
        assertThat(flatten.exitCode()).as(flatten.stdout() + flatten.stderr()).isZero();
        assertThat(skopeo.manifestDigest(onMirror("app:v1-m"))).isEqualTo(app1.digest());
        assertThat(skopeo.manifestDigest(onMirror("web:v1-m"))).isEqualTo(web.digest());
        assertThat(skopeo.tags(onMirror("app"))).containsExactly("v1-m");

        FerryProcess.Result library = sync("library");
        assertThat(library.exitCode()).as(library.stdout() + library.stderr()).isZero();
        assertThat(skopeo.manifestDigest(onMirror("mirror/nginx:1.25"))).isEqualTo(nginx.digest());
        assertThat(skopeo.exists(onMirror("library/nginx:1.25"))).isFalse();

        // Pinned: one by digest only (no tag on the target), one under its tag; the source's tags stay home.
        FerryProcess.Result pinned = sync("pinned");
        assertThat(pinned.exitCode()).as(pinned.stdout() + pinned.stderr()).isZero();
        assertThat(skopeo.manifestDigest(onMirror("base/alpine@" + pinA.digest())))
                .isEqualTo(pinA.digest());
        assertThat(skopeo.manifestDigest(onMirror("base/alpine:pinned"))).isEqualTo(pinB.digest());
        assertThat(skopeo.tags(onMirror("base/alpine"))).containsExactly("pinned");
        assertThat(sync("pinned").stdout())
                .as("a second run finds both in place")
                .contains("\"planned\" : 0")
                .contains("\"upToDate\" : 2");

        // Two discovered repositories would land on mirror/svc: the run fails and writes nothing.
        FerryProcess.Result clash = sync("clash");
        assertThat(clash.exitCode()).isEqualTo(1);
        assertThat(clash.stdout())
                .contains("target mirror: source repositories clash/a/svc and clash/b/svc would both"
                        + " be written to svc; nothing of policy clash is planned until the mapping tells them apart");
        assertThat(skopeo.exists(onMirror("svc:v1"))).isFalse();

        // The retagged tag is what history, drift and rollback name.
        SeededImage app2 = src.pushOciImage("mp/a/app", "v1", 308, 950);
        assertThat(sync("flatten").exitCode()).isZero();
        assertThat(skopeo.manifestDigest(onMirror("app:v1-m"))).isEqualTo(app2.digest());
        assertThat(server.ctl("history", "--json", "--registry", "mirror", "--repository", "app", "--tag", "v1-m")
                        .stdout())
                .contains("\"previousDigest\" : \"" + app1.digest() + "\"")
                .contains("\"newDigest\" : \"" + app2.digest());
        skopeo.copy(onMirror("web:v1-m"), onMirror("app:v1-m"));
        FerryProcess.Result drift = server.ctl("drift", "--json", "--check", "--policy", "flatten");
        assertThat(drift.exitCode()).isEqualTo(1);
        assertThat(drift.stdout()).contains("\"repository\" : \"app\"").contains("\"tag\" : \"v1-m\"");
        FerryProcess.Result back = server.ctl(
                "rollback", "--registry", "mirror", "--repository", "app", "--tag", "v1-m", "--to", app1.digest());
        assertThat(back.exitCode()).as(back.stdout() + back.stderr()).isZero();
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> app1.digest().equals(skopeo.manifestDigest(onMirror("app:v1-m"))));
    }
}
