package org.aoemigrate.orchestrator.journal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The journal as a file of JSON lines, one per step, each forced to disk before
 * {@link #append} returns:
 *
 * <pre>
 * {"at":"2026-11-25T17:02:03.120Z","id":"m-4f1c2a9e","step":"RESERVED","guest":"vm1","source":"hostA","destination":"hostB","detail":"e1.0 to 02:00:00:00:00:0a,02:00:00:00:00:0b"}
 * </pre>
 *
 * A line cut short by a crash (no newline at the end of the file) is ignored when reading:
 * its step did not complete its append, so it never happened.
 */
public final class FileMigrationJournal implements MigrationJournal {

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    /** The line's shape on disk; the time as ISO-8601 text. */
    private record Line(String at, String id, JournalStep step, String guest, String source, String destination,
            String detail) {
    }

    private final Path file;

    public FileMigrationJournal(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    @Override
    public synchronized void append(JournalEntry e) throws IOException {
        DurableFiles.appendLine(file, JSON.writeValueAsString(new Line(e.at().toString(), e.id(), e.step(), e.guest(), e.source(),
                e.destination(), e.detail())));
    }

    @Override
    public synchronized List<JournalEntry> entries() throws IOException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        }
        List<JournalEntry> entries = new ArrayList<>();
        int start = 0;
        int lineNo = 1;
        for (int nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start), lineNo++) {
            String line = text.substring(start, nl);
            start = nl + 1;
            if (line.isBlank()) {
                continue;
            }
            try {
                Line l = JSON.readValue(line, Line.class);
                entries.add(new JournalEntry(Instant.parse(l.at()), l.id(), l.step(), l.guest(), l.source(),
                        l.destination(), l.detail()));
            } catch (JsonProcessingException | RuntimeException bad) {
                throw new IOException(file + " line " + lineNo + " is not a journal entry (" + bad.getMessage()
                        .lines().findFirst().orElse("") + "); the journal was edited or damaged: move it aside to"
                        + " start a new one", bad);
            }
        }
        return entries;
    }
}
