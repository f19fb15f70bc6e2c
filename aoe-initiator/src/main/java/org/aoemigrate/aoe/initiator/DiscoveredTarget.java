package org.aoemigrate.aoe.initiator;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * A device that answered discovery, with every path it answered on.
 *
 * @param address         shelf and slot
 * @param paths           (local interface, target MAC) pairs, sorted; more than one means
 *                        multipath (several interfaces, or several target ports)
 * @param bufferCount     the smallest buffer count any path advertised
 * @param sectorsPerFrame the most sectors per frame every path carries: the minimum over the
 *                        paths, as the Linux driver uses (its sysfs {@code payload} / 512)
 * @param firmwareVersion the firmware version of the first path's answer
 * @param configString    the config string of the first path's answer
 */
public record DiscoveredTarget(
        AoeAddress address,
        List<TargetPath> paths,
        int bufferCount,
        int sectorsPerFrame,
        int firmwareVersion,
        byte[] configString) {

    public DiscoveredTarget {
        paths = List.copyOf(paths);
        if (paths.isEmpty()) {
            throw new IllegalArgumentException(address + ": a discovered device has at least one path");
        }
        configString = configString.clone();
    }

    /** A copy of the config string's bytes. */
    @Override
    public byte[] configString() {
        return configString.clone();
    }

    /** The config string decoded as UTF-8. */
    public String configText() {
        return new String(configString, StandardCharsets.UTF_8);
    }

    /** The local interfaces the device answered on, without repeats, in path order. */
    public List<String> links() {
        return paths.stream().map(TargetPath::link).distinct().toList();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DiscoveredTarget d
                && address.equals(d.address)
                && paths.equals(d.paths)
                && bufferCount == d.bufferCount
                && sectorsPerFrame == d.sectorsPerFrame
                && firmwareVersion == d.firmwareVersion
                && Arrays.equals(configString, d.configString);
    }

    @Override
    public int hashCode() {
        return address.hashCode() * 31 + paths.hashCode();
    }

    @Override
    public String toString() {
        return String.format("%s: %d path(s) %s, bufcnt %d, %d sectors/frame, fw 0x%04x, config \"%s\"",
                address, paths.size(), paths.stream().map(TargetPath::label).toList(), bufferCount, sectorsPerFrame,
                firmwareVersion, configText());
    }
}
