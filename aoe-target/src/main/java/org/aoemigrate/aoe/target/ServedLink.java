package org.aoemigrate.aoe.target;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.aoemigrate.aoe.link.EthernetLink;
import org.aoemigrate.aoe.wire.AoeConstants;
import org.aoemigrate.aoe.wire.MacAddress;

/**
 * One link as the request handler sees it: the exports served on it, its MAC, its MTU and how
 * many frames its receive path queues. An export on several links (multipath) appears in each.
 *
 * <p>The MTU is cached, because reading it may cost a system call: it is read again on every
 * Query Config (vblade does the same), and by the serve loop at least once a second, so a changed
 * MTU changes the sectors per frame without a restart (vblade only noticed on the next Query
 * Config and refused larger requests until then).
 */
public final class ServedLink {

    private final EthernetLink link;
    private final int queueFrames;
    private final List<Export> exports;
    private final Map<Integer, Export> byAddress = new HashMap<>();
    private volatile int mtu;

    /**
     * @param queueFrames how many frames the link's receive path really queues: the honest
     *                    ceiling for the buffer count advertised on it
     */
    public ServedLink(EthernetLink link, int queueFrames, List<Export> exports) throws IOException {
        if (queueFrames < 1) {
            throw new IllegalArgumentException("link " + link.name() + " queues " + queueFrames + " frames; it must queue at least 1");
        }
        this.link = link;
        this.queueFrames = queueFrames;
        this.exports = List.copyOf(exports);
        for (Export e : this.exports) {
            if (byAddress.put(key(e.address().shelf(), e.address().slot()), e) != null) {
                throw new IllegalArgumentException(e.address() + " is exported twice on " + link.name() + "; export each address once");
            }
        }
        this.mtu = link.mtu();
    }

    private static int key(int shelf, int slot) {
        return shelf << 8 | slot;
    }

    public EthernetLink link() {
        return link;
    }

    public String name() {
        return link.name();
    }

    public MacAddress mac() {
        return link.mac();
    }

    public List<Export> exports() {
        return exports;
    }

    /** The export at exactly this shelf and slot, or null. */
    public Export exportAt(int shelf, int slot) {
        return byAddress.get(key(shelf, slot));
    }

    /** The cached MTU. */
    public int mtu() {
        return mtu;
    }

    /** Reads the MTU from the link again. */
    public int refreshMtu() throws IOException {
        mtu = link.mtu();
        return mtu;
    }

    /** The most sectors one ATA request may move on this link: {@code (MTU - 36) / 512}. */
    public int sectorsPerFrame() {
        return AoeConstants.sectorsPerFrame(mtu);
    }

    public int queueFrames() {
        return queueFrames;
    }

    /**
     * The Query Config buffer count for an export on this link: what its spec asks for, but
     * never more than the link really queues. Linux sizes its window from this (min(bufcnt,
     * aoe_maxout)) and collapses it on every loss, so promising more than is queued costs speed.
     */
    public int bufferCount(Export export) {
        return Math.min(export.spec().bufferCount(), queueFrames);
    }

    @Override
    public String toString() {
        return link.name() + " (" + link.mac() + ", MTU " + mtu + ", " + exports.size() + " exports)";
    }
}
