package org.aoemigrate.orchestrator.inventory;

/**
 * An inventory that cannot be used. The message names the file and the line, then what is
 * wrong and what to write: {@code lab.yaml line 12: unknown key 'libvirt_uri' in host hostB;
 * known keys: aoe, exec, libvirtUri, maintenance, migrationUri}.
 */
public final class InventoryException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String source;
    private final int line;
    private final String problem;

    public InventoryException(String source, int line, String problem) {
        super(source + (line > 0 ? " line " + line : "") + ": " + problem);
        this.source = source;
        this.line = line;
        this.problem = problem;
    }

    public String source() {
        return source;
    }

    /** 1-based; 0 when the problem concerns the whole file. */
    public int line() {
        return line;
    }

    /** The message without file and line. */
    public String problem() {
        return problem;
    }
}
