package org.aoemigrate.aoe.initiator.cli;

import java.util.List;
import org.aoemigrate.aoe.initiator.AoeAddress;
import org.aoemigrate.aoe.initiator.DiscoveredTarget;
import org.aoemigrate.aoe.initiator.TargetPath;
import org.aoemigrate.aoe.wire.AoeConstants;
import org.aoemigrate.aoe.wire.MacAddress;

/** A discovered device as {@code discover} prints it (text row or JSON object); payloads in bytes, as in sysfs. */
record DiscoveredView(AoeAddress device, List<PathView> paths, int bufferCount, int payload, String firmware,
        String config) {

    record PathView(String netif, MacAddress mac, int bufferCount, int payload) {
        static PathView of(TargetPath p) {
            return new PathView(p.link(), p.target(), p.bufferCount(), p.sectorsPerFrame() * AoeConstants.SECTOR_SIZE);
        }

        String label() {
            return netif + "->" + mac;
        }
    }

    static DiscoveredView of(DiscoveredTarget t) {
        return new DiscoveredView(t.address(), t.paths().stream().map(PathView::of).toList(), t.bufferCount(),
                t.sectorsPerFrame() * AoeConstants.SECTOR_SIZE, String.format("0x%04x", t.firmwareVersion()),
                t.configText());
    }

    static final String TEXT_HEADER = String.format("%-10s %-8s %-8s %-8s %-24s %s", "DEVICE", "PAYLOAD", "BUFCNT",
            "FIRMWARE", "CONFIG", "PATHS");

    String textRow() {
        return String.format("%-10s %-8d %-8d %-8s %-24s %s", device, payload, bufferCount, firmware,
                '"' + config + '"', String.join(",", paths.stream().map(PathView::label).toList()));
    }
}
