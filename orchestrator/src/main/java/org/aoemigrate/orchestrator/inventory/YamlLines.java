package org.aoemigrate.orchestrator.inventory;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each key and list item of a YAML document starts. Jackson's bound records forget
 * locations, so checks that run after binding (a host that does not exist, a shelf/slot used
 * twice) look their line up here. A path is a list of keys (String) and list indexes (Integer).
 */
final class YamlLines {

    private final Map<List<Object>, Integer> lines;

    private YamlLines(Map<List<Object>, Integer> lines) {
        this.lines = lines;
    }

    /** One open mapping or list: the key or index currently being read in it. */
    private static final class Level {
        final boolean list;
        Object key;
        int nextIndex;

        Level(boolean list) {
            this.list = list;
        }
    }

    /** Reads the lines of {@code text}, refusing a key given twice in one mapping. */
    static YamlLines of(String source, String text) throws IOException, InventoryException {
        Map<List<Object>, Integer> lines = new HashMap<>();
        List<Level> open = new ArrayList<>();
        try (JsonParser p = new YAMLFactory().createParser(text)) {
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                int line = p.currentTokenLocation().getLineNr();
                Level top = open.isEmpty() ? null : open.get(open.size() - 1);
                if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                    open.remove(open.size() - 1);
                    continue;
                }
                if (t == JsonToken.FIELD_NAME) {
                    top.key = p.currentName();
                    List<Object> path = pathOf(open);
                    Integer first = lines.put(path, line);
                    if (first != null) {
                        throw new InventoryException(source, line, "key '" + top.key + "' appears again in "
                                + BindingProblem.where(path.subList(0, path.size() - 1)) + " (first on line " + first
                                + "); give each key once");
                    }
                    continue;
                }
                if (top != null && top.list) {
                    top.key = top.nextIndex++;
                    lines.put(pathOf(open), line);
                }
                if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                    open.add(new Level(t == JsonToken.START_ARRAY));
                }
            }
        }
        return new YamlLines(lines);
    }

    private static List<Object> pathOf(List<Level> open) {
        return open.stream().map(l -> l.key).toList();
    }

    /** The line of the key or item at {@code path}, or of its nearest ancestor; 0 if none is known. */
    int lineOf(List<Object> path) {
        for (int n = path.size(); n > 0; n--) {
            Integer line = lines.get(path.subList(0, n));
            if (line != null) {
                return line;
            }
        }
        return 0;
    }
}
