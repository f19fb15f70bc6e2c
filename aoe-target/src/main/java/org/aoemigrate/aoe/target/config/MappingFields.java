package org.aoemigrate.aoe.target.config;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The keys of one YAML mapping, read with messages that say where: unknown keys are refused
 * (with the known ones listed, and the nearest one suggested), values are type-checked, and every
 * complaint names the file, the line and the key.
 */
final class MappingFields {

    private final String source;
    private final YamlNode.Mapping mapping;
    /** Where the mapping sits, for messages: "export 2", "the top level". */
    private final String where;

    private MappingFields(String source, YamlNode.Mapping mapping, String where) {
        this.source = source;
        this.mapping = mapping;
        this.where = where;
    }

    /** Checks that {@code node} is a mapping whose keys are all in {@code known}. */
    static MappingFields of(String source, YamlNode node, String where, List<String> known) throws ConfigException {
        if (!(node instanceof YamlNode.Mapping m)) {
            throw new ConfigException(source, node.line(), where + " must be a mapping of " + String.join(", ", known)
                    + ", not " + node.describe());
        }
        for (YamlNode.Entry e : m.entries().values()) {
            if (!known.contains(e.key())) {
                throw new ConfigException(source, e.keyLine(), "unknown key '" + e.key() + "' in " + where
                        + nearest(e.key(), known).map(k -> " (did you mean '" + k + "'?)").orElse("")
                        + "; known keys: " + String.join(", ", known));
            }
        }
        return new MappingFields(source, m, where);
    }

    /** The line the mapping starts on. */
    int line() {
        return mapping.line();
    }

    String where() {
        return where;
    }

    boolean has(String key) {
        return mapping.entries().containsKey(key);
    }

    /** The entry of a key that {@link #has} says is there. */
    YamlNode.Entry entry(String key) {
        return mapping.entries().get(key);
    }

    YamlNode.Entry required(String key, String whatToWrite) throws ConfigException {
        YamlNode.Entry e = mapping.entries().get(key);
        if (e == null) {
            throw new ConfigException(source, mapping.line(), where + " has no '" + key + "'; " + whatToWrite);
        }
        return e;
    }

    /** A problem with one key's value, reported on the key's line. */
    ConfigException problem(YamlNode.Entry e, String what) {
        return problem(e.keyLine(), e.key(), what);
    }

    ConfigException problem(int line, String key, String what) {
        return new ConfigException(source, line, "'" + key + "' in " + where + " " + what);
    }

    /** A whole number between {@code min} and {@code max}. */
    long wholeNumber(YamlNode.Entry e, long min, long max, String range) throws ConfigException {
        if (!(e.value() instanceof YamlNode.Scalar s) || s.kind() != YamlNode.Kind.INTEGER) {
            throw problem(e, "must be a whole number (" + range + "), not " + e.value().describe());
        }
        BigInteger n = new BigInteger(s.text());
        if (n.compareTo(BigInteger.valueOf(min)) < 0 || n.compareTo(BigInteger.valueOf(max)) > 0) {
            throw problem(e, "is " + n + "; use " + range);
        }
        return n.longValue();
    }

    boolean flag(YamlNode.Entry e) throws ConfigException {
        if (!(e.value() instanceof YamlNode.Scalar s) || s.kind() != YamlNode.Kind.BOOLEAN) {
            throw problem(e, "must be true or false, not " + e.value().describe());
        }
        return Boolean.parseBoolean(s.text());
    }

    /** Text; numbers and booleans count as their text, so {@code config: 42} is "42". */
    String text(YamlNode.Entry e) throws ConfigException {
        return text(e.value(), e.keyLine(), e.key());
    }

    private String text(YamlNode node, int line, String key) throws ConfigException {
        if (!(node instanceof YamlNode.Scalar s) || s.kind() == YamlNode.Kind.NULL) {
            throw problem(line, key, "must be text, not " + node.describe());
        }
        return s.text();
    }

    /**
     * A list of names: a YAML list, or one string with commas ({@code vT,vT2}, as on the command
     * line). Each name comes with its line, for messages about one entry.
     */
    List<Located> names(YamlNode.Entry e) throws ConfigException {
        List<Located> names = new ArrayList<>();
        if (e.value() instanceof YamlNode.Sequence seq) {
            for (YamlNode item : seq.items()) {
                names.add(new Located(text(item, item.line(), e.key()).strip(), item.line()));
            }
        } else {
            for (String part : text(e).split(",", -1)) {
                names.add(new Located(part.strip(), e.value().line()));
            }
        }
        return names;
    }

    /** A value and the line it is on. */
    record Located(String text, int line) {
    }

    /** The known key within edit distance 2 of {@code key}, if one is. */
    private static Optional<String> nearest(String key, List<String> known) {
        String best = null;
        int bestDistance = 3;
        for (String k : known) {
            int d = distance(key.toLowerCase(), k.toLowerCase());
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        return Optional.ofNullable(best);
    }

    /** Levenshtein distance. */
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] t = previous;
            previous = current;
            current = t;
        }
        return previous[b.length()];
    }
}
