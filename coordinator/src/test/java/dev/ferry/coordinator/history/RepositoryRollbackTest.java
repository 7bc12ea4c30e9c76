package dev.ferry.coordinator.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What a tag held at a time, read from its writes alone. */
class RepositoryRollbackTest {

    private static TagWrite write(String kind, String previous, String next, long time) {
        return new TagWrite("mirror", "app", "v1", kind, previous, next, "job", "run", "p", "worker:w", time);
    }

    private final List<TagWrite> writes = List.of(
            write(TagWrite.WRITE, "sha256:foreign", "sha256:a", 100),
            write(TagWrite.WRITE, "sha256:a", "sha256:b", 200),
            write(TagWrite.DELETE, "sha256:b", null, 300),
            write(TagWrite.ROLLBACK, null, "sha256:a", 400));

    @Test
    void theLastWriteAtOrBeforeTheTimeSaysWhatTheTagHeld() {
        assertThat(RepositoryRollback.stateAt(writes, 100)).isEqualTo("sha256:a");
        assertThat(RepositoryRollback.stateAt(writes, 250)).isEqualTo("sha256:b");
        assertThat(RepositoryRollback.stateAt(writes, 450)).isEqualTo("sha256:a");
    }

    @Test
    void aDeleteLeavesNothingAndBeforeTheFirstWriteIsWhatItReplaced() {
        assertThat(RepositoryRollback.stateAt(writes, 350)).isNull();
        assertThat(RepositoryRollback.stateAt(writes, 99)).isEqualTo("sha256:foreign");
        assertThat(RepositoryRollback.stateAt(List.of(write(TagWrite.WRITE, null, "sha256:a", 100)), 50))
                .isNull();
    }
}
