package org.aoemigrate.aoe.initiator;

import org.aoemigrate.aoe.wire.AoeConstants;

/**
 * The AoE address of a device, {@code eS.L}: shelf (major) and slot (minor). Any value the
 * header fields can carry is accepted, the broadcast values included, because an initiator may
 * need to talk about what it saw on the wire; {@link #isUnicast()} says whether a device can
 * really live there.
 */
public record AoeAddress(int shelf, int slot) implements Comparable<AoeAddress> {

    public AoeAddress {
        if (shelf < 0 || shelf > AoeConstants.BROADCAST_SHELF) {
            throw new IllegalArgumentException("shelf " + shelf + " is outside 0-65535 (a 16-bit field)");
        }
        if (slot < 0 || slot > AoeConstants.BROADCAST_SLOT) {
            throw new IllegalArgumentException("slot " + slot + " is outside 0-255 (an 8-bit field)");
        }
    }

    /** Every shelf and slot (r11 2.1 wildcards): what discovery asks. */
    public static final AoeAddress BROADCAST = new AoeAddress(AoeConstants.BROADCAST_SHELF, AoeConstants.BROADCAST_SLOT);

    /** Parses {@code e1.2} or {@code 1.2}. */
    public static AoeAddress parse(String text) {
        String s = text.strip();
        String body = s.startsWith("e") ? s.substring(1) : s;
        int dot = body.indexOf('.');
        try {
            if (dot > 0) {
                return new AoeAddress(Integer.parseInt(body.substring(0, dot)), Integer.parseInt(body.substring(dot + 1)));
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("'" + text + "' is not an AoE address; write eSHELF.SLOT, e.g. e1.0");
    }

    /** False for the broadcast shelf 0xFFFF and slot 0xFF, which no device can have (Linux rejects them). */
    public boolean isUnicast() {
        return shelf != AoeConstants.BROADCAST_SHELF && slot != AoeConstants.BROADCAST_SLOT;
    }

    @Override
    public int compareTo(AoeAddress o) {
        return shelf != o.shelf ? Integer.compare(shelf, o.shelf) : Integer.compare(slot, o.slot);
    }

    /** The name Linux gives the device: {@code e1.2}. */
    @Override
    public String toString() {
        return "e" + shelf + "." + slot;
    }
}
