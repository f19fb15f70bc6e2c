package org.aoemigrate.aoe.target.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.aoemigrate.aoe.target.BackingStore;
import org.aoemigrate.aoe.target.Export;
import org.aoemigrate.aoe.target.ServedLink;

/**
 * The lines the target logs once it serves: one per export, vblade's {@code pid N: e1.1, 131072
 * sectors O_RDWR} with what an operator checks next (the file, the I/O mode, and per interface
 * its MAC, MTU, sectors per frame and advertised buffer count).
 */
final class StartupBanner {

    private StartupBanner() {
    }

    /** e.g. {@code pid 42: e1.1, 131072 sectors O_RDWR buffered, /srv/a.img, on vT (02:00:00:00:00:01, MTU 1500, 2 sectors per frame, 16 buffers)}. */
    static String exportLine(long pid, Export export, List<ServedLink> links) {
        BackingStore store = export.store();
        StringBuilder line = new StringBuilder();
        line.append("pid ").append(pid).append(": ").append(export.address()).append(", ")
                .append(store.sectors()).append(" sectors ").append(store.isReadOnly() ? "O_RDONLY" : "O_RDWR")
                .append(' ').append(store.mode().name().toLowerCase(Locale.ROOT))
                .append(", ").append(store.path()).append(", on ");
        List<String> paths = new ArrayList<>();
        for (ServedLink link : links) {
            if (link.exports().contains(export)) {
                paths.add(link.name() + " (" + link.mac() + ", MTU " + link.mtu() + ", " + link.sectorsPerFrame()
                        + " sectors per frame, " + link.bufferCount(export) + " buffers)");
            }
        }
        line.append(String.join(" and ", paths));
        int masks = export.state().masks().size();
        if (masks > 0) {
            line.append(", answering only ").append(masks).append(masks == 1 ? " MAC" : " MACs");
        }
        if (!export.state().config().isEmpty()) {
            line.append(", config string ").append(export.state().config());
        }
        return line.toString();
    }
}
