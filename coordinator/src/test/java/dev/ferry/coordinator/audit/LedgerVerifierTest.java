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

class LedgerVerifierTest {

    private final LedgerKey key = LedgerKey.generate();

    /** A ledger of {@code n} events with a checkpoint after every fifth entry. */
    private List<String> ledger(int n) {
        List<String> lines = new ArrayList<>();
        String prev = LedgerLine.GENESIS;
        long seq = 0;
        for (int i = 0; i < n; i++) {
            LedgerLine line = LedgerLine.create(
                    ++seq,
                    prev,
                    "2026-11-28T12:00:0" + (i % 10) + "Z",
                    "ops",
                    "policy.sync",
                    "policy/apps-" + i,
                    Map.of("wait", i % 2 == 0, "jobs", i, "note", "héllo \"q\""));
            lines.add(line.text());
            prev = line.hash();
            if (seq % 5 == 0) {
                LedgerLine cp = LedgerLine.create(
                        ++seq,
                        prev,
                        "2026-11-28T12:01:00Z",
                        Checkpoint.ACTOR,
                        Checkpoint.ACTION,
                        Checkpoint.SUBJECT,
                        Checkpoint.details(key, line.seq(), line.hash()));
                lines.add(cp.text());
                prev = cp.hash();
            }
        }
        return lines;
    }

    @Test
    void canonicalLineSortsKeysAndHashesTheBodyWithoutTheHash() {
        LedgerLine line = LedgerLine.create(
                1,
                LedgerLine.GENESIS,
                "2026-11-28T12:00:00Z",
                "ops",
                "policy.pause",
                "policy/a",
                Map.of("b", 2, "a", "x"));
        String body = "{\"action\":\"policy.pause\",\"actor\":\"ops\",\"details\":{\"a\":\"x\",\"b\":2},\"prevHash\":\""
                + LedgerLine.GENESIS + "\",\"seq\":1,\"subject\":\"policy/a\",\"time\":\"2026-11-28T12:00:00Z\"}";
        assertThat(line.hash()).isEqualTo(LedgerLine.sha256(body));
        assertThat(line.text()).isEqualTo(body.substring(0, body.length() - 1) + ",\"hash\":\"" + line.hash() + "\"}");
        assertThat(LedgerLine.parse(line.text())).isEqualTo(line);
    }

    @Test
    void anUntouchedLedgerVerifiesWithItsCheckpoints() {
        List<String> lines = ledger(12);
        LedgerVerifier.Report report = new LedgerVerifier(Set.of(key.publicKey())).verify(lines);
        assertThat(report.problem()).isNull();
        assertThat(report.entries()).isEqualTo(lines.size());
        assertThat(report.firstSeq()).isEqualTo(1);
        assertThat(report.checkpoints()).isEqualTo(2);
        assertThat(report.keys()).containsExactly(key.publicKey());
    }

    @Test
    void everySingleFlippedByteIsFoundAndTheEntryNamed() {
        List<String> lines = ledger(7);
        LedgerVerifier verifier = new LedgerVerifier(Set.of());
        for (int l = 0; l < lines.size(); l++) {
            byte[] bytes = lines.get(l).getBytes(StandardCharsets.UTF_8);
            for (int b = 0; b < bytes.length; b++) {
                byte[] tampered = bytes.clone();
                tampered[b] ^= 0x01;
                List<String> copy = new ArrayList<>(lines);
                copy.set(l, new String(tampered, StandardCharsets.UTF_8));
                LedgerVerifier.Report report = verifier.verify(copy);
                assertThat(report.problem()).as("line %d byte %d", l + 1, b).isNotNull();
                assertThat(report.problem().line())
                        .as("line %d byte %d", l + 1, b)
                        .isEqualTo(l + 1);
            }
        }
    }

    @Test
    void aRemovedEntryIsAGap() {
        List<String> lines = ledger(4);
        lines.remove(2);
        LedgerVerifier.Report report = new LedgerVerifier(Set.of()).verify(lines);
        assertThat(report.problem().seq()).isEqualTo(4);
        assertThat(report.problem().reason()).contains("follows seq 2");
    }

    @Test
    void aRewrittenEntryWithAFreshHashBreaksTheNextLink() {
        List<String> lines = ledger(4);
        LedgerLine original = LedgerLine.parse(lines.get(1));
        LedgerLine forged = LedgerLine.create(
                2, original.prevHash(), "2026-11-28T12:00:01Z", "mallory", "policy.sync", "policy/apps-1", Map.of());
        lines.set(1, forged.text());
        LedgerVerifier.Report report = new LedgerVerifier(Set.of()).verify(lines);
        assertThat(report.problem().seq()).isEqualTo(3);
        assertThat(report.problem().line()).isEqualTo(3);
        assertThat(report.problem().reason()).contains("prevHash");
    }

