package dev.ferry.common.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BoundedFilesTest {

    @Test
    void readsAFileUpToTheLimit(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("token"), "abcd");

        assertThat(BoundedFiles.readString(file, 4, StandardCharsets.UTF_8)).isEqualTo("abcd");
    }

    @Test
    void refusesAFileOverTheLimitNamingIt(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("token"), "abcde");

        assertThatThrownBy(() -> BoundedFiles.read(file, 4))
                .isInstanceOf(BoundedFiles.RefusedFile.class)
                .hasMessage(file + " is larger than 4 bytes");
    }

    @Test
    void refusesAnEndlessDeviceWithoutReadingIt() {
        assertThatThrownBy(() -> BoundedFiles.read(Path.of("/dev/zero"), 64 * 1024))
                .isInstanceOf(BoundedFiles.RefusedFile.class)
                .hasMessage("/dev/zero is not a regular file (it is a device, FIFO or socket)");
    }

    @Test
    void refusesAFifoInsteadOfBlockingOnIt(@TempDir Path dir) throws Exception {
        Path fifo = dir.resolve("fifo");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor())
                .isZero();

        // Nothing ever writes to the FIFO: opening it for reading would wait for ever.
        Throwable thrown = Assertions.assertTimeoutPreemptively(
                Duration.ofSeconds(60),
                () -> Assertions.assertThrows(BoundedFiles.RefusedFile.class, () -> BoundedFiles.read(fifo, 1024)));

        assertThat(thrown).hasMessage(fifo + " is not a regular file (it is a device, FIFO or socket)");
    }

    @Test
    void refusesADirectory(@TempDir Path dir) {
        assertThatThrownBy(() -> BoundedFiles.read(dir, 1024))
                .isInstanceOf(BoundedFiles.RefusedFile.class)
                .hasMessage(dir + " is not a regular file (it is a directory)");
    }

    @Test
    void followsSymbolicLinksToRegularFiles(@TempDir Path dir) throws Exception {
        Path target = Files.writeString(dir.resolve("..data"), "secret");
        Path link = Files.createSymbolicLink(dir.resolve("password"), target);

        assertThat(BoundedFiles.readString(link, 64, StandardCharsets.UTF_8)).isEqualTo("secret");
    }

    @Test
    void aMissingFileIsAnOrdinaryIoError(@TempDir Path dir) {
        assertThatThrownBy(() -> BoundedFiles.read(dir.resolve("none"), 64)).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void describesSizesInTheirUnit() {
        assertThat(BoundedFiles.describe(4 * 1024 * 1024)).isEqualTo("4 MiB (4194304 bytes)");
        assertThat(BoundedFiles.describe(64 * 1024)).isEqualTo("64 KiB (65536 bytes)");
        assertThat(BoundedFiles.describe(100)).isEqualTo("100 bytes");
    }
}
