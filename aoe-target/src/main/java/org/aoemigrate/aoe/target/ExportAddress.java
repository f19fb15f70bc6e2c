package org.aoemigrate.aoe.target;

import org.aoemigrate.aoe.wire.AoeConstants;

/**
 * The AoE address of an export, {@code eS.L}: shelf (major) and slot (minor).
 *
 * <p>Only addresses an initiator can use are accepted: shelf 0-65534 except 4095, slot 0-254.
 * vblade takes anything and truncates it, so {@code vblade 70000 1} replies as shelf 4464 but
 * never answers unicast to it, and {@code vblade 1 255} matches every slot; Linux drops config
 * replies from shelf 0xFFFF, 0x0FFF ("shelf address is all ones") and slot 0xFF.
 */
public record ExportAddress(int shelf, int slot) implements Comparable<ExportAddress> {

    private static final String SHELF_RANGE = "use 0-4094 or 4096-65534";
    private static final String SLOT_RANGE = "use 0-254";
    /** Linux aoecmd_cfg_rsp rejects it: "shelf address is all ones. Check shelf dip switches." */
    private static final int ALL_ONES_SHELF = 0x0FFF;

    public ExportAddress {
        String problem = shelfProblem(shelf);
        if (problem == null) {
            problem = slotProblem(slot);
        }
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    /** Parses {@code e1.2} or {@code 1.2}. */
    public static ExportAddress parse(String text) {
        String s = text.strip();
        String body = s.startsWith("e") ? s.substring(1) : s;
        int dot = body.indexOf('.');
        try {
            if (dot > 0) {
                return new ExportAddress(Integer.parseInt(body.substring(0, dot)), Integer.parseInt(body.substring(dot + 1)));
            }
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException("'" + text + "' is not an AoE address; write eSHELF.SLOT, e.g. e1.0");
    }

    /** Why this shelf number cannot be served, or null if it can. */
    static String shelfProblem(int shelf) {
        if (shelf == ALL_ONES_SHELF) {
            return "shelf 4095 is reserved (Linux rejects it as all ones); " + SHELF_RANGE;
        }
        if (shelf == AoeConstants.BROADCAST_SHELF) {
            return "shelf 65535 is the broadcast shelf (it addresses every shelf); " + SHELF_RANGE;
        }
        if (shelf < 0 || shelf > AoeConstants.BROADCAST_SHELF) {
            return "shelf " + shelf + " is outside the 16-bit shelf field; " + SHELF_RANGE;
        }
        return null;
    }

    /** Why this slot number cannot be served, or null if it can. */
    static String slotProblem(int slot) {
        if (slot == AoeConstants.BROADCAST_SLOT) {
            return "slot 255 is the broadcast slot (it addresses every slot); " + SLOT_RANGE;
        }
        if (slot < 0 || slot > AoeConstants.BROADCAST_SLOT) {
            return "slot " + slot + " is outside the 8-bit slot field; " + SLOT_RANGE;
        }
        return null;
    }

    /** True if a request to {@code shelf}/{@code slot} reaches this export, wildcards included (r11 2.1). */
    public boolean isAddressedBy(int shelf, int slot) {
        return (shelf == this.shelf || shelf == AoeConstants.BROADCAST_SHELF)
                && (slot == this.slot || slot == AoeConstants.BROADCAST_SLOT);
    }

    /** True if {@code shelf}/{@code slot} uses a wildcard in either field. */
    public static boolean isBroadcast(int shelf, int slot) {
        return shelf == AoeConstants.BROADCAST_SHELF || slot == AoeConstants.BROADCAST_SLOT;
    }

    @Override
    public int compareTo(ExportAddress o) {
        return shelf != o.shelf ? Integer.compare(shelf, o.shelf) : Integer.compare(slot, o.slot);
    }

    /** The name Linux gives the device: {@code e1.2} (as in {@code /dev/etherd/e1.2}). */
    @Override
    public String toString() {
        return "e" + shelf + "." + slot;
    }
}
