package org.aoemigrate.aoe.wire;

import java.util.Arrays;
import java.util.Optional;
import java.util.function.ToIntFunction;

/** Lookup tables from one-byte wire codes to enum constants, shared by the code enums. */
final class WireCodes {

    private WireCodes() {
    }

    /**
     * A 256-entry table indexed by code, holding ready-made Optionals (empty for unused codes) so
     * that lookups on the hot path allocate nothing.
     */
    static <E extends Enum<E>> Object[] table(E[] constants, ToIntFunction<E> code) {
        Object[] table = new Object[256];
        Arrays.fill(table, Optional.empty());
        for (E e : constants) {
            table[code.applyAsInt(e)] = Optional.of(e);
        }
        return table;
    }

    @SuppressWarnings("unchecked")
    static <E> Optional<E> find(Object[] table, int code) {
        return code >= 0 && code < table.length ? (Optional<E>) table[code] : Optional.empty();
    }

    static int u8(String field, int value) {
        return range(field, value, 0xFF);
    }

    static int u16(String field, int value) {
        return range(field, value, 0xFFFF);
    }

    static int range(String field, int value, int max) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException(field + " must be 0.." + max + ", was " + value);
        }
        return value;
    }

    /** Checks that a message record sits under a header of its own command. */
    static void requireCommand(AoeHeader header, AoeCommand command) {
        if (header == null || header.command() != command.code()) {
            throw new IllegalArgumentException("a " + command + " message needs a header with command "
                    + command.code() + ", not " + (header == null ? "none" : header.command()));
        }
    }
}
