package dev.ferry.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir
    Path dir;

    @Test
    void writesANewFileInDirectoriesItCreatesReadableByAll() throws Exception {
        Path target = dir.resolve("certs.d/hub:5000/hosts.toml");
        assertThat(new AtomicFiles().writeIfChanged(target, "server = \"x\"\n")).isTrue();
        assertThat(Files.readString(target)).isEqualTo("server = \"x\"\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target)))
                .isEqualTo("rw-r--r--");
        assertThat(leftOvers(target.getParent())).isEmpty();
    }

    @Test
    void leavesAFileThatAlreadyHoldsTheContentUntouched() throws Exception {
        Path target = dir.resolve("hosts.toml");
        Files.writeString(target, "same\n");
        FileTime old = FileTime.fromMillis(1_000_000_000L);
        Files.setLastModifiedTime(target, old);
        assertThat(new AtomicFiles().writeIfChanged(target, "same\n")).isFalse();
        assertThat(Files.getLastModifiedTime(target)).isEqualTo(old);
        assertThat(new AtomicFiles().writeIfChanged(target, "changed\n")).isTrue();
        assertThat(Files.readString(target)).isEqualTo("changed\n");
    }

    @Test
    void aWriteThatFailsHalfwayLeavesTheOldFileWholeAndNoTemporaryFile() throws Exception {
        Path target = dir.resolve("hosts.toml");
        Files.writeString(target, "old and good\n");
        AtomicFiles failing = new AtomicFiles((out, bytes) -> {
            out.write(bytes, 0, bytes.length / 2);
            throw new IOException("No space left on device");
        });
        assertThatThrownBy(() -> failing.writeIfChanged(target, "a new and longer content\n"))
                .isInstanceOf(IOException.class)
                .hasMessage("No space left on device");
        assertThat(Files.readString(target)).isEqualTo("old and good\n");
        assertThat(leftOvers(dir)).isEmpty();
    }

    @Test
    void aShortWriteIsCaughtBeforeTheRename() throws Exception {
        Path target = dir.resolve("hosts.toml");
        Files.writeString(target, "old and good\n");
        AtomicFiles truncating = new AtomicFiles((out, bytes) -> out.write(bytes, 0, bytes.length - 3));
        assertThatThrownBy(() -> truncating.writeIfChanged(target, "new content\n"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("wrote 9 of 12 bytes");
        assertThat(Files.readString(target)).isEqualTo("old and good\n");
        assertThat(leftOvers(dir)).isEmpty();
    }

    @Test
    void emptyContentIsRefusedAndTheOldFileStays() throws Exception {
        Path target = dir.resolve("hosts.toml");
        Files.writeString(target, "old and good\n");
        for (String empty : new String[] {"", "  \n"}) {
            assertThatThrownBy(() -> new AtomicFiles().writeIfChanged(target, empty))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("refusing to write empty content");
        }
        assertThat(Files.readString(target)).isEqualTo("old and good\n");
    }

    private static List<String> leftOvers(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString())
                    .filter(AtomicFiles::isTemporary)
                    .toList();
        }
    }
}
