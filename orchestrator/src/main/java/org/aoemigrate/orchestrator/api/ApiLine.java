package org.aoemigrate.orchestrator.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Locale;

/**
 * One line the daemon sends: an object with exactly one key, {@code event}, {@code result} or
 * {@code error}. A reply is any number of events, then one result or one error.
 *
 * <pre>
 * {"event":{"at":"...","id":"m-4f1c2a9e","guest":"vm1","kind":"progress","message":"...","job":{...}}}
 * {"result":{"id":"m-4f1c2a9e","guest":"vm1","outcome":"succeeded",...}}
 * {"error":{"code":"bad_request","message":"migrate needs 'guest' and 'destination'"}}
 * </pre>
 */
public record ApiLine(Kind kind, JsonNode body) {

    public enum Kind {
        EVENT, RESULT, ERROR;

        String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public static ApiLine of(Kind kind, Object body) {
        return new ApiLine(kind, ApiJson.MAPPER.valueToTree(body));
    }

    /** The line's text, without the newline. */
    public String text() {
        ObjectNode o = ApiJson.MAPPER.createObjectNode();
        o.set(kind.key(), body);
        return o.toString();
    }

    /** Reads a line; IllegalArgumentException if it is not one the protocol knows. */
    public static ApiLine parse(String text) {
        JsonNode node;
        try {
            node = ApiJson.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject() || node.size() != 1) {
            throw new IllegalArgumentException("not an object with one key (event, result or error): " + text);
        }
        Iterator<String> names = node.fieldNames();
        String key = names.next();
        for (Kind k : Kind.values()) {
            if (k.key().equals(key)) {
                return new ApiLine(k, node.get(key));
            }
        }
        throw new IllegalArgumentException("unknown key '" + key + "'; expected event, result or error");
    }

    public <T> T as(Class<T> type) {
        try {
            return ApiJson.MAPPER.treeToValue(body, type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the daemon's " + kind.key() + " is not a " + type.getSimpleName() + ": "
                    + e.getOriginalMessage(), e);
        }
    }
}
