package org.aoemigrate.orchestrator.hypervisor;

/** What a host has for guests: libvirt's node info plus {@code virNodeGetFreeMemory}. */
public record HostResources(int cpus, long memoryBytes, long freeMemoryBytes) {
}
