package org.aoemigrate.aoe.target.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.aoemigrate.aoe.target.ExportSpec;

/**
 * What an {@code aoe-target --config FILE} serves: its exports, each on its own address, and
 * where their state lives if the file says so (the {@code --state-dir} option wins over it).
 */
public record TargetConfig(Optional<Path> stateDirectory, List<ExportSpec> exports) {

    public TargetConfig {
        exports = List.copyOf(exports);
    }
}
