package org.aoemigrate.orchestrator.cli;

import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** {@code --json} and {@code -v}: given before or after the command, they mean the same. */
public final class OutputOptions {

    @Option(names = "--json", scope = ScopeType.INHERIT,
            description = "Print the result as one JSON document on stdout (its fields: each command's --help); no progress bar.")
    boolean json;

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "More on stderr: every migration event, the socket used, stack traces of failures.")
    boolean verbose;
}
