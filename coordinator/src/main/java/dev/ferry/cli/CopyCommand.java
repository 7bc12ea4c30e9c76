package dev.ferry.cli;

import dev.ferry.common.dockerconfig.DockerConfigSources;
import dev.ferry.common.image.ImageRef;
import dev.ferry.common.manifest.Platform;
import dev.ferry.common.registry.RegistryClient;
import dev.ferry.common.registry.RegistryClientOptions;
import dev.ferry.common.transport.Connections;
import dev.ferry.common.transport.CredentialSource;
import dev.ferry.common.transport.Credentials;
import dev.ferry.common.transport.EgressProxy;
import dev.ferry.common.transport.TlsSettings;
import dev.ferry.config.units.Durations;
import dev.ferry.worker.copy.CopyOptions;
import dev.ferry.worker.copy.CopyProgress;
import dev.ferry.worker.copy.CopyResult;
import dev.ferry.worker.copy.ImageCopier;
import dev.ferry.worker.copy.ImageLocation;
import dev.ferry.worker.copy.KnownBlobs;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ferry copy SRC DST}: one image, every platform by default, verified end to end. */
@Command(
        name = "copy",
        mixinStandardHelpOptions = true,
        description = {
            "Copies one image (a tag or a digest, with every platform of an index) from SRC to DST.",
            "Blobs are streamed and verified against their digests; the tag is written last.",
            "References: docker://HOST/REPO:TAG, docker://HOST/REPO@DIGEST, oci:DIR:TAG, oci:DIR@DIGEST."
        },
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:copied, or already up to date", "1:the copy failed", "2:usage error or bad reference"})
/** Over 300 lines because most of it is picocli option declarations for both sides of a copy (credentials, auth file, certificate directories, TLS verification, platforms) and their help texts. */
final class CopyCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "SRC", description = "the image to read")
    String source;

    @Parameters(index = "1", paramLabel = "DST", description = "where to write it")
    String destination;

    @Option(
            names = "--all-platforms",
            description = "copy every platform of an index (the default; kept for skopeo users)")
    boolean allPlatforms;

    @Option(
            names = "--platform",
            paramLabel = "OS/ARCH[/VARIANT]",
            description = "copy only these platforms of an index (repeatable); the written index then has a new digest")
    List<String> platforms = new ArrayList<>();

    @Option(names = "--insecure", description = "talk plain HTTP to both registries (for local test registries)")
    boolean insecure;

    @Option(names = "--src-insecure", description = "plain HTTP to the source registry only")
    boolean srcInsecure;

    @Option(names = "--dest-insecure", description = "plain HTTP to the destination registry only")
    boolean destInsecure;

    @Option(
            names = "--src-cert-dir",
            paramLabel = "DIR",
            description = "TLS files for the source registry, as in /etc/docker/certs.d/HOST/: ca.crt (a CA to trust),"
                    + " client.cert and client.key (a client certificate)")
    Path srcCertDir;

    @Option(
            names = "--dest-cert-dir",
            paramLabel = "DIR",
            description = "TLS files for the destination registry, laid out as for --src-cert-dir")
    Path destCertDir;

    @Option(
            names = "--src-tls-verify",
            arity = "1",
            defaultValue = "true",
            paramLabel = "BOOL",
            description = "false accepts any certificate from the source registry (HTTPS without verification;"
                    + " default: ${DEFAULT-VALUE})")
    boolean srcTlsVerify;

    @Option(
            names = "--dest-tls-verify",
            arity = "1",
            defaultValue = "true",
            paramLabel = "BOOL",
            description = "false accepts any certificate from the destination registry (default: ${DEFAULT-VALUE})")
    boolean destTlsVerify;

    @Option(
            names = "--src-creds-file",
            paramLabel = "FILE",
            description = "a file holding USER:PASSWORD for the source registry")
    Path srcCredsFile;

    @Option(
            names = "--dest-creds-file",
            paramLabel = "FILE",
            description = "a file holding USER:PASSWORD for the destination registry")
    Path destCredsFile;

    @Option(
            names = "--src-creds-env",
            paramLabel = "VAR",
            description = "an environment variable holding USER:PASSWORD for the source registry")
    String srcCredsEnv;

    @Option(
            names = "--dest-creds-env",
            paramLabel = "VAR",
            description = "an environment variable holding USER:PASSWORD for the destination registry")
    String destCredsEnv;

    @Option(
            names = "--authfile",
            paramLabel = "FILE",
            description =
                    "a Docker config file (~/.docker/config.json, or auth.json): each registry's credentials from its"
                            + " auths, credHelpers or credsStore, unless --src-creds-*/--dest-creds-* give that side's")
    Path authfile;

    @Option(
            names = "--chunk-size",
            paramLabel = "MIB",
            defaultValue = "64",
            description =
                    "blobs larger than this many MiB are uploaded in chunks of this size (default: ${DEFAULT-VALUE})")
    int chunkMiB;

    @Option(
            names = "--jobs",
            paramLabel = "N",
            defaultValue = "4",
            description = "blobs copied at the same time (default: ${DEFAULT-VALUE})")
    int jobs;

    @Option(
            names = "--first-byte-timeout",
            paramLabel = "DURATION",
            defaultValue = "60s",
            description =
                    "how long a registry may take to answer a request once it is sent (default: ${DEFAULT-VALUE})")
    String firstByteTimeout;

    @Option(
            names = "--idle-timeout",
            paramLabel = "DURATION",
            defaultValue = "60s",
            description = "how long a transfer may move no bytes before it fails; a source that stops sending "
                    + "is blamed on the source, a destination that stops taking bytes on the destination "
                    + "(default: ${DEFAULT-VALUE})")
    String idleTimeout;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ImageRef src = ImageRef.parse(source);
        ImageRef dst = ImageRef.parse(destination);
        if (allPlatforms && !platforms.isEmpty()) {
            throw new ExitCodes.UsageException("--all-platforms and --platform exclude each other");
        }
        if (jobs < 1 || jobs > 64) {
            throw new ExitCodes.UsageException("--jobs must be between 1 and 64, got " + jobs);
        }
        if (chunkMiB < 1 || chunkMiB > 4096) {
            throw new ExitCodes.UsageException("--chunk-size must be between 1 and 4096 MiB, got " + chunkMiB);
        }
        RegistryClientOptions defaults = RegistryClientOptions.withChunkSize(chunkMiB * RegistryClientOptions.MiB);
        RegistryClientOptions clientOptions = defaults.withTimeouts(
                defaults.connectTimeout(),
                timeout("--first-byte-timeout", firstByteTimeout),
                timeout("--idle-timeout", idleTimeout));
        List<Platform> wanted = new ArrayList<>();
        for (String p : platforms) {
            try {
                wanted.add(Platform.parse(p));
            } catch (IllegalArgumentException e) {
                throw new ExitCodes.UsageException(e.getMessage());
            }
        }
        if (authfile != null && !Files.isRegularFile(authfile)) {
            throw new ExitCodes.UsageException("--authfile " + authfile + " does not exist or is not a file");
        }
        Credentials srcCreds = credentials("source", srcCredsFile, srcCredsEnv);
        Credentials dstCreds = credentials("destination", destCredsFile, destCredsEnv);
        TlsSettings srcTls = CertDir.settings("--src-cert-dir", srcCertDir, srcTlsVerify);
        TlsSettings dstTls = CertDir.settings("--dest-cert-dir", destCertDir, destTlsVerify);

        Vertx vertx = Vertx.vertx();
        HttpClientAgent http = RegistryClient.newHttpClient(vertx, Math.max(8, jobs * 2));
        try {
            Stores stores = new Stores(vertx, http, new Connections(EgressProxy.fromEnvironment(), Clock.systemUTC()));
            ImageLocation from = stores.open(
                    src,
                    source(vertx, src, srcCreds),
                    new Stores.Access(insecure || srcInsecure, srcTls, "source"),
                    clientOptions);
            ImageLocation to = stores.open(
                    dst,
                    source(vertx, dst, dstCreds),
                    new Stores.Access(insecure || destInsecure, dstTls, "destination"),
                    clientOptions);
            ImageCopier copier = ImageCopier.builder(vertx, new CopyOptions(wanted, jobs), new KnownBlobs(10_000))
                    .build();
            CopyProgress progress = new CopyProgress();
            long started = System.nanoTime();
            CopyResult result;
            try (ProgressPrinter printer =
                    new ProgressPrinter(progress, spec.commandLine().getErr(), System.console() != null)) {
                result = copier.copy(from, to, progress)
                        .toCompletionStage()
                        .toCompletableFuture()
                        .get();
            }
            report(src, dst, result, (System.nanoTime() - started) / 1e9);
            return ExitCodes.OK;
        } finally {
            http.close();
            vertx.close().toCompletionStage().toCompletableFuture().get();
        }
    }

    private void report(ImageRef src, ImageRef dst, CopyResult r, double seconds) {
        var out = spec.commandLine().getOut();
        if (r.upToDate()) {
            out.printf("%s is up to date (%s)%n", dst, r.targetDigest());
            return;
        }
        out.printf("copied %s -> %s%n", src, dst);
        out.printf(
                "  digest   %s%s%n",
                r.targetDigest(),
                r.targetDigest().equals(r.sourceDigest()) ? "" : " (platform subset of " + r.sourceDigest() + ")");
        out.printf(
                "  blobs    %d copied (%s), %d mounted, %d already present%n",
                r.blobsCopied(), ByteSizes.format(r.bytesCopied()), r.blobsMounted(), r.blobsSkipped());
        out.printf(
                "  manifests %d written in %.1f s (%s/s)%n",
                r.manifestsPushed(), seconds, ByteSizes.format(r.bytesCopied() / Math.max(seconds, 0.001)));
        out.flush();
    }

    private static Duration timeout(String flag, String text) {
        Duration d;
        try {
            d = Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ExitCodes.UsageException(flag + ": " + e.getMessage());
        }
        if (d.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new ExitCodes.UsageException(flag + " must be at least 1s, got " + text);
        }
        return d;
    }

    /** The side's own credentials when given, else the --authfile's for its registry, else none. */
    private CredentialSource source(Vertx vertx, ImageRef ref, Credentials given) {
        if (!given.isAnonymous() || authfile == null || !(ref instanceof ImageRef.Docker docker)) {
            return CredentialSource.fixed(given);
        }
        String registry = docker.reference().registry();
        return DockerConfigSources.of(
                vertx, registry, registry, authfile.toAbsolutePath().toString(), null, Clock.systemUTC());
    }

    /** Reads USER:PASSWORD from a file or a variable; never echoes the value in an error. */
    private static Credentials credentials(String side, Path file, String env) {
        if (file != null && env != null) {
            throw new ExitCodes.UsageException("give the " + side + " credentials as a file or a variable, not both");
        }
        String value = null;
        if (file != null) {
            value = SecretFiles.read(file, "the " + side + " credentials file");
        } else if (env != null) {
            value = System.getenv(env);
            if (value == null) {
                throw new ExitCodes.UsageException(
                        "environment variable " + env + " (" + side + " credentials) is not set");
            }
        }
        if (value == null) {
            return Credentials.anonymous();
        }
        try {
            return Credentials.parse(value);
        } catch (IllegalArgumentException e) {
            throw new ExitCodes.UsageException("the " + side + " credentials must have the form USER:PASSWORD");
        }
    }
}
