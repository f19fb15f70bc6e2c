package org.aoemigrate.orchestrator.engine;

import java.io.IOException;
import java.util.Set;
import org.aoemigrate.aoe.target.ExportAddress;
import org.aoemigrate.aoe.wire.MacAddress;

/**
 * The AoE reservation of each export (r11 3.5, Reserve/Release): only the listed MACs may write.
 * The daemon sets the embedded target's reservation table directly; the engine only says who.
 */
public interface StorageFence {

    /** Makes {@code macs} the export's whole reservation list; when this returns, the target enforces it. */
    void reserve(ExportAddress export, Set<MacAddress> macs) throws IOException;

    /** The export's current reservation list; empty means unreserved (anyone may write). */
    Set<MacAddress> read(ExportAddress export) throws IOException;
}
