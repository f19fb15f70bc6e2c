package org.aoemigrate.orchestrator.planner;

/**
 * How much of a host its guests use, as fractions: memory of {@link ObservedHost#memoryBytes()},
 * CPU use (cores) of {@link ObservedHost#cpus()}. These are the two quantities the score spreads.
 */
public record HostUse(double memory, double cpu) {

    @Override
    public String toString() {
        return String.format("memory %.0f%%, CPU %.0f%%", memory * 100, cpu * 100);
    }
}
