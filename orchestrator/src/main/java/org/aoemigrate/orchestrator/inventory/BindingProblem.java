package org.aoemigrate.orchestrator.inventory;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.aoemigrate.aoe.wire.MacAddress;

/** Turns Jackson's binding errors into one sentence an operator can act on. */
final class BindingProblem {

    private BindingProblem() {
    }

    /**
     * Describes {@code e}. The line comes from {@code lines}: for records Jackson buffers the
     * mapping and reports the position after it, not the key's.
     */
    static InventoryException describe(String source, YamlLines lines, JsonMappingException e) {
        List<Object> path = new ArrayList<>();
        for (JsonMappingException.Reference r : e.getPath()) {
            path.add(r.getFieldName() != null ? r.getFieldName() : (Object) r.getIndex());
        }
        int line = lines.lineOf(path);
        if (line == 0 && e.getLocation() != null) {
            line = e.getLocation().getLineNr();
        }
        int keyAt = lastKey(path);
        String key = keyAt < 0 ? "" : (String) path.get(keyAt);
        String where = where(keyAt < 0 ? path : path.subList(0, keyAt));
        if (e instanceof UnrecognizedPropertyException u) {
            return new InventoryException(source, line, "unknown key '" + u.getPropertyName() + "' in " + where
                    + "; known keys: " + String.join(", ", new TreeSet<>(names(u.getKnownPropertyIds()))));
        }
        if (e instanceof InvalidFormatException f) {
            return new InventoryException(source, line, "'" + key + "' in " + where + ": '" + f.getValue() + "' is not "
                    + expected(f.getTargetType()));
        }
        if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
            return new InventoryException(source, line, "'" + key + "' in " + where + " must be " + expected(m.getTargetType()));
        }
        String cause = e.getCause() != null && e.getCause().getMessage() != null ? e.getCause().getMessage() : e.getOriginalMessage();
        return new InventoryException(source, line, (key.isEmpty() ? where : "'" + key + "' in " + where) + ": "
                + cause.strip().replace('\n', ' '));
    }

    /** The index of the last key (not list index) in the path, or -1. */
    private static int lastKey(List<Object> path) {
        for (int i = path.size() - 1; i >= 0; i--) {
            if (path.get(i) instanceof String) {
                return i;
            }
        }
        return -1;
    }

    /** "host hostB", "export vm1-disk, hosts item 2", "policy.migration", "the top level". */
    static String where(List<Object> path) {
        if (path.isEmpty()) {
            return "the top level";
        }
        StringBuilder sb = new StringBuilder();
        int i = 0;
        Object top = path.get(0);
        if ((top.equals("hosts") || top.equals("exports")) && path.size() > 1) {
            sb.append(top.equals("hosts") ? "host " : "export ").append(path.get(1));
            i = 2;
        }
        for (; i < path.size(); i++) {
            Object p = path.get(i);
            if (p instanceof Integer n) {
                sb.append(" item ").append(n + 1);
            } else {
                sb.append(sb.length() == 0 ? "" : i <= 2 && sb.indexOf(" ") > 0 ? ", " : ".").append(p);
            }
        }
        return sb.toString();
    }

    private static Collection<String> names(Collection<Object> ids) {
        return ids.stream().map(String::valueOf).toList();
    }

    private static String expected(Class<?> type) {
        if (type == Integer.class || type == Long.class || type == int.class || type == long.class) {
            return "a whole number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == MacAddress.class) {
            return "a MAC address (six hex bytes, e.g. 02:00:00:00:00:0a)";
        }
        if (type.isEnum()) {
            return "one of " + Arrays.stream(type.getEnumConstants()).map(c -> c.toString().toLowerCase(Locale.ROOT))
                    .collect(Collectors.joining(", "));
        }
        if (type == String.class) {
            return "text";
        }
        if (List.class.isAssignableFrom(type) || Collection.class.isAssignableFrom(type)) {
            return "a list";
        }
        if (Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "a mapping (key: value lines)";
        }
        return "a " + type.getSimpleName();
    }
}
