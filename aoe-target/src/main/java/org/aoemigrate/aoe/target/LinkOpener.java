package org.aoemigrate.aoe.target;

import java.io.IOException;
import org.aoemigrate.aoe.link.EthernetLink;

/**
 * Opens the interfaces a {@link TargetServer} serves on: AF_PACKET sockets in production, hub
 * ports in tests. The server owns what it gets and closes it on stop.
 */
@FunctionalInterface
public interface LinkOpener {

    /**
     * Opens interface {@code name} with a receive path sized for about {@code queueFrames}
     * frames (for a socket: a receive buffer of that many full-MTU frames), and reports what it
     * really got: the target never advertises a buffer count above it.
     */
    Opened open(String name, int queueFrames) throws IOException;

    /**
     * @param link        the open link
     * @param queueFrames how many full-size frames its receive path really holds (at least 1)
     */
    record Opened(EthernetLink link, int queueFrames) {
    }
}
