package dev.ferry.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Pushes generated images with plain {@link HttpClient} calls (independent of Ferry's own client):
 * {@code HEAD} blob, {@code POST /blobs/uploads/} then a monolithic {@code PUT <location>&digest=},
 * and {@code PUT /manifests/<ref>} with the manifest's media type.
 */
public final class RegistryPusher {

    private final HttpClient client;
    private final URI registryUrl;
    private final AuthHeader auth;

    public RegistryPusher(HttpClient client, URI registryUrl, AuthHeader auth) {
        this.client = client;
        this.registryUrl = registryUrl;
        this.auth = auth;
    }

    public static HttpClient defaultClient() {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** Pushes children (by digest), then blobs, then the manifest under {@code reference} (tag, or digest if null). */
    public void push(String repository, String reference, GeneratedImage image) {
        for (GeneratedImage child : image.children()) {
            push(repository, child.digest(), child);
        }
        for (GeneratedBlob blob : image.ownBlobs()) {
            pushBlob(repository, blob);
        }
        pushManifest(
                repository,
                reference == null ? image.digest() : reference,
                image.mediaType(),
                image.manifest(),
                image.digest());
    }

    public boolean blobExists(String repository, String digest) {
        HttpResponse<String> response =
                send(request(repository, "/blobs/" + digest).method("HEAD", HttpRequest.BodyPublishers.noBody()));
        return response.statusCode() == 200;
    }

    public void pushBlob(String repository, GeneratedBlob blob) {
        if (blobExists(repository, blob.digest())) {
            return;
        }
        HttpResponse<String> started =
                send(request(repository, "/blobs/uploads/").POST(HttpRequest.BodyPublishers.noBody()));
        expect(started, 202, "start upload of " + blob.digest());
        String location = started.headers()
                .firstValue("Location")
                .orElseThrow(() -> new IllegalStateException("upload response without Location"));
        URI upload = registryUrl.resolve(location);
        String separator = upload.getRawQuery() == null ? "?" : "&";
        URI target = URI.create(upload + separator + "digest=" + blob.digest());
        HttpRequest.Builder put = authorized(HttpRequest.newBuilder(target), repository)
                .header("Content-Type", "application/octet-stream")
                .PUT(blob.data().publisher());
        expect(send(put), 201, "upload blob " + blob.digest());
    }

    public void pushManifest(String repository, String reference, String mediaType, byte[] bytes, String digest) {
        HttpResponse<String> response = send(request(repository, "/manifests/" + reference)
                .header("Content-Type", mediaType)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)));
        expect(response, 201, "put manifest " + repository + ":" + reference);
        String returned = response.headers().firstValue("Docker-Content-Digest").orElse(digest);
        if (!returned.equals(digest)) {
            throw new IllegalStateException("registry computed " + returned + " for manifest " + digest);
        }
    }

    private HttpRequest.Builder request(String repository, String suffix) {
        return authorized(HttpRequest.newBuilder(registryUrl.resolve("/v2/" + repository + suffix)), repository);
    }

    private HttpRequest.Builder authorized(HttpRequest.Builder builder, String repository) {
        auth.forRepository(repository).ifPresent(value -> builder.header("Authorization", value));
        return builder.timeout(Duration.ofMinutes(5));
    }

    private HttpResponse<String> send(HttpRequest.Builder builder) {
        HttpRequest request = builder.build();
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(request.method() + " " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void expect(HttpResponse<String> response, int status, String what) {
        if (response.statusCode() != status) {
            throw new IllegalStateException(what + ": " + response.request().method() + " "
                    + response.request().uri().getPath() + " returned " + response.statusCode() + " "
                    + response.body());
        }
    }
}
