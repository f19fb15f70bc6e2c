package org.aoemigrate.aoe.link;

/** Ethernet II facts the link layer needs: frames here never carry a VLAN tag or the FCS. */
final class EthernetFrames {

    /** Destination MAC (6), source MAC (6), EtherType (2). */
    static final int HEADER_LENGTH = 14;

    static final int ETHERTYPE_OFFSET = 12;

    /** r11 2: AoE frames carry EtherType 0x88A2. */
    static final int ETHERTYPE_AOE = 0x88A2;

    private EthernetFrames() {}
}
