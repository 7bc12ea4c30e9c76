package dev.ferry.common.manifest;

import static dev.ferry.common.manifest.Fixtures.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.common.digest.Digest;
import dev.ferry.common.digest.InvalidDigestException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ManifestParserTest {

    private static final String OCI_MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json";
    private static final String OCI_INDEX_TYPE = "application/vnd.oci.image.index.v1+json";
    private static final String DOCKER_MANIFEST_TYPE = "application/vnd.docker.distribution.manifest.v2+json";
    private static final String DOCKER_LIST_TYPE = "application/vnd.docker.distribution.manifest.list.v2+json";

    /** sha256 computed independently of {@link Digest#sha256}. */
    private static String sha256(byte[] b) throws Exception {
        return "sha256:"
                + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    private static Manifest parse(String json, String contentType) {
        return ManifestParser.parse(bytes(json), contentType);
    }

    @Nested
    class OciManifest {

        private final ImageManifest m =
                (ImageManifest) parse(Fixtures.OCI_MANIFEST, "application/vnd.oci.image.manifest.v1+json");

        @Test
        void mediaTypeIsOciManifest() {
            assertThat(m.mediaType()).isEqualTo(OCI_MANIFEST_TYPE);
        }

        @Test
        void configDescriptorIsRead() {
            assertThat(m.config().mediaType()).isEqualTo("application/vnd.oci.image.config.v1+json");
            assertThat(m.config().digest()).hasToString(Fixtures.CONFIG);
            assertThat(m.config().size()).isEqualTo(7023);
        }

        @Test
        void layersAreReadInOrder() {
            assertThat(m.layers())
                    .extracting(d -> d.digest().toString())
                    .containsExactly(Fixtures.LAYER1, Fixtures.LAYER2, Fixtures.LAYER3);
            assertThat(m.layers()).extracting(Descriptor::size).containsExactly(32654L, 16724L, 73109L);
            assertThat(m.layers().get(2).mediaType()).isEqualTo("application/vnd.oci.image.layer.v1.tar+zstd");
        }

        @Test
        void layerAnnotationsAreKept() {
            assertThat(m.layers().get(2).annotations())
                    .containsEntry("org.opencontainers.image.title", "layer3.tar.zst");
            assertThat(m.layers().get(0).annotations()).isNull();
        }

        @Test
        void subjectIsRead() {
            assertThat(m.subject()).isNotNull();
            assertThat(m.subject().digest()).hasToString(Fixtures.SUBJECT);
            assertThat(m.subject().size()).isEqualTo(1024);
        }

        @Test
        void blobsAreConfigThenLayers() {
            assertThat(m.blobs())
                    .extracting(d -> d.digest().toString())
                    .containsExactly(Fixtures.CONFIG, Fixtures.LAYER1, Fixtures.LAYER2, Fixtures.LAYER3);
        }

        @Test
        void layersCannotBeModified() {
            assertThatThrownBy(() -> m.layers().clear()).isInstanceOf(UnsupportedOperationException.class);
        }

        @Test
        void digestIsSha256OfTheExactBytes() throws Exception {
            assertThat(m.digest()).hasToString(sha256(bytes(Fixtures.OCI_MANIFEST)));
        }

        @Test
        void rawBytesAreKeptByteForByte() {
            assertThat(m.raw()).isEqualTo(bytes(Fixtures.OCI_MANIFEST));
        }

        @Test
        void descriptorDescribesTheRawBytes() {
            Descriptor d = m.descriptor();

            assertThat(d.mediaType()).isEqualTo(OCI_MANIFEST_TYPE);
            assertThat(d.digest()).isEqualTo(m.digest());
            assertThat(d.size()).isEqualTo(bytes(Fixtures.OCI_MANIFEST).length);
        }

        @Test
        void manifestWithoutSubjectOrLayersIsAccepted() {
            String json = """
          {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
           "config":{"mediaType":"application/vnd.oci.empty.v1+json","digest":"%s","size":2}}
          """.formatted(Fixtures.CONFIG);

            ImageManifest artifact = (ImageManifest) parse(json, null);

            assertThat(artifact.layers()).isEmpty();
            assertThat(artifact.subject()).isNull();
            assertThat(artifact.blobs()).hasSize(1);
        }
    }

    @Nested
    class OciIndex {

        private final ImageIndex index = (ImageIndex) parse(Fixtures.OCI_INDEX, null);

        @Test
        void mediaTypeIsOciIndex() {
            assertThat(index.mediaType()).isEqualTo(OCI_INDEX_TYPE);
        }

        @Test
        void everyEntryIsRead() {
            assertThat(index.manifests())
                    .extracting(d -> d.digest().toString())
                    .containsExactly(Fixtures.AMD64, Fixtures.ARM64, Fixtures.WINDOWS, Fixtures.ATTEST);
            assertThat(index.manifests()).extracting(Descriptor::size).containsExactly(1051L, 1051L, 1137L, 566L);
            assertThat(index.subject()).isNull();
        }

        @Test
        void platformsAreRead() {
            List<Platform> platforms =
                    index.manifests().stream().map(Descriptor::platform).toList();

            assertThat(platforms.get(0)).isEqualTo(new Platform("amd64", "linux", null, null, null));
            assertThat(platforms.get(1).architecture()).isEqualTo("arm64");
            assertThat(platforms.get(1).variant()).isEqualTo("v8");
            assertThat(platforms.get(2).os()).isEqualTo("windows");
            assertThat(platforms.get(2).osVersion()).isEqualTo("10.0.20348.2340");
            assertThat(platforms.get(2).osFeatures()).containsExactly("win32k");
        }

        @Test
        void parsedPlatformSelectsTheMatchingEntry() {
            Platform wanted = Platform.parse("linux/arm64");

            assertThat(index.manifests())
                    .filteredOn(d -> wanted.matches(d.platform()))
                    .extracting(d -> d.digest().toString())
                    .containsExactly(Fixtures.ARM64);
        }

        @Test
        void entryAnnotationsAreKept() {
            assertThat(index.manifests().get(3).annotations())
                    .containsEntry("vnd.docker.reference.type", "attestation-manifest");
        }

        @Test
        void digestAndRawMatchTheBytes() throws Exception {
            assertThat(index.raw()).isEqualTo(bytes(Fixtures.OCI_INDEX));
            assertThat(index.digest()).hasToString(sha256(bytes(Fixtures.OCI_INDEX)));
        }

        @Test
        void indexWithoutManifestsIsEmpty() {
            ImageIndex empty =
                    (ImageIndex) parse("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_INDEX_TYPE + "\"}", null);

            assertThat(empty.manifests()).isEmpty();
        }

        @Test
        void indexSubjectIsRead() {
            String json = """
          {"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[],
           "subject":{"mediaType":"application/vnd.oci.image.index.v1+json","digest":"%s","size":9}}
          """.formatted(Fixtures.SUBJECT);

            assertThat(((ImageIndex) parse(json, null)).subject().digest()).hasToString(Fixtures.SUBJECT);
        }
    }

    @Nested
    class DockerFormats {

        @Test
        void schema2ManifestIsAnImageManifest() {
            ImageManifest m = (ImageManifest)
                    parse(Fixtures.DOCKER_MANIFEST, "application/vnd.docker.distribution.manifest.v2+json");

            assertThat(m.mediaType()).isEqualTo(DOCKER_MANIFEST_TYPE);
            assertThat(m.config().mediaType()).isEqualTo("application/vnd.docker.container.image.v1+json");
            assertThat(m.config().size()).isEqualTo(1472);
            assertThat(m.layers()).hasSize(2);
            assertThat(m.subject()).isNull();
        }

        @Test
        void foreignLayerKeepsItsUrlsAndLargeSize() {
            ImageManifest m = (ImageManifest) parse(Fixtures.DOCKER_MANIFEST, null);
            Descriptor foreign = m.layers().get(1);

            assertThat(foreign.size()).isEqualTo(1_669_204_718L);
            assertThat(foreign.urls())
                    .singleElement()
                    .asString()
                    .startsWith("https://mcr.microsoft.com/")
                    .endsWith(Fixtures.FOREIGN);
        }

        @Test
        void manifestListIsAnIndex() throws Exception {
            ImageIndex list = (ImageIndex) parse(Fixtures.DOCKER_MANIFEST_LIST, null);

            assertThat(list.mediaType()).isEqualTo(DOCKER_LIST_TYPE);
            assertThat(list.manifests()).hasSize(2);
            assertThat(list.manifests().get(1).platform()).hasToString("linux/arm/v7");
            assertThat(list.manifests().get(0).mediaType()).isEqualTo(DOCKER_MANIFEST_TYPE);
            assertThat(list.digest()).hasToString(sha256(bytes(Fixtures.DOCKER_MANIFEST_LIST)));
        }
    }

    @Nested
    class MediaTypeResolution {

        private final String ociManifestWithoutType = Fixtures.OCI_MANIFEST.replace(
                "\"mediaType\": \"application/vnd.oci.image.manifest.v1+json\",\n  \"config\"", "\"config\"");
        private final String dockerManifestWithoutType = Fixtures.DOCKER_MANIFEST.replace(
                "\"mediaType\": \"application/vnd.docker.distribution.manifest.v2+json\",", "");
        private final String indexWithoutType =
                Fixtures.OCI_INDEX.replace("\"mediaType\": \"application/vnd.oci.image.index.v1+json\",", "");

        @Test
        void fixturesReallyLackTheTopLevelMediaType() throws Exception {
            for (String json : List.of(ociManifestWithoutType, dockerManifestWithoutType, indexWithoutType)) {
                assertThat(ManifestParser.mapper().readTree(json).has("mediaType"))
                        .isFalse();
            }
        }

        @Test
        void documentMediaTypeWinsOverContentType() {
            Manifest m = parse(Fixtures.DOCKER_MANIFEST, "application/vnd.oci.image.manifest.v1+json");

            assertThat(m.mediaType()).isEqualTo(DOCKER_MANIFEST_TYPE);
        }

        @Test
        void contentTypeIsUsedWhenTheDocumentHasNone() {
            Manifest m = parse(
                    dockerManifestWithoutType, "Application/vnd.docker.distribution.manifest.v2+json; charset=utf-8");

            assertThat(m).isInstanceOf(ImageManifest.class);
            assertThat(m.mediaType()).isEqualTo(DOCKER_MANIFEST_TYPE);
        }

        @Test
        void contentTypeCanMakeAnIndexADockerManifestList() {
            Manifest m = parse(indexWithoutType, DOCKER_LIST_TYPE);

            assertThat(m).isInstanceOf(ImageIndex.class);
            assertThat(m.mediaType()).isEqualTo(DOCKER_LIST_TYPE);
        }

        @Test
        void emptyDocumentMediaTypeFallsBackToContentType() {
            String json = Fixtures.DOCKER_MANIFEST.replace(
                    "\"application/vnd.docker.distribution.manifest.v2+json\"", "\"\"");

            assertThat(parse(json, DOCKER_MANIFEST_TYPE).mediaType()).isEqualTo(DOCKER_MANIFEST_TYPE);
        }

        @Test
        void imageManifestShapeIsGuessedWithoutAnyType() {
            assertThat(parse(ociManifestWithoutType, null).mediaType()).isEqualTo(OCI_MANIFEST_TYPE);
            assertThat(parse(ociManifestWithoutType, "application/json").mediaType())
                    .isEqualTo(OCI_MANIFEST_TYPE);
            assertThat(parse(ociManifestWithoutType, "  ").mediaType()).isEqualTo(OCI_MANIFEST_TYPE);
        }

        @Test
        void indexShapeIsGuessedWithoutAnyType() {
            Manifest m = parse(indexWithoutType, "application/json; charset=utf-8");

            assertThat(m).isInstanceOf(ImageIndex.class);
            assertThat(m.mediaType()).isEqualTo(OCI_INDEX_TYPE);
        }

        @Test
        void unrecognisableDocumentIsRefused() {
            assertThatThrownBy(() -> parse("{\"schemaVersion\":2}", null))
                    .isInstanceOf(InvalidManifestException.class)
                    .hasMessageContaining("unsupported manifest media type")
                    .hasMessageContaining(OCI_INDEX_TYPE);
        }

        @Test
        void unsupportedDeclaredTypeIsRefusedListingTheSupportedOnes() {
            String json = Fixtures.OCI_MANIFEST.replace(
                    "\"application/vnd.oci.image.manifest.v1+json\",\n" + "  \"config\"",
                    "\"application/vnd.oci.artifact.manifest.v1+json\",\n  \"config\"");

            assertThatThrownBy(() -> parse(json, null))
                    .isInstanceOf(InvalidManifestException.class)
                    .hasMessageContaining("application/vnd.oci.artifact.manifest.v1+json")
                    .hasMessageContaining(OCI_MANIFEST_TYPE)
                    .hasMessageContaining(DOCKER_MANIFEST_TYPE)
                    .hasMessageContaining(DOCKER_LIST_TYPE);
        }

        @Test
        void unsupportedContentTypeForAnUntypedDocumentIsRefused() {
            assertThatThrownBy(() -> parse(ociManifestWithoutType, "text/html"))
                    .isInstanceOf(InvalidManifestException.class)
                    .hasMessageContaining("text/html");
        }
    }

    @Nested
    class BytesAndDigest {

        @Test
        void whitespaceIsPartOfTheDigest() throws Exception {
            String compact = "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_INDEX_TYPE + "\",\"manifests\":[]}";
            String spaced =
                    "{ \"schemaVersion\" : 2,\r\n\t\"mediaType\": \"" + OCI_INDEX_TYPE + "\", \"manifests\": [ ] }\n\n";

            Manifest a = parse(compact, null);
            Manifest b = parse(spaced, null);

            assertThat(a.digest()).isNotEqualTo(b.digest());
            assertThat(b.raw()).isEqualTo(spaced.getBytes(StandardCharsets.UTF_8));
            assertThat(b.digest()).hasToString(sha256(spaced.getBytes(StandardCharsets.UTF_8)));
            assertThat(b.descriptor().size()).isEqualTo(spaced.length());
        }

        @Test
        void nonAsciiContentIsHashedAsSentNotReencoded() throws Exception {
            String json = Fixtures.OCI_MANIFEST.replace("value1", "wert \u00fc \u00e9 \u65e5\u672c");
            byte[] raw = json.getBytes(StandardCharsets.UTF_8);

            Manifest m = ManifestParser.parse(raw, null);

            assertThat(m.raw()).isEqualTo(raw);
            assertThat(m.digest()).hasToString(sha256(raw));
        }

        @Test
        void escapedJsonIsNotCanonicalised() throws Exception {
            String escaped = Fixtures.OCI_MANIFEST.replace("value1", "value\\u0031");
            byte[] raw = bytes(escaped);

            Manifest m = ManifestParser.parse(raw, null);

            assertThat(m.raw()).isEqualTo(raw);
            assertThat(m.digest())
                    .isNotEqualTo(parse(Fixtures.OCI_MANIFEST, null).digest());
        }

        @Test
        void manifestOfExactlyTheLimitIsAccepted() {
            byte[] raw = padded(Fixtures.OCI_MANIFEST, ManifestParser.MAX_MANIFEST_BYTES);

            Manifest m = ManifestParser.parse(raw, null);

            assertThat(m.raw()).hasSize(4 * 1024 * 1024);
        }

        @Test
        void manifestOverFourMebibytesIsRefusedNamingTheLimit() {
            byte[] raw = padded(Fixtures.OCI_MANIFEST, 4 * 1024 * 1024 + 1);

            assertThatThrownBy(() -> ManifestParser.parse(raw, null))
                    .isInstanceOf(InvalidManifestException.class)
                    .hasMessageContaining(String.valueOf(4 * 1024 * 1024))
                    .hasMessageContaining(String.valueOf(raw.length))
                    .hasMessageContaining("limit");
        }

        /** The document followed by spaces up to {@code size} bytes: still valid JSON. */
        private byte[] padded(String json, int size) {
            byte[] doc = bytes(json);
            byte[] raw = Arrays.copyOf(doc, size);
            Arrays.fill(raw, doc.length, size, (byte) ' ');
            return raw;
        }
    }

    @Nested
    class Refusals {

        /** A manifest whose annotations hold {@code depth} nested objects. */
        private String nestedAnnotations(int depth) {
            StringBuilder sb = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"")
                    .append(OCI_MANIFEST_TYPE)
                    .append("\",\"config\":{\"mediaType\":\"x\",\"digest\":\"")
                    .append(Fixtures.CONFIG)
                    .append("\",\"size\":1},\"annotations\":");
            sb.append("{\"a\":".repeat(depth)).append("\"deep\"").append("}".repeat(depth));
            return sb.append('}').toString();
        }

        /** Nesting in a field Ferry ignores, so only the depth limit can refuse it. */
        private String nestedExtension(int totalDepth) {
            int inner = totalDepth - 1; // the root object is one level
            StringBuilder sb = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"")
                    .append(OCI_INDEX_TYPE)
                    .append("\",\"manifests\":[],\"x-extension\":");
            sb.append("[".repeat(inner)).append("1").append("]".repeat(inner));
            return sb.append('}').toString();
        }

        @Test
        void deeplyNestedAnnotationsAreRefused() {
            assertThatThrownBy(() -> parse(nestedAnnotations(200), null))
                    .isInstanceOf(InvalidManifestException.class)
                    .hasMessageContaining("nesting depth");
        }

        @Test
        void nestingUpToTheLimitIsAcceptedAndOneMoreIsNot() {
            int limit = ManifestParser.MAX_JSON_DEPTH;

            assertThat(parse(nestedExtension(limit), null)).isInstanceOf(ImageIndex.class);
            assertThatThrownBy(() -> parse(nestedExtension(limit + 1), null))
                    .isInstanceOf(InvalidManifestException.class)
                    .hasMessageContaining("depth");
        }

        @Test
        void limitIsGenerousForRealManifests() {
            assertThat(ManifestParser.MAX_JSON_DEPTH).isGreaterThanOrEqualTo(8);
        }

        @Test
        void sharedMapperAppliesTheDepthLimit() {
            assertThatThrownBy(() -> ManifestParser.mapper().readTree(nestedAnnotations(100)))
                    .hasMessageContaining("depth");
        }

        @ParameterizedTest
        @ValueSource(
                strings = {
                    "not json",
                    "{\"schemaVersion\": 2,",
                    "{'single': 'quotes'}",
                    "<html><body>502 Bad Gateway</body></html>",
                    "{\"a\":}"
                })
        void nonJsonIsRefused(String body) {
            assertThatThrownBy(() -> parse(body, OCI_MANIFEST_TYPE))
                    .isInstanceOf(InvalidManifestException.class)
                    .hasMessageContaining("not valid JSON");
        }

        @ParameterizedTest
        @ValueSource(strings = {"[]", "[{\"schemaVersion\":2}]", "\"manifest\"", "42", "null", "true", "", "   "})
        void nonObjectIsRefused(String body) {
            assertThatThrownBy(() -> parse(body, OCI_MANIFEST_TYPE))
                    .isInstanceOf(InvalidManifestException.class)
                    .hasMessageContaining("not a JSON object");
        }

        @Test
        void schemaVersion1IsRefusedAsSchema1() {
            assertThatThrownBy(() -> parse(Fixtures.SCHEMA1, "application/json"))
                    .isInstanceOf(InvalidManifestException.class)
                    .hasMessageContaining("schema1")
                    .hasMessageContaining("not supported");
        }

        @ParameterizedTest
        @ValueSource(
                strings = {
                    "application/vnd.docker.distribution.manifest.v1+prettyjws",
                    "application/vnd.docker.distribution.manifest.v1+json"
                })
        void schema1ContentTypeIsRefusedAsSchema1(String contentType) {
            String withoutVersion = Fixtures.SCHEMA1.replace("\"schemaVersion\": 1,", "");

            assertThatThrownBy(() -> parse(withoutVersion, contentType))
                    .isInstanceOf(InvalidManifestException.class)
                    .hasMessageContaining("schema1");
        }

        @Test
        void schema1MediaTypeInTheDocumentIsRefused() {
            String json = "{\"schemaVersion\":2,\"mediaType\":"
                    + "\"application/vnd.docker.distribution.manifest.v1+prettyjws\",\"config\":{}}";

            assertThatThrownBy(() -> parse(json, null))
                    .isInstanceOf(InvalidManifestException.class)
                    .hasMessageContaining("schema1");
        }

        @Test
        void schemaVersion1WinsOverAModernMediaType() {
            String json = Fixtures.OCI_MANIFEST.replace("\"schemaVersion\": 2", "\"schemaVersion\": 1");

            assertThatThrownBy(() -> parse(json, null)).hasMessageContaining("schema1");
        }

        @Test
        void imageManifestWithoutConfigIsRefused() {
            String json = "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST_TYPE + "\",\"layers\":[]}";

            assertThatThrownBy(() -> parse(json, null))
                    .isInstanceOf(InvalidManifestException.class)
                    .hasMessageContaining("\"config\"")
                    .hasMessageContaining("missing")
                    .hasMessageContaining(OCI_MANIFEST_TYPE);
        }

        @Test
        void nullConfigIsRefused() {
            String json = "{\"schemaVersion\":2,\"mediaType\":\"" + DOCKER_MANIFEST_TYPE
                    + "\",\"config\":null,\"layers\":[]}";

            assertThatThrownBy(() -> parse(json, null))
                    .isInstanceOf(InvalidManifestException.class)
                    .hasMessageContaining("missing \"config\"");
        }

        @Test
        void descriptorWithoutDigestIsRefusedNamingWhereItIs() {
            String json = Fixtures.OCI_MANIFEST.replace("\"digest\": \"" + Fixtures.LAYER2 + "\",", "");

            assertThatThrownBy(() -> parse(json, null))
                    .isInstanceOf(InvalidManifestException.class)
                    .hasMessageContaining("layers[1]")
                    .hasMessageContaining("no digest");
        }

        @Test
        void indexEntryWithoutDigestIsRefused() {
            String json = Fixtures.OCI_INDEX.replace("\"digest\": \"" + Fixtures.WINDOWS + "\",", "");

            assertThatThrownBy(() -> parse(json, null))
                    .isInstanceOf(InvalidManifestException.class)
                    .hasMessageContaining("manifests[2]")
                    .hasMessageContaining("no digest");
        }

        @Test
        void configWithoutMediaTypeIsRefused() {
            String json =
                    Fixtures.OCI_MANIFEST.replace("\"mediaType\": \"application/vnd.oci.image.config.v1+json\",", "");

            assertThatThrownBy(() -> parse(json, null))
                    .isInstanceOf(InvalidManifestException.class)
                    .hasMessageContaining("\"config\"")
                    .hasMessageContaining("no mediaType");
        }

        @Test
        void negativeSizeIsRefused() {
            String json = Fixtures.OCI_MANIFEST.replace("\"size\": 16724", "\"size\": -1");

            assertThatThrownBy(() -> parse(json, null))
                    .isInstanceOf(InvalidManifestException.class)
                    .hasMessageContaining("layers[1]")
                    .hasMessageContaining("negative size");
        }

        @Test
        void nonNumericSizeIsRefused() {
            String json = Fixtures.OCI_MANIFEST.replace("\"size\": 16724", "\"size\": \"big\"");

            assertThatThrownBy(() -> parse(json, null))
                    .isInstanceOf(InvalidManifestException.class)
                    .hasMessageContaining("\"big\"");
        }

        @ParameterizedTest
        @ValueSource(
                strings = {
                    "sha256:xyz",
                    "sha256:ZZZ",
                    "md5:d41d8cd98f00b204e9800998ecf8427e",
                    "sha256",
                    "SHA256:77EA7EEE3D80B1A38F83906DD3048E2689457EB90E18A7D12F839C5AE37106A2"
                })
        void badDigestInsideADescriptorIsRefused(String bad) {
            String json = Fixtures.OCI_MANIFEST.replace(Fixtures.LAYER1, bad);

            assertThatThrownBy(() -> parse(json, null))
                    .isInstanceOf(InvalidManifestException.class)
                    .hasMessageContaining("digest")
                    .hasMessageContaining("\"" + bad.split(":")[0])
                    .hasRootCauseInstanceOf(InvalidDigestException.class);
        }

        @Test
        void badDigestMessageSaysWhatIsWrongWithIt() {
            String json = Fixtures.OCI_MANIFEST.replace(Fixtures.CONFIG, "md5:d41d8cd98f00b204e9800998ecf8427e");

            assertThatThrownBy(() -> parse(json, null))
                    .hasMessageContaining("md5")
                    .hasMessageContaining("sha256");
        }

        @ParameterizedTest
        @CsvSource(
                delimiter = '|',
                value = {
                    "layers[0]   | \"%s\" -> \"sha256:xyz\"",
                    "config      | \"%s\" -> \"md5:d41d8cd98f00b204e9800998ecf8427e\"",
                    "layers[1]   | \"size\": 16724 -> \"size\": \"big\""
                })
        void descriptorProblemFoundByJacksonNamesWhereItIs(String where, String edit) {
            String[] fromTo = edit.split(" -> ");
            String from = fromTo[0].replace("%s", where.equals("config") ? Fixtures.CONFIG : Fixtures.LAYER1);
            String json = Fixtures.OCI_MANIFEST.replace(from, fromTo[1]);
            assertThat(json).isNotEqualTo(Fixtures.OCI_MANIFEST);

            assertThatThrownBy(() -> parse(json, null))
                    .isInstanceOf(InvalidManifestException.class)
                    .hasMessageContaining(where);
        }

        @Test
        void indexEntryThatIsNotAnObjectIsNamed() {
            String json = "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_INDEX_TYPE + "\",\"manifests\":[42]}";

            assertThatThrownBy(() -> parse(json, null)).hasMessageContaining("manifests[0]");
        }

        @Test
        void layersThatAreNotAnArrayAreRefused() {
            String json = "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST_TYPE
                    + "\",\"config\":{\"mediaType\":\"x\",\"digest\":\"" + Fixtures.CONFIG
                    + "\",\"size\":1},\"layers\":{\"a\":1}}";

            assertThatThrownBy(() -> parse(json, null))
                    .isInstanceOf(InvalidManifestException.class)
                    .hasMessageContaining("\"layers\" is not an array");
        }

        @Test
        void manifestsThatAreNotAnArrayAreRefused() {
            String json = "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_INDEX_TYPE + "\",\"manifests\":\"x\"}";

            assertThatThrownBy(() -> parse(json, null))
                    .isInstanceOf(InvalidManifestException.class)
                    .hasMessageContaining("\"manifests\" is not an array");
        }

        @Test
        void indexEntryThatIsNotAnObjectIsRefused() {
            String json = "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_INDEX_TYPE + "\",\"manifests\":[42]}";

            assertThatThrownBy(() -> parse(json, null))
                    .isInstanceOf(InvalidManifestException.class)
                    .hasMessageContaining(OCI_INDEX_TYPE)
                    .hasMessageContaining("invalid");
        }

        @Test
        void invalidManifestMessageNamesTheDigestOfTheBytes() throws Exception {
            String json = Fixtures.OCI_MANIFEST.replace("\"size\": 16724", "\"size\": -5");

            assertThatThrownBy(() -> parse(json, null)).hasMessageContaining(sha256(bytes(json)));
        }

        @Test
        void trailingGarbageAfterTheDocumentIsRefused() {
            String json = Fixtures.OCI_INDEX + "garbage";

            assertThatThrownBy(() -> parse(json, null))
                    .isInstanceOf(InvalidManifestException.class)
                    .hasMessageContaining("JSON");
        }

        @Test
        void secondDocumentAfterTheFirstIsRefused() {
            String json = Fixtures.DOCKER_MANIFEST + Fixtures.OCI_INDEX;

            assertThatThrownBy(() -> parse(json, null)).isInstanceOf(InvalidManifestException.class);
        }

        @Test
        void trailingWhitespaceIsNotGarbage() {
            assertThat(parse(Fixtures.OCI_INDEX + "\n\r\n \t", null)).isInstanceOf(ImageIndex.class);
        }
    }
}
