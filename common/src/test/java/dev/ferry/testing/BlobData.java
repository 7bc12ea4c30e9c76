package dev.ferry.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Where a generated blob's bytes live: in memory, or in a file for large blobs. */
public sealed interface BlobData {

    /** A request body that streams the bytes (files are never loaded into memory). */
    HttpRequest.BodyPublisher publisher();

    InputStream open() throws IOException;

    void copyTo(Path target);

    record InMemory(byte[] bytes) implements BlobData {
        @Override
        public HttpRequest.BodyPublisher publisher() {
            return HttpRequest.BodyPublishers.ofByteArray(bytes);
        }

        @Override
        public InputStream open() {
            return new ByteArrayInputStream(bytes);
        }

        @Override
        public void copyTo(Path target) {
            try {
                Files.write(target, bytes);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    record OnDisk(Path file) implements BlobData {
        @Override
        public HttpRequest.BodyPublisher publisher() {
            try {
                return HttpRequest.BodyPublishers.ofFile(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public InputStream open() throws IOException {
            return Files.newInputStream(file);
        }

        @Override
        public void copyTo(Path target) {
            try {
                Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
