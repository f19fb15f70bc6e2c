package org.aoemigrate.aoe.initiator.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What every subcommand shares: {@code -i}, {@code --json}, {@code -v}, and where its results
 * (stdout) and diagnostics (stderr) go. A subcommand implements {@link #execute()} and throws
 * on failure; the root command maps what it throws to a message and an exit status.
 */
abstract class AoeSubcommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    InterfaceOptions interfaces;

    @Mixin
    OutputOptions output;

    @Override
    public final Integer call() throws Exception {
        return execute().code();
    }

    /** Does the work and returns the exit status; failures are thrown. */
    abstract ExitStatus execute() throws Exception;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    boolean json() {
        return output.json;
    }

    /** Prints {@code value} as JSON on stdout. */
    void printJson(Object value) {
        Json.print(out(), value);
    }

    /** A diagnostic line on stderr, shown only with {@code -v}. */
    void verbose(String line) {
        if (output.verbose) {
            err().println(AoeInitiatorCommand.PREFIX + line);
        }
    }

    List<String> interfaceNames() throws CommandFailure {
        return interfaces.resolve();
    }
}
