package org.aoemigrate.aoe.target.config;

/**
 * A config file that cannot be used. The message names the file and the line, then says what is
 * wrong and what to write instead: {@code targets.yaml line 7: unknown key 'shelff' in export 2;
 * known keys: shelf, slot, ...}. The orchestrator's inventory errors are of this kind too.
 */
public class ConfigException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String source;
    private final int line;
    private final String problem;

    public ConfigException(String source, int line, String problem) {
        super(source + (line > 0 ? " line " + line : "") + ": " + problem);
        this.source = source;
        this.line = line;
        this.problem = problem;
    }

    /** The file as the operator named it. */
    public String source() {
        return source;
    }

    /** The 1-based line the problem is on, or 0 when it concerns the whole file. */
    public int line() {
        return line;
    }

    /** The message without the file and line. */
    public String problem() {
        return problem;
    }
}
