package org.aoemigrate.orchestrator.hypervisor;

import java.util.Set;

/**
 * What a guest's interfaces can attach to on a host: active libvirt networks
 * ({@code <interface type='network'>}) and host interfaces such as bridges
 * ({@code <interface type='bridge'>}).
 */
public record HostNetworks(Set<String> networks, Set<String> interfaces) {

    public HostNetworks {
        networks = Set.copyOf(networks);
        interfaces = Set.copyOf(interfaces);
    }
}
