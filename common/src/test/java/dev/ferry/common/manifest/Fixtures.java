package dev.ferry.common.manifest;

import java.nio.charset.StandardCharsets;

/** Manifest documents shaped like what registries serve. */
final class Fixtures {

    static final String CONFIG = "sha256:b79606fb3afea5bd1609ed40b622142f1c98125abcfe89a76a661b0e8e343910";
    static final String LAYER1 = "sha256:77ea7eee3d80b1a38f83906dd3048e2689457eb90e18a7d12f839c5ae37106a2";
    static final String LAYER2 = "sha256:95cf1a2e1698fe3ca1fcc3f653119146b271d0b62e487ec264441e886a11bd06";
    static final String LAYER3 = "sha256:a0e70458d19e37e14d6388030a017c587283e2fb6ef10c0744cad0294c47e8f8";
    static final String SUBJECT = "sha256:a9491f4c1bf7b0cffbadcba2db8f028e4b3f2867cb59e1f3a0bc1968f3c51242";
    static final String AMD64 = "sha256:5861314d7fccb39c2192173240eab44fa35ca66426201ca2acd0630a6258dd51";
    static final String ARM64 = "sha256:f69162950f235e3cdbbad33f1f912d1a504be90d8a37d002c735d6f3e3882265";
    static final String WINDOWS = "sha256:eca6ba073415e0665425f2777fffb0654c2bb7f7f2d0c04cb9557ff17ed9627e";
    static final String ATTEST = "sha256:bcc7930764b9b7a8b9bbd0161b568e869466d0c4efaee8006a56f3e8e6d82b69";
    static final String FOREIGN = "sha256:656771905e1ef731f65cd0a0d9fb061238380a1a012e6abdf846ecc7d2ea36fd";

    static final String OCI_MANIFEST = """
      {
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {
          "mediaType": "application/vnd.oci.image.config.v1+json",
          "digest": "%s",
          "size": 7023
        },
        "layers": [
          {
            "mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
            "digest": "%s",
            "size": 32654
          },
          {
            "mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
            "digest": "%s",
            "size": 16724
          },
          {
            "mediaType": "application/vnd.oci.image.layer.v1.tar+zstd",
            "digest": "%s",
            "size": 73109,
            "annotations": {
              "org.opencontainers.image.title": "layer3.tar.zst"
            }
          }
        ],
        "subject": {
          "mediaType": "application/vnd.oci.image.manifest.v1+json",
          "digest": "%s",
          "size": 1024
        },
        "annotations": {
          "com.example.key1": "value1",
          "org.opencontainers.image.created": "2024-05-01T12:00:00Z"
        }
      }
      """.formatted(CONFIG, LAYER1, LAYER2, LAYER3, SUBJECT);

    static final String OCI_INDEX = """
      {
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.index.v1+json",
        "manifests": [
          {
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "digest": "%s",
            "size": 1051,
            "platform": {
              "architecture": "amd64",
              "os": "linux"
            }
          },
          {
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "digest": "%s",
            "size": 1051,
            "platform": {
              "architecture": "arm64",
              "os": "linux",
              "variant": "v8"
            }
          },
          {
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "digest": "%s",
            "size": 1137,
            "platform": {
              "architecture": "amd64",
              "os": "windows",
              "os.version": "10.0.20348.2340",
              "os.features": ["win32k"]
            }
          },
          {
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "digest": "%s",
            "size": 566,
            "annotations": {
              "vnd.docker.reference.digest": "%s",
              "vnd.docker.reference.type": "attestation-manifest"
            },
            "platform": {
              "architecture": "unknown",
              "os": "unknown"
            }
          }
        ],
        "annotations": {
          "org.opencontainers.image.ref.name": "v1"
        }
      }
      """.formatted(AMD64, ARM64, WINDOWS, ATTEST, AMD64);

    static final String DOCKER_MANIFEST = """
      {
         "schemaVersion": 2,
         "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
         "config": {
            "mediaType": "application/vnd.docker.container.image.v1+json",
            "size": 1472,
            "digest": "%s"
         },
         "layers": [
            {
               "mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
               "size": 3408729,
               "digest": "%s"
            },
            {
               "mediaType": "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip",
               "size": 1669204718,
               "digest": "%s",
               "urls": [
                  "https://mcr.microsoft.com/v2/windows/servercore/blobs/%s"
               ]
            }
         ]
      }""".formatted(CONFIG, LAYER1, FOREIGN, FOREIGN);

    static final String DOCKER_MANIFEST_LIST = """
      {
         "schemaVersion": 2,
         "mediaType": "application/vnd.docker.distribution.manifest.list.v2+json",
         "manifests": [
            {
               "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
               "size": 528,
               "digest": "%s",
               "platform": {
                  "architecture": "amd64",
                  "os": "linux"
               }
            },
            {
               "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
               "size": 528,
               "digest": "%s",
               "platform": {
                  "architecture": "arm",
                  "os": "linux",
                  "variant": "v7"
               }
            }
         ]
      }""".formatted(AMD64, ARM64);

    static final String SCHEMA1 = """
      {
         "schemaVersion": 1,
         "name": "library/hello-world",
         "tag": "latest",
         "architecture": "amd64",
         "fsLayers": [
            {"blobSum": "%s"}
         ],
         "history": [
            {"v1Compatibility": "{\\"id\\":\\"abc\\"}"}
         ]
      }""".formatted(LAYER1);

    private Fixtures() {}

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
