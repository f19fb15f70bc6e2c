package org.aoemigrate.orchestrator.api;

import java.util.List;

/** {@code exports}: every export of the inventory, in address order. */
public record ExportsReport(List<ExportReport> exports) {

    public ExportsReport {
        exports = List.copyOf(exports);
    }
}
