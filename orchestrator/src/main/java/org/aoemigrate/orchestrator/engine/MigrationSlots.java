package org.aoemigrate.orchestrator.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.aoemigrate.orchestrator.inventory.MigrationLimits;

/**
 * The migrations in flight: one per guest (the per-guest lock), and no more than the limits
 * allow at once in the cluster, out of a host and into a host. Admission checks and takes a
 * slot in one step, so two requests cannot both squeeze under a limit.
 */
final class MigrationSlots {

    /** A migration holding its slot; closing it frees the guest and the limits. */
    final class Slot implements AutoCloseable {
        final String id;
        final String guest;
        final String source;
        final String destination;
        private volatile String abortReason;

        private Slot(String id, String guest, String source, String destination) {
            this.id = id;
            this.guest = guest;
            this.source = source;
            this.destination = destination;
        }

        /** Asks the running migration to abort; it notices on its next poll. */
        void requestAbort(String reason) {
            abortReason = reason;
        }

        Optional<String> abortRequested() {
            return Optional.ofNullable(abortReason);
        }

        @Override
        public void close() {
            release(this);
        }
    }

    private final Map<String, Slot> byGuest = new LinkedHashMap<>();

    /** Refuses at once if the guest is being moved; {@link #admit} checks again, atomically. */
    synchronized void refuseIfMoving(String guest) throws RefusedException {
        Slot held = byGuest.get(guest);
        if (held != null) {
            throw new RefusedException(PreflightCheck.LOCK, guest + " is already being moved (migration " + held.id
                    + ", " + held.source + " to " + held.destination + "); wait for it to end or abort it");
        }
    }

    synchronized Slot admit(String id, String guest, String source, String destination, MigrationLimits limits)
            throws RefusedException {
        refuseIfMoving(guest);
        if (byGuest.size() >= limits.global()) {
            throw new RefusedException(PreflightCheck.LIMITS, "the global limit of " + limits.global()
                    + " migration(s) at once is reached (moving: " + String.join(", ", byGuest.keySet())
                    + "); try again when one ends");
        }
        List<String> out = guests(s -> s.source.equals(source));
        if (out.size() >= limits.perHostOutbound()) {
            throw new RefusedException(PreflightCheck.LIMITS, source + " already sends " + out.size()
                    + " migration(s) (" + String.join(", ", out) + "), its outbound limit; try again when one ends");
        }
        List<String> in = guests(s -> s.destination.equals(destination));
        if (in.size() >= limits.perHostInbound()) {
            throw new RefusedException(PreflightCheck.LIMITS, destination + " already receives " + in.size()
                    + " migration(s) (" + String.join(", ", in) + "), its inbound limit; try again when one ends");
        }
        Slot slot = new Slot(id, guest, source, destination);
        byGuest.put(guest, slot);
        return slot;
    }

    private List<String> guests(java.util.function.Predicate<Slot> which) {
        List<String> l = new ArrayList<>();
        byGuest.values().stream().filter(which).forEach(s -> l.add(s.guest));
        return l;
    }

    private synchronized void release(Slot slot) {
        byGuest.remove(slot.guest, slot);
    }

    /** The slot of a guest, or of a migration id. */
    synchronized Optional<Slot> find(String guestOrId) {
        Slot s = byGuest.get(guestOrId);
        if (s != null) {
            return Optional.of(s);
        }
        return byGuest.values().stream().filter(x -> x.id.equals(guestOrId)).findFirst();
    }

    synchronized List<Slot> all() {
        return List.copyOf(byGuest.values());
    }
}
