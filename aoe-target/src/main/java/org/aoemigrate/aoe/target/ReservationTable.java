package org.aoemigrate.aoe.target;

import java.util.ArrayList;
import java.util.List;
import org.aoemigrate.aoe.wire.AtaOpcode;
import org.aoemigrate.aoe.wire.MacAddress;
import org.aoemigrate.aoe.wire.ReserveCommand;

/**
 * An export's reserve list (r11 3.4): while it is non-empty, ATA commands from MACs not on it are
 * refused with error 6, except IDENTIFY (vblade's rule, so that an initiator can still see what
 * the device is). Config and mask commands are not affected. Immutable.
 */
public record ReservationTable(List<MacAddress> holders) {

    public static final ReservationTable RELEASED = new ReservationTable(List.of());

    public ReservationTable {
        holders = List.copyOf(holders);
    }

    /** A table from a request's MAC list: duplicates dropped, order kept. */
    public static ReservationTable of(List<MacAddress> macs) {
        List<MacAddress> unique = new ArrayList<>();
        for (MacAddress m : macs) {
            if (!unique.contains(m)) {
                unique.add(m);
            }
        }
        return new ReservationTable(unique);
    }

    public boolean isReserved() {
        return !holders.isEmpty();
    }

    /** True if {@code source} may issue ATA command {@code opcode}. */
    public boolean allowsAta(MacAddress source, int opcode) {
        return holders.isEmpty() || opcode == AtaOpcode.IDENTIFY.code() || holders.contains(source);
    }

    /**
     * True if {@code source} may replace the list with {@code command}: force set always, set only
     * while the list is empty or names the sender (r11 3.4). Read changes nothing.
     */
    public boolean maySet(ReserveCommand command, MacAddress source) {
        return command == ReserveCommand.FORCE_SET || holders.isEmpty() || holders.contains(source);
    }
}
