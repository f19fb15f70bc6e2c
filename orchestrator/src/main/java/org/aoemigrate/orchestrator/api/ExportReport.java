package org.aoemigrate.orchestrator.api;

import java.util.List;

/**
 * One export of the inventory and what the daemon's target serves for it.
 *
 * @param address        {@code e1.0}: hosts see it as {@code /dev/etherd/e1.0}
 * @param served         the daemon's target serves it now
 * @param sizeBytes      the size the target serves; null when not served
 * @param config         the AoE config string ({@code id=NAME}); null when not served
 * @param reservation    the MACs that may write (empty: anyone may); empty when not served
 * @param reservedHosts  the inventory hosts those MACs belong to (a MAC of no host is listed as is)
 * @param hosts          the hosts that may see it, as the inventory says
 * @param interfaces     the target's interfaces it is served on
 */
public record ExportReport(String name, String address, String image, boolean served, Long sizeBytes, String config,
        List<String> reservation, List<String> reservedHosts, List<String> hosts, List<String> interfaces) {

    public ExportReport {
        reservation = List.copyOf(reservation);
        reservedHosts = List.copyOf(reservedHosts);
        hosts = List.copyOf(hosts);
        interfaces = List.copyOf(interfaces);
    }
}
