package org.aoemigrate.orchestrator.inventory;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * The one thing a client needs of the inventory: {@code storage.stateDir}, where the daemon keeps
 * its socket. Read from the YAML's tokens alone, without binding and checking the whole inventory
 * as {@link InventoryReader} does for the daemon: that binding (bean introspection, records,
 * annotations) was most of the half second a fresh client JVM spent before it sent its request.
 * Not even as a tree: the first ObjectMapper of a JVM initialises date formats and locale data,
 * which the client's warm-up thread is doing at that moment, and the client waited for it here.
 * The daemon reads the whole inventory and reports what is wrong in it when it starts.
 */
public final class StateDirectory {

    private static final YAMLFactory YAML = new YAMLFactory();

    private StateDirectory() {
    }

    public static Path of(Path inventory) throws InventoryException, IOException {
        String source = inventory.getFileName().toString();
        String text;
        try {
            text = Files.readString(inventory);
        } catch (NoSuchFileException e) {
            throw new InventoryException(inventory.toString(), 0, "no such file");
        }
        String stateDir;
        try (JsonParser p = YAML.createParser(text)) {
            stateDir = storageStateDir(p, source);
        } catch (JsonProcessingException e) {
            throw InventoryProblems.notYaml(source, e);
        }
        if (stateDir == null || stateDir.isBlank()) {
            int line = YamlLines.of(source, text).lineOf(List.of("storage"));
            throw new InventoryException(source, line, "storage has no 'stateDir'; give where export state is kept,"
                    + " e.g. /var/lib/aoemigrate");
        }
        return Path.of(stateDir);
    }

    /**
     * {@code storage.stateDir} of the document {@code p} reads, or null if it is missing or not a
     * string. A key given twice counts with its last value, as in a tree.
     */
    private static String storageStateDir(JsonParser p, String source) throws IOException, InventoryException {
        boolean storage = false;
        String stateDir = null;
        if (p.nextToken() == JsonToken.START_OBJECT) {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                boolean isStorage = p.currentName().equals("storage");
                JsonToken value = p.nextToken();
                if (isStorage) {
                    storage = value == JsonToken.START_OBJECT;
                    stateDir = storage ? stateDirIn(p) : null;
                }
                p.skipChildren();
            }
        }
        if (!storage) {
            throw InventoryProblems.noStorage(source);
        }
        return stateDir;
    }

    /** The {@code stateDir} string of the mapping {@code p} has just opened, read to its end; null if none. */
    private static String stateDirIn(JsonParser p) throws IOException {
        String stateDir = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            boolean isStateDir = p.currentName().equals("stateDir");
            JsonToken value = p.nextToken();
            if (isStateDir) {
                stateDir = value == JsonToken.VALUE_STRING ? p.getText() : null;
            }
            p.skipChildren();
        }
        return stateDir;
    }
}
