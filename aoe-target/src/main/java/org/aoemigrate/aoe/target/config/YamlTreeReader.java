package org.aoemigrate.aoe.target.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads one YAML document into a {@link YamlNode} tree with line numbers, refusing repeated keys. */
final class YamlTreeReader {

    private static final YAMLFactory YAML = new YAMLFactory();

    private final String source;

    private YamlTreeReader(String source) {
        this.source = source;
    }

    /**
     * Parses the first document of {@code text}; {@code source} names it in messages. An empty
     * document gives a null-valued scalar.
     */
    static YamlNode read(String source, Reader text) throws ConfigException, IOException {
        YamlTreeReader reader = new YamlTreeReader(source);
        try (JsonParser parser = YAML.createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return new YamlNode.Scalar("", YamlNode.Kind.NULL, 1);
            }
            return reader.node(parser);
        } catch (JsonProcessingException e) {
            JsonLocation where = e.getLocation();
            throw new ConfigException(source, where == null ? 0 : where.getLineNr(),
                    "not valid YAML: " + e.getOriginalMessage().strip().replace('\n', ' '));
        }
    }

    /** Reads the node whose first token is the parser's current token. */
    private YamlNode node(JsonParser parser) throws IOException, ConfigException {
        int line = parser.currentTokenLocation().getLineNr();
        JsonToken token = parser.currentToken();
        return switch (token) {
            case START_OBJECT -> mapping(parser, line);
            case START_ARRAY -> sequence(parser, line);
            case VALUE_STRING -> new YamlNode.Scalar(parser.getText(), YamlNode.Kind.STRING, line);
            // normalized to decimal: YAML also writes integers as 0x1F or 1_000
            case VALUE_NUMBER_INT -> new YamlNode.Scalar(parser.getBigIntegerValue().toString(), YamlNode.Kind.INTEGER, line);
            case VALUE_NUMBER_FLOAT -> new YamlNode.Scalar(parser.getText(), YamlNode.Kind.DECIMAL, line);
            case VALUE_TRUE, VALUE_FALSE -> new YamlNode.Scalar(parser.getText(), YamlNode.Kind.BOOLEAN, line);
            case VALUE_NULL -> new YamlNode.Scalar("", YamlNode.Kind.NULL, line);
            default -> throw new ConfigException(source, line, "unexpected YAML content (" + token + ")");
        };
    }

    private YamlNode mapping(JsonParser parser, int line) throws IOException, ConfigException {
        Map<String, YamlNode.Entry> entries = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            int keyLine = parser.currentTokenLocation().getLineNr();
            YamlNode.Entry earlier = entries.get(key);
            if (earlier != null) {
                throw new ConfigException(source, keyLine, "key '" + key + "' appears again (first on line "
                        + earlier.keyLine() + "); give each key once");
            }
            parser.nextToken();
            entries.put(key, new YamlNode.Entry(key, keyLine, node(parser)));
        }
        return new YamlNode.Mapping(entries, line);
    }

    private YamlNode sequence(JsonParser parser, int line) throws IOException, ConfigException {
        List<YamlNode> items = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            items.add(node(parser));
        }
        return new YamlNode.Sequence(items, line);
    }
}
