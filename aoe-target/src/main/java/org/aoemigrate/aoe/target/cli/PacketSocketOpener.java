package org.aoemigrate.aoe.target.cli;

import java.io.IOException;
import org.aoemigrate.aoe.link.PacketSocketLink;
import org.aoemigrate.aoe.link.PacketSocketOptions;
import org.aoemigrate.aoe.target.LinkOpener;

/**
 * Opens the target's interfaces as AF_PACKET sockets. No kernel filter: the target must also see
 * other targets' Query Config replies while it checks for a duplicate address, and its handler
 * ignores what is not for it. A failure is an {@link InterfaceFailure}, so the command can tell
 * it from a problem with an export.
 */
final class PacketSocketOpener implements LinkOpener {

    @Override
    public Opened open(String name, int queueFrames) throws IOException {
        try {
            PacketSocketLink link = PacketSocketLink.open(PacketSocketOptions.forInterface(name).withReceiveFrames(queueFrames));
            return new Opened(link, queueFrames);
        } catch (IOException | IllegalArgumentException e) {
            throw new InterfaceFailure(name, e);
        }
    }

    /** An interface could not be opened; the cause says why. */
    static final class InterfaceFailure extends IOException {

        private static final long serialVersionUID = 1L;

        private final String interfaceName;

        InterfaceFailure(String interfaceName, Exception cause) {
            super(cause.getMessage(), cause);
            this.interfaceName = interfaceName;
        }

        String interfaceName() {
            return interfaceName;
        }
    }
}
