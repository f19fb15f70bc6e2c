package org.aoemigrate.aoe.link;

/** Ethernet II facts the link layer needs; AoE's own offsets are in {@code AoeConstants}. */
final class EthernetFrames {

    /** Destination MAC (6), source MAC (6), EtherType (2); frames here carry no VLAN tag and no FCS. */
    static final int HEADER_LENGTH = 14;

    private EthernetFrames() {}
}
