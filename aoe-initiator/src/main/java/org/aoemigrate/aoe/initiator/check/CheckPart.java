package org.aoemigrate.aoe.initiator.check;

import java.util.Locale;

/** The parts of the destination check, in the order they run and are reported. */
public enum CheckPart {
    /** {@code DEVDIR/eS.L} exists and is a block device. */
    NODE,
    /** If the Linux aoe driver has the device, its state is up. */
    DRIVER,
    /** The export answers on this host's interfaces, from the expected target MACs and no others. */
    ANSWER,
    /** The export's config string carries the expected id (and IDENTIFY the expected serial). */
    IDENTITY,
    /** The node, the export and the expectation agree on the size. */
    SIZE,
    /** The first and the last sector read through the node. */
    READ;

    /** The name used in output: {@code node}, {@code answer}, ... */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
