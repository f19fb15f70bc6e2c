package org.aoemigrate.aoe.initiator;

import java.util.List;
import org.aoemigrate.aoe.wire.AoeError;
import org.aoemigrate.aoe.wire.MacAddress;

/**
 * AoE error 6 (r11 3.4): the target is reserved to other initiators, so it refuses this one's
 * ATA commands and reserve-list changes.
 */
public final class TargetReservedException extends AoeErrorException {

    private static final long serialVersionUID = 1L;

    private final List<MacAddress> holders;

    public TargetReservedException(AoeAddress device, String operation, List<MacAddress> holders) {
        super(device, operation, AoeError.TARGET_RESERVED.code(),
                (holders.isEmpty() ? "another initiator holds the reservation"
                        : "the reservation is held by " + holders)
                        + "; ask the holder to release it, or force-set the reserve list if the holder is gone");
        this.holders = List.copyOf(holders);
    }

    /** The reserve list the target reported, when the reply carried it (Reserve/Release replies do). */
    public List<MacAddress> holders() {
        return holders;
    }
}
