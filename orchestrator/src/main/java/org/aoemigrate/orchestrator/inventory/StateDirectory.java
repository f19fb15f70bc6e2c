package org.aoemigrate.orchestrator.inventory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * The one thing a client needs of the inventory: {@code storage.stateDir}, where the daemon keeps
 * its socket. Read from the YAML tree alone, without binding and checking the whole inventory as
 * {@link InventoryReader} does for the daemon: that binding (bean introspection, records,
 * annotations) was most of the half second a fresh client JVM spent before it sent its request.
 * The daemon reads the whole inventory and reports what is wrong in it when it starts.
 */
public final class StateDirectory {

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
        JsonNode tree;
        try {
            tree = new ObjectMapper(new YAMLFactory()).readTree(text);
        } catch (JsonProcessingException e) {
            throw InventoryProblems.notYaml(source, e);
        }
        JsonNode storage = tree == null ? null : tree.get("storage");
        if (storage == null || !storage.isObject()) {
            throw InventoryProblems.noStorage(source);
        }
        JsonNode stateDir = storage.get("stateDir");
        if (stateDir == null || !stateDir.isTextual() || stateDir.asText().isBlank()) {
            int line = YamlLines.of(source, text).lineOf(List.of("storage"));
            throw new InventoryException(source, line, "storage has no 'stateDir'; give where export state is kept,"
                    + " e.g. /var/lib/aoemigrate");
        }
        return Path.of(stateDir.asText());
    }
}
