package org.aoemigrate.orchestrator.engine;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.aoemigrate.orchestrator.hypervisor.Hypervisors;
import org.aoemigrate.orchestrator.inventory.Inventory;

/**
 * The last question before aoemigrate lets a guest's vCPUs run on a host (the fenced cutover's
 * resume, a rollback's resume on the source, recover's resume): is the guest active on any other
 * host? If so, resuming would make two live copies of one disk's writer (ganeti#382,
 * kubevirt#16622), so the caller refuses and raises the alarm instead.
 *
 * <p>Hosts that do not answer do not block a resume: every caller sets the reservation to the
 * resuming host alone first, so a copy on a silent host could not write the disks anyway.
 */
final class SingleCopyGuard {

    private final Hypervisors hypervisors;
    private final Supplier<Inventory> inventory;

    SingleCopyGuard(Hypervisors hypervisors, Supplier<Inventory> inventory) {
        this.hypervisors = hypervisors;
        this.inventory = inventory;
    }

    /** Empty if {@code guest} is active on no host but {@code host}; else the alarm, one sentence. */
    Optional<String> refusal(String guest, String host) {
        GuestLocation where = new GuestLocator(hypervisors).locate(inventory.get(), guest);
        List<String> elsewhere = where.activeOn().stream().filter(h -> !h.equals(host)).toList();
        if (elsewhere.isEmpty()) {
            return Optional.empty();
        }
        String states = elsewhere.stream().map(h -> where.states().get(h).name().toLowerCase(java.util.Locale.ROOT)
                + " on " + h).collect(Collectors.joining(" and "));
        return Optional.of("not resuming " + guest + " on " + host + ": it is " + states + " (split brain); stop the copy"
                + " that should not run, then run aoemigrate recover");
    }
}
