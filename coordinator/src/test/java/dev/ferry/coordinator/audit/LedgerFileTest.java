package dev.ferry.coordinator.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LedgerFileTest {

    /** A chain of {@code n} entries whose first {@code shared} are common to every chain; the rest differ by {@code fork}. */
    private static List<LedgerLine> chain(int n, int shared, String fork) {
        List<LedgerLine> out = new ArrayList<>();
        String prev = LedgerLine.GENESIS;
        for (int i = 1; i <= n; i++) {
            LedgerLine l =
                    LedgerLine.create(i, prev, "2026-11-28T12:00:00Z", i <= shared ? "ops" : fork, "a", "s", Map.of());
            out.add(l);
            prev = l.hash();
        }
        return out;
    }

    private static List<String> texts(List<LedgerLine> lines) {
        return lines.stream().map(LedgerLine::text).toList();
    }

    private static LedgerVerifier.Report verifyFile(Path file) throws Exception {
        return new LedgerVerifier(Set.of()).verify(Files.readAllLines(file, StandardCharsets.UTF_8));
    }

    @Test
    void entriesMissedWhileAnotherMemberOwnedTheLedgerAreWrittenFirst(@TempDir Path dir) throws Exception {
        List<LedgerLine> c = chain(5, 5, "");
        try (LedgerFile f = LedgerFile.open(dir)) {
            f.append(c.get(0), List.of(), 1);
            f.append(c.get(1), texts(c.subList(0, 1)), 1);
            f.append(c.get(4), texts(c.subList(0, 4)), 1);
        }
        LedgerVerifier.Report report = verifyFile(dir.resolve(LedgerFile.FILE_NAME));
        assertThat(report.problem()).isNull();
        assertThat(report.entries()).isEqualTo(5);
    }

    @Test
    void aFileOnAnotherForkIsSetAsideAndANewOneStarts(@TempDir Path dir) throws Exception {
        List<LedgerLine> mine = chain(3, 2, "lost");
        List<LedgerLine> cluster = chain(4, 2, "kept");
        try (LedgerFile f = LedgerFile.open(dir)) {
            for (int i = 0; i < 3; i++) {
                f.append(mine.get(i), texts(mine.subList(0, i)), 1);
            }
        }
        try (LedgerFile f = LedgerFile.open(dir)) {
            assertThat(f.lastSeq()).isEqualTo(3);
            f.append(cluster.get(3), texts(cluster.subList(0, 3)), 1);
        }
        LedgerVerifier.Report now = verifyFile(dir.resolve(LedgerFile.FILE_NAME));
        assertThat(now.problem()).isNull();
        assertThat(now.headHash()).isEqualTo(cluster.get(3).hash());
        assertThat(now.entries()).isEqualTo(4);
        assertThat(verifyFile(dir.resolve(LedgerFile.FILE_NAME + ".upto-3")).headHash())
                .isEqualTo(mine.get(2).hash());
    }

    @Test
    void aLineCutShortByACrashIsDroppedAtOpen(@TempDir Path dir) throws Exception {
        List<LedgerLine> c = chain(3, 3, "");
        Files.writeString(
                dir.resolve(LedgerFile.FILE_NAME),
                c.get(0).text() + "\n" + c.get(1).text() + "\n"
                        + c.get(2).text().substring(0, 40));
        try (LedgerFile f = LedgerFile.open(dir)) {
            assertThat(f.lastSeq()).isEqualTo(2);
            f.append(c.get(2), texts(c.subList(0, 2)), 1);
        }
        assertThat(verifyFile(dir.resolve(LedgerFile.FILE_NAME)).entries()).isEqualTo(3);
    }

    @Test
    void aTornLastLineIsTheOnlyThingCutAndACompleteOneWithoutItsNewlineIsKept(@TempDir Path dir) throws Exception {
        List<LedgerLine> c = chain(3, 3, "");
        Path file = dir.resolve(LedgerFile.FILE_NAME);
        String whole = c.get(0).text() + "\n" + c.get(1).text() + "\n";
        Files.writeString(file, whole + c.get(2).text().substring(0, 40));
        LedgerFile.open(dir).close();
        assertThat(Files.readString(file)).isEqualTo(whole);

        Files.writeString(file, whole + c.get(2).text());
        try (LedgerFile f = LedgerFile.open(dir)) {
            assertThat(f.lastSeq()).isEqualTo(3);
            assertThat(f.report().ok()).isTrue();
        }
        assertThat(Files.readString(file)).isEqualTo(whole + c.get(2).text() + "\n");
    }

    @Test
    void anUnterminatedLastLineThatFerryCannotHaveWrittenIsKept(@TempDir Path dir) throws Exception {
        List<LedgerLine> c = chain(2, 2, "");
        Path file = dir.resolve(LedgerFile.FILE_NAME);
        String before = c.get(0).text() + "\n" + c.get(1).text() + "\nnot a ledger line";
        Files.writeString(file, before);
        try (LedgerFile f = LedgerFile.open(dir)) {
            assertThat(f.report().breaks())
                    .singleElement()
                    .satisfies(b -> assertThat(b.at().line()).isEqualTo(3));
        }
        assertThat(Files.readString(file)).isEqualTo(before + "\n");
    }

    @Test
    void aDamagedMiddleLineIsLeftByteForByteAndReportedWithTheLastGoodEntry(@TempDir Path dir) throws Exception {
        List<LedgerLine> c = chain(18, 18, "");
        StringBuilder text = new StringBuilder();
        for (LedgerLine l : c) {
            text.append(l.seq() == 6 ? l.text().substring(0, 30) + l.text().substring(60) : l.text())
                    .append('\n');
        }
        Path file = dir.resolve(LedgerFile.FILE_NAME);
        Files.writeString(file, text);
        byte[] before = Files.readAllBytes(file);
        try (LedgerFile f = LedgerFile.open(dir)) {
            assertThat(f.lastSeq()).isEqualTo(18);
            assertThat(f.takeReadBack()).hasSize(18);
            LedgerVerifier.Break b = f.report().breaks().get(0);
            assertThat(f.report().breaks()).hasSize(1);
            assertThat(b.at().line()).isEqualTo(6);
            assertThat(b.at().reason()).isEqualTo("not JSON");
            assertThat(b.afterSeq()).isEqualTo(5);
            assertThat(b.afterHash()).isEqualTo(c.get(4).hash());
            assertThat(b.recorded()).isFalse();
        }
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
    }
}
