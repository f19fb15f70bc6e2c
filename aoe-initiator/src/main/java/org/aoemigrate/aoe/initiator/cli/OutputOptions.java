package org.aoemigrate.aoe.initiator.cli;

import picocli.CommandLine.Option;

/** {@code --json} and {@code -v}, shared by every command. */
public final class OutputOptions {

    @Option(names = "--json", description = "Print the result as one JSON document on stdout instead of text.")
    boolean json;

    @Option(names = {"-v", "--verbose"}, description = "Print diagnostics (paths, counters, timings) on stderr.")
    boolean verbose;
}
