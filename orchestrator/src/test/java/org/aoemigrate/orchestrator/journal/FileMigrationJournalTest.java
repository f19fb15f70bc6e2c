package org.aoemigrate.orchestrator.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileMigrationJournalTest {

    @TempDir
    Path dir;

    private static final Instant T0 = Instant.parse("2026-11-25T17:02:03.120Z");

    private static JournalEntry entry(int second, String id, JournalStep step, String detail) {
        return new JournalEntry(T0.plusSeconds(second), id, step, "vm1", "hostA", "hostB", detail);
    }

    @Test
    void writesOneJsonLinePerStepAndReadsThemBack() throws Exception {
        Path file = dir.resolve("state/journal.jsonl");
        FileMigrationJournal journal = new FileMigrationJournal(file);
        journal.append(entry(0, "m-1", JournalStep.STARTED, "requested"));
        journal.append(entry(1, "m-1", JournalStep.RESERVED, "e1.0=02:00:00:00:00:0a,02:00:00:00:00:0b"));

        List<String> lines = Files.readAllLines(file);
        assertThat(lines).containsExactly(
                "{\"at\":\"2026-11-25T17:02:03.120Z\",\"id\":\"m-1\",\"step\":\"STARTED\",\"guest\":\"vm1\",\"source\":\"hostA\","
                        + "\"destination\":\"hostB\",\"detail\":\"requested\"}",
                "{\"at\":\"2026-11-25T17:02:04.120Z\",\"id\":\"m-1\",\"step\":\"RESERVED\",\"guest\":\"vm1\",\"source\":\"hostA\","
                        + "\"destination\":\"hostB\",\"detail\":\"e1.0=02:00:00:00:00:0a,02:00:00:00:00:0b\"}");
        assertThat(new FileMigrationJournal(file).entries()).containsExactly(
                entry(0, "m-1", JournalStep.STARTED, "requested"),
                entry(1, "m-1", JournalStep.RESERVED, "e1.0=02:00:00:00:00:0a,02:00:00:00:00:0b"));
    }

    @Test
    void openMigrationsAreThoseStartedAndNotEnded() throws Exception {
        FileMigrationJournal journal = new FileMigrationJournal(dir.resolve("j"));
        journal.append(entry(0, "m-done", JournalStep.STARTED, ""));
        journal.append(entry(1, "m-crashed", JournalStep.STARTED, ""));
        journal.append(entry(2, "m-done", JournalStep.FINISHED, "total_ms=1"));
        journal.append(entry(3, "m-crashed", JournalStep.MIGRATING, ""));
        journal.append(entry(4, "m-refused", JournalStep.STARTED, ""));
        journal.append(entry(5, "m-refused", JournalStep.REFUSED, "MEMORY: ..."));

        assertThat(journal.history()).extracting(MigrationHistory::id).containsExactly("m-done", "m-crashed", "m-refused");
        List<MigrationHistory> open = journal.open();
        assertThat(open).extracting(MigrationHistory::id).containsExactly("m-crashed");
        assertThat(open.get(0).last().step()).isEqualTo(JournalStep.MIGRATING);
        assertThat(open.get(0).step(JournalStep.RESERVED)).isEmpty();
    }

    @Test
    void aLineCutShortByACrashDidNotHappen() throws Exception {
        Path file = dir.resolve("j");
        FileMigrationJournal journal = new FileMigrationJournal(file);
        journal.append(entry(0, "m-1", JournalStep.STARTED, ""));
        Files.writeString(file, "{\"at\":\"2026-11-25T17:02:04Z\",\"id\":\"m-1\",\"st", StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);

        assertThat(journal.entries()).containsExactly(entry(0, "m-1", JournalStep.STARTED, ""));
        assertThat(journal.open()).hasSize(1);
    }

    @Test
    void aDamagedLineIsNamed() throws Exception {
        Path file = dir.resolve("j");
        new FileMigrationJournal(file).append(entry(0, "m-1", JournalStep.STARTED, ""));
        Files.writeString(file, "not json\n", StandardOpenOption.APPEND);

        assertThatThrownBy(() -> new FileMigrationJournal(file).entries()).hasMessageStartingWith(file + " line 2 is not"
                + " a journal entry").hasMessageEndingWith("the journal was edited or damaged: move it aside to start a new one");
    }

    @Test
    void aMissingJournalIsEmpty() throws Exception {
        assertThat(new FileMigrationJournal(dir.resolve("none")).history()).isEmpty();
    }
}
