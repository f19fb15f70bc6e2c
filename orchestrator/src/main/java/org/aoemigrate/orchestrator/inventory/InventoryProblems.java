package org.aoemigrate.orchestrator.inventory;

import com.fasterxml.jackson.core.JsonProcessingException;

/**
 * The problems both readers of the inventory YAML report alike: {@link InventoryReader}, which
 * binds and checks the whole inventory for the daemon, and {@link StateDirectory}, which looks
 * only for where a client finds the daemon's socket. A class of its own rather than static
 * methods of InventoryReader: calling those would initialize InventoryReader's mapper in every
 * client, which is what StateDirectory exists to avoid.
 */
final class InventoryProblems {

    private InventoryProblems() {
    }

    /** {@code source} is not YAML: the line the parser stopped at (0 if it does not say) and its reason, on one line. */
    static InventoryException notYaml(String source, JsonProcessingException e) {
        int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
        return new InventoryException(source, line, "not valid YAML: " + e.getOriginalMessage().strip().replace('\n', ' '));
    }

    /** {@code source} has no {@code storage:} mapping, which names the target's interfaces and the state directory. */
    static InventoryException noStorage(String source) {
        return new InventoryException(source, 0, "no 'storage:' section: give the target's interfaces and stateDir");
    }
}
