package org.aoemigrate.orchestrator.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * The one line a client sends: {@code {"op":"migrate","guest":"vm1","destination":"hostB"}}.
 * Fields an operation does not use are null.
 *
 * @param op          one of {@link Op}, lower case on the wire
 * @param guest       migrate, check: the guest to move
 * @param destination migrate, check: the inventory name of the host to move it to
 * @param id          abort: a migration id ({@code m-...}) or a guest name; recover: the same, or null for
 *                    every open migration
 * @param cutover     migrate, check: {@code fast} or {@code fenced}, overriding the inventory's policy
 */
public record ApiRequest(Op op, String guest, String destination, String id, String cutover) {

    /** What a client can ask. */
    public enum Op {
        /** Move a guest; events stream until the result. */
        MIGRATE,
        /** The preflight checks of a migration, without moving anything. */
        CHECK,
        /** Hosts, guests, exports and migrations in flight. */
        STATUS,
        /** Ask a running migration to abort. */
        ABORT,
        /** The journal, one item per migration. */
        HISTORY,
        /** The exports the daemon's target serves. */
        EXPORTS,
        /** Settle migrations a crash left open; events stream until the result. */
        RECOVER;

        @JsonValue
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static Op of(String wire) {
            for (Op op : values()) {
                if (op.wire().equals(wire)) {
                    return op;
                }
            }
            throw new IllegalArgumentException("unknown op '" + wire + "'");
        }
    }

    public static ApiRequest migrate(String guest, String destination, String cutover) {
        return new ApiRequest(Op.MIGRATE, guest, destination, null, cutover);
    }

    public static ApiRequest check(String guest, String destination, String cutover) {
        return new ApiRequest(Op.CHECK, guest, destination, null, cutover);
    }

    public static ApiRequest abort(String id) {
        return new ApiRequest(Op.ABORT, null, null, id, null);
    }

    /** @param id a migration id or guest, or null for every open migration */
    public static ApiRequest recover(String id) {
        return new ApiRequest(Op.RECOVER, null, null, id, null);
    }

    public static ApiRequest of(Op op) {
        return new ApiRequest(op, null, null, null, null);
    }
}
