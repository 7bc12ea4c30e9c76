package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.testing.RegistryExtension;
import dev.ferry.testing.SeededImage;
import dev.ferry.testing.Skopeo;
import dev.ferry.testing.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code java -jar ferry.jar copy} end to end, against real registries. */
class CopyCommandIT {

    static final String USER = "ci";
    static final String PASSWORD = "cli-Secret-93ab17";

    @RegisterExtension
    static RegistryExtension source = RegistryExtension.plain();

    @RegisterExtension
    static RegistryExtension target = RegistryExtension.plain();

    @RegisterExtension
    static RegistryExtension locked = RegistryExtension.basicAuth(USER, PASSWORD);

    private final Skopeo skopeo = new Skopeo();

    private static String docker(RegistryExtension r, String repoAndRef) {
        return "docker://" + r.host() + "/" + repoAndRef;
    }

    @Test
    void copiesAMultiPlatformIndexAndReportsItsDigest() throws Exception {
        SeededImage index = TestImages.forRegistry(source.registry()).pushOciIndex("cli/app", "v1", 21, 2000, 8000);

        FerryProcess.Result r =
                FerryProcess.run("copy", "--insecure", docker(source, "cli/app:v1"), docker(target, "cli/app:v1"));

        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).contains(index.digest());
        assertThat(skopeo.manifestDigest(docker(target, "cli/app:v1"))).isEqualTo(index.digest());
    }

    @Test
    void copiesByDigestToAnOciLayoutAndBack(@TempDir Path dir) throws Exception {
        SeededImage image = TestImages.forRegistry(source.registry()).pushOciImage("cli/digest", "v1", 22, 5000);

        FerryProcess.Result out = FerryProcess.run(
                "copy",
                "--insecure",
                docker(source, "cli/digest@" + image.digest()),
                "oci:" + dir.resolve("layout") + ":exported");
        FerryProcess.Result back = FerryProcess.run(
                "copy",
                "--insecure",
                "oci:" + dir.resolve("layout") + ":exported",
                docker(target, "cli/from-layout:v1"));

        assertThat(out.exitCode()).as(out.stderr()).isZero();
        assertThat(back.exitCode()).as(back.stderr()).isZero();
        assertThat(skopeo.manifestDigest("oci:" + dir.resolve("layout") + ":exported"))
                .isEqualTo(image.digest());
        assertThat(skopeo.manifestDigest(docker(target, "cli/from-layout:v1"))).isEqualTo(image.digest());
    }

    @Test
    void aMissingSourceTagExitsOneAndSaysWhat() throws Exception {
        FerryProcess.Result r = FerryProcess.run(
                "copy", "--insecure", docker(source, "cli/none:v404"), docker(target, "cli/none:v404"));

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stderr()).contains("cli/none:v404").contains("MANIFEST_UNKNOWN");
    }

    @Test
    void credentialsFromAFileWorkAndNeverShowUp(@TempDir Path dir) throws Exception {
        TestImages.forRegistry(source.registry()).pushOciImage("cli/locked", "v1", 23, 1000);
        Path good = Files.writeString(dir.resolve("good"), USER + ":" + PASSWORD + "\n");
        Path bad = Files.writeString(dir.resolve("bad"), USER + ":wrong" + PASSWORD + "\n");

        FerryProcess.Result ok = FerryProcess.run(
                "copy",
                "--insecure",
                "--dest-creds-file",
                good.toString(),
                docker(source, "cli/locked:v1"),
                docker(locked, "cli/locked:v1"));
        FerryProcess.Result refused = FerryProcess.run(
                "copy",
                "--insecure",
                "--dest-creds-file",
                bad.toString(),
                docker(source, "cli/locked:v1"),
                docker(locked, "cli/locked:v2"));

        assertThat(ok.exitCode()).as(ok.stderr()).isZero();
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.stderr()).contains("401");
        for (FerryProcess.Result r : List.of(ok, refused)) {
            assertThat(r.stdout() + r.stderr()).doesNotContain(PASSWORD);
        }
    }

    /**
     * A 1 GiB layer through a 64 MiB heap: if any part of the path buffered the blob, the
     * JVM would run out of memory. The digest check at the end proves every byte arrived.
     */
    @Test
    void aOneGibLayerCopiesWithA64MibHeap() throws Exception {
        SeededImage image = TestImages.forRegistry(source.registry())
                .pushLargeLayerImage("cli/huge", "v1", 1024L * 1024 * 1024, 24);

        FerryProcess.Result r = FerryProcess.run(
                List.of("-Xmx64m"), "copy", "--insecure", docker(source, "cli/huge:v1"), docker(target, "cli/huge:v1"));

        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stderr()).doesNotContain("OutOfMemoryError");
        assertThat(skopeo.manifestDigest(docker(target, "cli/huge:v1"))).isEqualTo(image.digest());
    }
}
