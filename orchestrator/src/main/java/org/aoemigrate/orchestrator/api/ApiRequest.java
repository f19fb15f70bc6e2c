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
 * @param host        drain, undrain: the inventory name of the host
 * @param dryRun      rebalance: plan only, move nothing
 * @param maxMoves    rebalance: at most this many moves (null: the planner's default)
 */
public record ApiRequest(Op op, String guest, String destination, String id, String cutover, String host, Boolean dryRun,
        Integer maxMoves) {

    /** A request without the rebalancing fields. */
    public ApiRequest(Op op, String guest, String destination, String id, String cutover) {
        this(op, guest, destination, id, cutover, null, null, null);
    }

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
        RECOVER,
        /** Put a host in maintenance and move every guest off it; events stream until the result. */
        DRAIN,
        /** End a host's maintenance (one a drain began). */
        UNDRAIN,
        /** Plan moves that even out the cluster, and (unless a dry run) make them; events stream until the result. */
        REBALANCE;

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

    public static ApiRequest drain(String host) {
        return new ApiRequest(Op.DRAIN, null, null, null, null, host, null, null);
    }

    public static ApiRequest undrain(String host) {
        return new ApiRequest(Op.UNDRAIN, null, null, null, null, host, null, null);
    }

    /** @param maxMoves null for the planner's default */
    public static ApiRequest rebalance(boolean dryRun, Integer maxMoves) {
        return new ApiRequest(Op.REBALANCE, null, null, null, null, null, dryRun, maxMoves);
    }

    public static ApiRequest of(Op op) {
        return new ApiRequest(op, null, null, null, null);
    }
}
