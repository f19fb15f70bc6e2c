package org.aoemigrate.orchestrator.rebalance;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.aoemigrate.orchestrator.api.ApiJson;
import org.aoemigrate.orchestrator.api.RebalanceReport;
import org.aoemigrate.orchestrator.journal.DurableFiles;

/**
 * Every rebalance and drain run that moved (or tried to move) guests, with its plan and outcome:
 * {@code STATE_DIR/runs.jsonl}, one {@link RebalanceReport} per line in the API's JSON, forced to
 * disk. Dry runs change nothing and are not kept. {@code aoemigrate history} shows these runs
 * beside the journal's migrations.
 */
public final class RunLog {

    private final Path file;

    public RunLog(Path file) {
        this.file = file;
    }

    public synchronized void append(RebalanceReport run) throws IOException {
        DurableFiles.appendLine(file, ApiJson.MAPPER.writeValueAsString(run));
    }

    /** Every run, oldest first; a last line cut short by a crash is left out. */
    public synchronized List<RebalanceReport> runs() throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        }
        List<RebalanceReport> runs = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            try {
                runs.add(ApiJson.MAPPER.readValue(lines.get(i), RebalanceReport.class));
            } catch (JsonProcessingException e) {
                if (i < lines.size() - 1) {
                    throw new IOException(file + " line " + (i + 1) + " is not a run record: " + e.getOriginalMessage(), e);
                }
            }
        }
        return runs;
    }
}