    @Test
    void aCheckpointByAnotherKeyIsRejectedWhenAKeyIsPinned() {
        List<String> lines = ledger(5);
        LedgerVerifier.Report report =
                new LedgerVerifier(Set.of(LedgerKey.generate().publicKey())).verify(lines);
        assertThat(report.problem().seq()).isEqualTo(6);
        assertThat(report.problem().reason()).contains("not a pinned key");
    }

    @Test
    void aKeyIsMadeOnceAndReadBack(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("ledger.key");
        LedgerKey made = LedgerKey.loadOrCreate(file);
        LedgerKey read = LedgerKey.loadOrCreate(file);
        assertThat(read.publicKey()).isEqualTo(made.publicKey());
        byte[] message = Checkpoint.message(3, "ab");
        assertThat(LedgerKey.verify(made.publicKey(), message, read.sign(message)))
                .isTrue();
        assertThat(Files.getPosixFilePermissions(file)).hasSize(2);
    }

    /** {@link #ledger}'s lines with line {@code n} cut short, then a record of that break in a new segment. */
    private List<String> damagedAndRecorded(int n, boolean signed) {
        List<String> lines = ledger(12);
        lines.set(n - 1, lines.get(n - 1).substring(0, 50));
        LedgerVerifier.Break found =
                new LedgerVerifier(Set.of()).verify(lines).breaks().get(0);
        String last = lines.get(lines.size() - 1);
        LedgerLine record = LedgerLine.create(
                257,
                LedgerLine.parse(last).hash(),
                "2026-11-28T12:02:00Z",
                Checkpoint.ACTOR,
                LedgerBreaks.ACTION,
                Checkpoint.SUBJECT,
                LedgerBreaks.details(found, "audit-ledger.jsonl", true));
        lines.add(record.text());
        if (signed) {
            lines.add(LedgerLine.create(
                            258,
                            record.hash(),
                            "2026-11-28T12:02:00Z",
                            Checkpoint.ACTOR,
                            Checkpoint.ACTION,
                            Checkpoint.SUBJECT,
                            Checkpoint.details(key, 257, record.hash()))
                    .text());
        }
        return lines;
    }

    @Test
    void aBreakRecordedBySignedEntryIsReportedAndEverythingElseStillVerifies() {
        List<String> lines = damagedAndRecorded(6, true);
        LedgerVerifier.Report report = new LedgerVerifier(Set.of(key.publicKey())).verify(lines);
        assertThat(report.problem()).isNull();
        assertThat(report.ok()).isFalse();
        assertThat(report.intactSinceBreaks()).isTrue();
        assertThat(report.breaks()).singleElement().satisfies(b -> {
            assertThat(b.at().line()).isEqualTo(6);
            assertThat(b.afterSeq()).isEqualTo(5);
            assertThat(b.recordedBy()).isEqualTo(257);
        });
        assertThat(report.lastSeq()).isEqualTo(258);
    }

    @Test
    void aRecordWithoutASignatureDoesNotExcuseTheBreak() {
        LedgerVerifier.Report report = new LedgerVerifier(Set.of()).verify(damagedAndRecorded(6, false));
        assertThat(report.problem().line()).isEqualTo(6);
        assertThat(report.intactSinceBreaks()).isFalse();
    }

    @Test
    void anEditAfterARecordedBreakIsStillFound() {
        List<String> lines = damagedAndRecorded(6, true);
        lines.set(9, lines.get(9).replace("apps-", "appz-"));
        LedgerVerifier.Report report = new LedgerVerifier(Set.of()).verify(lines);
        assertThat(report.problem()).isNotNull();
        assertThat(report.problem().line()).isEqualTo(10);
        assertThat(report.breaks()).hasSize(2);
        assertThat(report.breaks().get(0).recorded()).isTrue();
    }

    @Test
    void aRecordCannotExcuseADifferentBreak() {
        List<String> lines = damagedAndRecorded(6, true);
        lines.set(5, lines.get(5) + "x");
        LedgerVerifier.Report report = new LedgerVerifier(Set.of()).verify(lines);
        assertThat(report.problem().line()).isEqualTo(6);
    }
}
