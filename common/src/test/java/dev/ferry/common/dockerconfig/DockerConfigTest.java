package dev.ferry.common.dockerconfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.common.transport.Credentials;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class DockerConfigTest {

    private static final Path FILE = Path.of("/home/u/.docker/config.json");

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aBase64AuthIsUserAndPasswordAndTheKeyMatchesWithOrWithoutSchemeAndPath() {
        DockerConfig c = DockerConfig.parse(
                FILE,
                "{\"auths\": {\"https://reg.example.com:5000/v1/\": {\"auth\": \"" + b64("ci:s3cret:with:colons")
                        + "\"}}}");

        assertThat(c.lookup("reg.example.com:5000"))
                .isEqualTo(new DockerConfig.Inline(Credentials.basic("ci", "s3cret:with:colons")));
        assertThat(c.lookup("reg.example.com")).isEqualTo(new DockerConfig.Nothing());
    }

    @Test
    void anIdentityTokenWinsOverAnAuthInTheSameEntry() {
        DockerConfig c = DockerConfig.parse(
                FILE,
                "{\"auths\": {\"quay.io\": {\"auth\": \"" + b64("a:b") + "\", \"identitytoken\": \"refresh-abc\"}}}");

        assertThat(c.lookup("quay.io")).isEqualTo(new DockerConfig.Inline(Credentials.identityToken("refresh-abc")));
    }

    @Test
    void dockerHubsNamesAreOneEntryAndItsHelperIsAskedForTheLegacyServerUrl() {
        DockerConfig c = DockerConfig.parse(
                FILE,
                "{\"auths\": {\"https://index.docker.io/v1/\": {\"auth\": \"" + b64("me:pw")
                        + "\"}}, \"credHelpers\": {\"docker.io\": \"desktop\"}}");

        for (String host : new String[] {"docker.io", "index.docker.io", "registry-1.docker.io"}) {
            assertThat(c.lookup(host))
                    .as(host)
                    .isEqualTo(new DockerConfig.Helper("desktop", "https://index.docker.io/v1/", "credHelpers"));
        }
    }

    @Test
    void credHelpersComeFirstThenInlineAuthsThenTheCredsStore() {
        DockerConfig c = DockerConfig.parse(
                FILE,
                "{\"auths\": {\"a.example\": {\"auth\": \"" + b64("u:p")
                        + "\"}, \"b.example\": {}}, \"credHelpers\": {\"c.example\": \"ecr-login\"}, \"credsStore\": \"pass\"}");

        assertThat(c.lookup("c.example")).isEqualTo(new DockerConfig.Helper("ecr-login", "c.example", "credHelpers"));
        assertThat(c.lookup("a.example")).isInstanceOf(DockerConfig.Inline.class);
        assertThat(c.lookup("b.example")).isEqualTo(new DockerConfig.Helper("pass", "b.example", "credsStore"));
        assertThat(c.lookup("d.example")).isEqualTo(new DockerConfig.Helper("pass", "d.example", "credsStore"));
    }

    @Test
    void nothingForTheRegistryMeansAnonymous() {
        assertThat(DockerConfig.parse(FILE, "{}").lookup("x.example")).isEqualTo(new DockerConfig.Nothing());
    }

    @Test
    void badFilesAreRefusedNamingTheFileAndTheFieldButNotTheSecret() {
        assertThatThrownBy(() -> DockerConfig.parse(FILE, "[1]"))
                .hasMessage("Docker config " + FILE + " is not a JSON object");
        assertThatThrownBy(
                        () -> DockerConfig.parse(FILE, "{\"auths\": {\"r.example\": {\"auth\": \"!!not-b64-secret\"}}}")
                                .lookup("r.example"))
                .hasMessage(FILE + ": auths[\"r.example\"].auth is not base64")
                .hasMessageNotContaining("not-b64-secret");
        assertThatThrownBy(() -> DockerConfig.parse(FILE, "{\"credHelpers\": {\"r.example\": \"../../bin/sh\"}}"))
                .hasMessageContaining("credHelpers[\"r.example\"] must name a helper");
    }

    @Test
    void neitherTheConfigNorItsEntriesShowASecretWhenPrinted() {
        DockerConfig c = DockerConfig.parse(
                FILE,
                "{\"auths\": {\"r.example\": {\"auth\": \"" + b64("u:topsecret1")
                        + "\", \"identitytoken\": \"tok-topsecret2\"}}}");

        assertThat(c.toString() + c.auths().values() + c.lookup("r.example"))
                .doesNotContain(b64("u:topsecret1"))
                .doesNotContain("topsecret1")
                .doesNotContain("tok-topsecret2");
    }
}
