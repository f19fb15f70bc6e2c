package org.aoemigrate.orchestrator.planner;

/** One host's use before and after a move. */
public record HostShift(String host, HostUse before, HostUse after) {

    @Override
    public String toString() {
        return String.format("%s (memory %.0f%% -> %.0f%%, CPU %.0f%% -> %.0f%%)", host,
                before.memory() * 100, after.memory() * 100, before.cpu() * 100, after.cpu() * 100);
    }
}
