package org.aoemigrate.orchestrator.inventory;

import java.util.Objects;
import org.aoemigrate.aoe.wire.MacAddress;

/**
 * One Ethernet interface that speaks AoE: a hypervisor's initiator port, or a port of the
 * embedded target. The MAC is what reservations and the destination check are made of.
 */
public record AoePort(String name, MacAddress mac) {

    public AoePort {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(mac, "mac");
    }
}
