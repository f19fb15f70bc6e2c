package org.aoemigrate.orchestrator.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.aoemigrate.orchestrator.api.ApiClient;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * What every subcommand shares: the root's inherited options ({@code --config}, {@code --socket},
 * {@code --json}, {@code -v}), and where results (stdout) and diagnostics (stderr) go. A
 * subcommand returns its exit status and throws on failure; the root maps what it throws.
 */
abstract class AoemigrateSubcommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @ParentCommand
    AoemigrateCommand root;

    @Override
    public final Integer call() throws Exception {
        return execute().code();
    }

    protected abstract ExitStatus execute() throws Exception;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    boolean json() {
        return root.output.json;
    }

    ApiClient client() throws Exception {
        ApiClient c = root.client.client();
        verbose("daemon socket " + c.socket());
        return c;
    }

    void printJson(Object value) {
        Json.print(out(), value);
    }

    void verbose(String line) {
        if (root.output.verbose) {
            err().println(AoemigrateCommand.PREFIX + line);
        }
    }
}
