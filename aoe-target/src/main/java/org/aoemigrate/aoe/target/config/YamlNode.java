package org.aoemigrate.aoe.target.config;

import java.util.List;
import java.util.Map;

/**
 * A YAML document as a tree that remembers where each node starts, so every complaint about a
 * value can name its line. Jackson's own tree ({@code JsonNode}) forgets locations.
 */
sealed interface YamlNode {

    /** The 1-based line the node starts on. */
    int line();

    /** What kind of value this is, for messages: "a list", "a mapping", "the text 'abc'". */
    String describe();

    /** A plain value. {@code kind} is what YAML made of it: {@code 7} is a number, {@code "7"} text. */
    record Scalar(String text, Kind kind, int line) implements YamlNode {
        @Override
        public String describe() {
            return switch (kind) {
                case NULL -> "nothing";
                case STRING -> "the text '" + text + "'";
                default -> text;
            };
        }
    }

    /** The types a YAML scalar resolves to. */
    enum Kind { STRING, INTEGER, DECIMAL, BOOLEAN, NULL }

    /** A sequence ({@code - a}). */
    record Sequence(List<YamlNode> items, int line) implements YamlNode {
        @Override
        public String describe() {
            return "a list";
        }
    }

    /** A mapping, keys in document order. */
    record Mapping(Map<String, Entry> entries, int line) implements YamlNode {
        @Override
        public String describe() {
            return "a mapping (key: value lines)";
        }
    }

    /** One {@code key: value} of a mapping; the key's line is where the operator looks. */
    record Entry(String key, int keyLine, YamlNode value) {
    }
}
