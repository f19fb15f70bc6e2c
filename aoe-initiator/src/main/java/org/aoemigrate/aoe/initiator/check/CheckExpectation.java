package org.aoemigrate.aoe.initiator.check;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.aoemigrate.aoe.initiator.AoeAddress;
import org.aoemigrate.aoe.wire.MacAddress;

/**
 * What the destination must see.
 *
 * @param device     {@code eS.L}
 * @param exportId   the id the export's config string must carry ({@link ExportId})
 * @param sizeBytes  the export's size, if known
 * @param targetMacs the target ports that may answer; empty = any
 * @param serial     the IDENTIFY serial, if known
 */
public record CheckExpectation(AoeAddress device, String exportId, OptionalLong sizeBytes, List<MacAddress> targetMacs,
        Optional<String> serial) {

    public CheckExpectation {
        Objects.requireNonNull(device, "device");
        ExportId.validate(exportId);
        Objects.requireNonNull(sizeBytes, "sizeBytes");
        targetMacs = List.copyOf(targetMacs);
        Objects.requireNonNull(serial, "serial");
        if (!device.isUnicast()) {
            throw new IllegalArgumentException(device + " is a broadcast address; name one device, e.g. e1.0");
        }
        if (sizeBytes.isPresent() && (sizeBytes.getAsLong() <= 0 || sizeBytes.getAsLong() % 512 != 0)) {
            throw new IllegalArgumentException("expected size " + sizeBytes.getAsLong()
                    + " bytes is not a positive multiple of 512; give the export's size in bytes");
        }
    }
}
