package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.testing.RegistryExtension;
import dev.ferry.testing.SeededImage;
import dev.ferry.testing.Skopeo;
import dev.ferry.testing.TestImages;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code propagateDeletes} against real registries: a tag deleted at the source goes at the
 * target when Ferry wrote it and it still holds Ferry's write; a foreign tag stays; a policy
 * without the setting keeps everything; and a rollback puts a deleted tag back.
 */
class DeleteIT {

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

    private void deleteAtSource(String repository, String digest) throws Exception {
        int status = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(source.url() + "/v2/" + repository + "/manifests/" + digest))
                                .DELETE()
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
        assertThat(status).isEqualTo(202);
    }

    private String at(String repository) {
        return "docker://" + mirror.host() + "/" + repository;
    }

    @Test
    void deletesReachOnlyFerrysOwnTagsAndCanBeRolledBack(@TempDir Path dir) throws Exception {
        Path schedule = StandaloneServer.schedule(dir, source.url(), mirror.url(), """
        defaults:
          trigger: { manual: true }
        policies:
          - { name: del, propagateDeletes: true, source: { registry: source, repositories: [dl/app] },
              targets: [ { registry: mirror, prefix: d/ } ] }
          - { name: keep, source: { registry: source, repositories: [dl/app] },
              targets: [ { registry: mirror, prefix: k/ } ] }
        """);
        TestImages src = TestImages.forRegistry(source.registry());
        SeededImage v1 = src.pushOciImage("dl/app", "v1", 111, 1100);
        SeededImage v2 = src.pushOciImage("dl/app", "v2", 112, 1200);
        SeededImage v3 = src.pushOciImage("dl/app", "v3", 113, 1300);
        SeededImage v5 = src.pushOciImage("dl/app", "v5", 115, 1500);
        server = StandaloneServer.start(dir, schedule);
        assertThat(server.ctl("sync", "--policy", "del", "--wait").exitCode()).isZero();
        assertThat(server.ctl("sync", "--policy", "keep", "--wait").exitCode()).isZero();
        assertThat(skopeo.tags(at("d/dl/app"))).containsExactlyInAnyOrder("v1", "v2", "v3", "v5");

        // Someone tags v5's image "stable" at the target: deleting v5's manifest would take it too.
        skopeo.copy(at("d/dl/app:v5"), at("d/dl/app:stable"));
        deleteAtSource("dl/app", v5.digest());
        // Someone else takes over v3 at the target; then v2 and v3 go at the source.
        SeededImage foreign = TestImages.forRegistry(mirror.registry()).pushOciImage("d/dl/app", "v3", 114, 1400);
        deleteAtSource("dl/app", v2.digest());
        deleteAtSource("dl/app", v3.digest());

        FerryProcess.Result del = server.ctl("sync", "--policy", "del", "--wait");
        FerryProcess.Result keep = server.ctl("sync", "--policy", "keep", "--wait");

        assertThat(del.exitCode()).as(del.stdout() + del.stderr()).isZero();
        assertThat(keep.exitCode()).as(keep.stdout() + keep.stderr()).isZero();
        assertThat(skopeo.tags(at("d/dl/app")))
                .as("v5 stays: its manifest is shared with stable")
                .containsExactlyInAnyOrder("v1", "v3", "v5", "stable");
        assertThat(skopeo.manifestDigest(at("d/dl/app:v3")))
                .as("a foreign tag is never deleted")
                .isEqualTo(foreign.digest());
        assertThat(skopeo.manifestDigest(at("d/dl/app:v1"))).isEqualTo(v1.digest());
        assertThat(skopeo.tags(at("k/dl/app")))
                .as("without propagateDeletes nothing goes")
                .containsExactlyInAnyOrder("v1", "v2", "v3", "v5");
        assertThat(server.ctl("history", "--registry", "mirror", "--repository", "d/dl/app", "--tag", "v2", "--json")
                        .stdout())
                .contains("\"kind\" : \"delete\"")
                .contains("\"previousDigest\" : \"" + v2.digest() + "\"");

        // The next run finds nothing more to delete, and a rollback brings v2 back.
        assertThat(server.ctl("sync", "--policy", "del", "--wait").exitCode()).isZero();
        FerryProcess.Result back =
                server.ctl("rollback", "--registry", "mirror", "--repository", "d/dl/app", "--tag", "v2");
        assertThat(back.exitCode()).as(back.stdout() + back.stderr()).isZero();
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> skopeo.tags(at("d/dl/app")).contains("v2"));
        assertThat(skopeo.manifestDigest(at("d/dl/app:v2"))).isEqualTo(v2.digest());
    }
}
