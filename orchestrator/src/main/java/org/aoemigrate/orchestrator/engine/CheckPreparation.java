package org.aoemigrate.orchestrator.engine;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import org.aoemigrate.orchestrator.engine.check.DestinationCheck;
import org.aoemigrate.orchestrator.inventory.ExportDisk;
import org.aoemigrate.orchestrator.inventory.Host;
import org.aoemigrate.orchestrator.inventory.Inventory;

/**
 * Has the destination's initiator check start what of it needs no reservation
 * ({@link DestinationCheck#prepare}) as early in a move as the engine can name the guest's disks.
 * Preflight reads them from the guest's XML only once it has located the guest, late in its
 * checks, which leaves the check little to overlap with; so a move starts with the disks the guest
 * had at its last preflight in this engine (a guest's disks seldom change), and preflight prepares
 * again only if the XML names others. A wrong guess costs the time it was to save: the check's
 * arguments then differ from the prepared ones, and it runs as without a prepare.
 */
final class CheckPreparation {

    private final DestinationCheck check;
    /** Each guest's disks as its last preflight found them. */
    private final Map<String, List<ExportDisk>> lastDisks = new ConcurrentHashMap<>();

    CheckPreparation(DestinationCheck check) {
        this.check = check;
    }

    /**
     * Starts the preparation of one move: prepares the disks {@code guest} had last time, if the
     * inventory still has them and {@code destination}; returns what preflight hands the disks it
     * finds, which prepares those unless they were the ones guessed.
     */
    BiConsumer<Host, List<ExportDisk>> start(String guest, Inventory inventory, String destination) {
        Optional<Host> host = inventory.host(destination);
        List<ExportDisk> guessed = lastDisks.getOrDefault(guest, List.of());
        boolean current = guessed.stream().allMatch(e -> inventory.exportAt(e.address()).filter(e::equals).isPresent());
        if (host.isEmpty() || guessed.isEmpty() || !current) {
            guessed = List.of();
        } else {
            prepare(host.get(), guessed);
        }
        List<ExportDisk> prepared = guessed;
        return (found, disks) -> {
            lastDisks.put(guest, List.copyOf(disks));
            if (!disks.equals(prepared) || !host.equals(Optional.of(found))) {
                prepare(found, disks);
            }
        };
    }

    /** Whatever a prepare does, the check after the reservation gives the verdict: a failure here must not end the move. */
    private void prepare(Host destination, List<ExportDisk> disks) {
        try {
            check.prepare(destination, disks);
        } catch (RuntimeException e) {
            // a broken prepare costs only the time it was to save
        }
    }
}
