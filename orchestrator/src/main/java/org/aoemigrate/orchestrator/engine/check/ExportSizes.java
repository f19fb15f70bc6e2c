package org.aoemigrate.orchestrator.engine.check;

import java.io.IOException;
import org.aoemigrate.orchestrator.inventory.ExportDisk;

/** The size in bytes the target serves an export with (the daemon asks its embedded target). */
@FunctionalInterface
public interface ExportSizes {

    long sizeBytes(ExportDisk export) throws IOException;
}
