package org.aoemigrate.orchestrator.engine;

/**
 * One {@code <disk>} of a domain.
 *
 * @param type   the disk's type attribute: block, file, network, volume
 * @param device disk, cdrom, lun, floppy
 * @param source the source path or name; empty when the drive has no medium
 * @param cache  the driver's cache attribute; empty when not set (libvirt's default is not none)
 * @param target the guest-side name (vda), for messages
 */
public record GuestDisk(String type, String device, String source, String cache, String target) {

    public boolean hasMedium() {
        return !source.isEmpty();
    }
}
