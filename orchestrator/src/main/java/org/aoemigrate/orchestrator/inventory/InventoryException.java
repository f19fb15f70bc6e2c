package org.aoemigrate.orchestrator.inventory;

import org.aoemigrate.aoe.target.config.ConfigException;

/**
 * An inventory that cannot be used. The message names the file and the line, then what is
 * wrong and what to write: {@code lab.yaml line 12: unknown key 'libvirt_uri' in host hostB;
 * known keys: aoe, exec, libvirtUri, maintenance, migrationUri}.
 */
public final class InventoryException extends ConfigException {

    private static final long serialVersionUID = 1L;

    public InventoryException(String source, int line, String problem) {
        super(source, line, problem);
    }
}
