package org.aoemigrate.orchestrator.inventory;

import java.nio.file.Path;
import java.util.Set;
import org.aoemigrate.aoe.target.ExportAddress;
import org.aoemigrate.aoe.target.IoMode;

/**
 * A disk image the embedded target exports, and the hosts allowed to see it.
 *
 * @param name    the export's name; it is also its identity: the target puts it in the AoE config
 *                string, and the destination check expects it there, so a same-numbered disk
 *                from another target is told apart
 * @param address {@code eS.L}: every host sees the disk as {@code /dev/etherd/eS.L}
 * @param image   the backing file or block device on the storage host
 * @param hosts   the inventory names of the hosts that may see (and so run guests on) this disk
 */
public record ExportDisk(String name, ExportAddress address, Path image, IoMode ioMode, Set<String> hosts) {

    public ExportDisk {
        hosts = Set.copyOf(hosts);
    }

    /** The device path every host sees. */
    public String devicePath() {
        return "/dev/etherd/" + address;
    }
}
