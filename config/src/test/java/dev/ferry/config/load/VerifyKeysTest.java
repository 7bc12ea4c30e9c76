package dev.ferry.config.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.config.model.Schedule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code verify.cosign.keys}: read relative to the schedule, checked, and named by file:line when unusable. */
class VerifyKeysTest {

    private static final String YAML = """
      version: 1
      registries:
        - { name: src, url: https://src.example.com }
        - { name: dst, url: https://dst.example.com }
      policies:
        - name: signed
          source: { registry: src, repositories: ["team/*"] }
          targets: [ { registry: dst } ]
          trigger: { manual: true }
          verify:
            cosign:
              keys:
                - keys/a.pub
                - KEY2
      """;

    @TempDir
    Path dir;

    static byte[] ecPublicKey(String curve) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec(curve));
        return g.generateKeyPair().getPublic().getEncoded();
    }

    static String pem(byte[] der) {
        return pem("PUBLIC KEY", der);
    }

    static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n" + Base64.getMimeEncoder().encodeToString(der) + "\n-----END " + label
                + "-----\n";
    }

    private void write(String name, String content) throws Exception {
        Files.createDirectories(dir.resolve(name).getParent());
        Files.writeString(dir.resolve(name), content);
    }

    private Schedule load(String second) {
        return ScheduleLoader.parse("sched.yaml", YAML.replace("KEY2", second), dir);
    }

    private List<String> problems(String second) {
        try {
            load(second);
        } catch (ConfigException e) {
            return e.problems().stream().map(ConfigProblem::toString).toList();
        }
        throw new AssertionError("expected problems, the document loaded");
    }

    @Test
    void ecdsaAndEd25519KeysAreReadRelativeToTheScheduleAndCarriedAsPem() throws Exception {
        String ec = pem(ecPublicKey("secp256r1"));
        String ed = pem(KeyPairGenerator.getInstance("Ed25519")
                .generateKeyPair()
                .getPublic()
                .getEncoded());
        write("keys/a.pub", ec);
        write("keys/b.pub", ed);

        Schedule s = load("keys/b.pub");

        assertThat(s.policies().get(0).verify().cosignKeys()).containsExactly("keys/a.pub", "keys/b.pub");
        assertThat(s.policies().get(0).verify().cosignKeyPems()).containsExactly(ec, ed);
    }

    @Test
    void aMissingKeyFileIsNamedWithItsLine() throws Exception {
        write("keys/a.pub", pem(ecPublicKey("secp256r1")));

        assertThat(problems("keys/none.pub"))
                .singleElement()
                .asString()
                .startsWith("sched.yaml:14:")
                .contains("policies[0].verify.cosign.keys[1]")
                .contains(
                        "public key file \"keys/none.pub\" not found (looked at " + dir.resolve("keys/none.pub") + ")");
    }

    @Test
    void unsupportedKeysAreNamedWithTheirType() throws Exception {
        write("keys/a.pub", pem(ecPublicKey("secp256r1")));
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(1024);
        write("rsa.pub", pem(rsa.generateKeyPair().getPublic().getEncoded()));
        write("p384.pub", pem(ecPublicKey("secp384r1")));
        write("notes.txt", "just text");

        assertThat(problems("rsa.pub"))
                .singleElement()
                .asString()
                .startsWith("sched.yaml:14:")
                .contains("public key file \"rsa.pub\" is a RSA key; supported are ECDSA P-256 and Ed25519");
        assertThat(problems("p384.pub")).singleElement().asString().contains("curve other than P-256");
        assertThat(problems("notes.txt")).singleElement().asString().contains("\"notes.txt\" is not a PEM public key");
    }

    @Test
    void aPrivateKeyIsRefusedAndItsContentNeverQuoted() throws Exception {
        write("keys/a.pub", pem(ecPublicKey("secp256r1")));
        String secretBody = "c2VjcmV0LXByaXZhdGUta2V5LW1hdGVyaWFs";
        write(
                "cosign.key",
                "-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n" + secretBody
                        + "\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n");

        assertThat(problems("cosign.key"))
                .singleElement()
                .asString()
                .contains("public key file \"cosign.key\" holds a private key")
                .doesNotContain(secretBody);
    }

    @Test
    void aDirectoryIsNotAKeyFile() throws Exception {
        write("keys/a.pub", pem(ecPublicKey("secp256r1")));

        assertThat(problems("keys"))
                .singleElement()
                .asString()
                .contains("public key file \"keys\": " + dir.resolve("keys")
                        + " is not a regular file (it is a directory)");
    }

    @Test
    void aDeviceIsRefusedWithoutReadingIt() throws Exception {
        write("keys/a.pub", pem(ecPublicKey("secp256r1")));

        assertThat(problems("/dev/zero"))
                .singleElement()
                .asString()
                .contains(
                        "public key file \"/dev/zero\": /dev/zero is not a regular file (it is a device, FIFO or socket);"
                                + " it is not a PEM public key");
    }
}
