package org.aoemigrate.aoe.target.cli;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import org.aoemigrate.aoe.link.PacketSocketLink;
import org.aoemigrate.aoe.link.PacketSocketOptions;
import org.aoemigrate.aoe.target.LinkOpener;

/**
 * Opens the target's interfaces as AF_PACKET sockets. No kernel filter: the target must also see
 * other targets' Query Config replies while it checks for a duplicate address, and its handler
 * ignores what is not for it. A failure is an {@link InterfaceFailure}, so the command can tell
 * it from a problem with an export. Public: the aoemigrate daemon opens its embedded target's
 * interfaces with it too.
 */
public final class PacketSocketOpener implements LinkOpener {

    private static final Logger LOG = System.getLogger(PacketSocketOpener.class.getName());

    @Override
    public Opened open(String name, int queueFrames) throws IOException {
        PacketSocketLink link;
        try {
            link = PacketSocketLink.open(PacketSocketOptions.forInterface(name).withReceiveFrames(queueFrames));
        } catch (IOException | IllegalArgumentException e) {
            throw new InterfaceFailure(name, e);
        }
        // the kernel caps the buffer at net.core.rmem_max unless we hold CAP_NET_ADMIN
        int granted = Math.max(1, Math.min(queueFrames, link.receiveBufferFrames()));
        if (granted < queueFrames) {
            LOG.log(Level.WARNING, name + " queues only " + granted + " of the " + queueFrames + " frames asked for"
                    + " (net.core.rmem_max caps it without CAP_NET_ADMIN), so the buffer count advertised there is "
                    + granted + "; raise net.core.rmem_max for more");
        }
        return new Opened(link, granted);
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
