package org.aoemigrate.orchestrator.hypervisor.libvirt;

import org.libvirt.Connect;
import org.libvirt.LibvirtException;
import org.libvirt.jna.ConnectionPointer;

/**
 * A libvirt-java connection that also hands its {@code virConnectPtr} to {@link NativeLibvirt}.
 * The pointer is a protected field of {@link Connect}; a subclass is the one clean way to reach it
 * without putting classes into libvirt-java's package.
 */
final class LibvirtConnection extends Connect {

    LibvirtConnection(String uri) throws LibvirtException {
        super(uri);
    }

    ConnectionPointer pointer() {
        return vcp;
    }

    /** {@code virConnectIsAlive}: a local check of the socket, no round trip. */
    boolean alive() {
        try {
            return isAlive();
        } catch (LibvirtException e) {
            return false;
        }
    }
}
