package org.aoemigrate.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import picocli.CommandLine;

/**
 * Runs a picocli command tree the way every aoemigrate tool does: results to {@code out},
 * diagnostics to {@code err}, each line of them starting with the tool's name; a bad argument
 * gives the usage status and a pointer to the command's {@code --help}; a failure is one line
 * with the status the tool's mapper gives it, and a stack trace only for a bug (or when the
 * command line asks for one); every command's {@code --help} ends with the tool's exit statuses.
 */
public final class CommandRunner {

    private final String tool;
    private final List<ExitCode> codes;
    private final ExitCode usage;
    private final ExitCode bug;
    private final Function<Exception, CommandFailure> mapper;
    private final Predicate<CommandLine> verbose;

    private CommandRunner(String tool, List<ExitCode> codes, ExitCode usage, ExitCode bug,
            Function<Exception, CommandFailure> mapper, Predicate<CommandLine> verbose) {
        this.tool = tool;
        this.codes = codes;
        this.usage = usage;
        this.bug = bug;
        this.mapper = mapper;
        this.verbose = verbose;
    }

    /**
     * @param tool   the command's name, the prefix of every diagnostic
     * @param codes  every exit status, in the order {@code --help} lists them
     * @param usage  the status of a bad argument
     * @param bug    the status of an unforeseen failure: its stack trace is printed
     * @param mapper what a command threw, as the failure to report (a {@link CommandFailure} as it is)
     */
    public static CommandRunner of(String tool, ExitCode[] codes, ExitCode usage, ExitCode bug,
            Function<Exception, CommandFailure> mapper) {
        return new CommandRunner(tool, List.of(codes), usage, bug, mapper, cli -> false);
    }

    /** Also prints the stack trace of a foreseen failure when {@code verbose} holds for the root command line. */
    public CommandRunner withStackTraceWhen(Predicate<CommandLine> verbose) {
        return new CommandRunner(tool, codes, usage, bug, mapper, verbose);
    }

    /** Runs {@code args} on {@code cli} (already holding the subcommands it needs); returns the exit status. */
    public int run(CommandLine cli, PrintWriter out, PrintWriter err, String... args) {
        cli.setOut(out);
        cli.setErr(err);
        listExitCodes(cli);
        cli.setParameterExceptionHandler((e, arguments) -> {
            err.println(prefix() + e.getMessage() + " (see " + e.getCommandLine().getCommandSpec().qualifiedName()
                    + " --help)");
            return usage.code();
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            CommandFailure f = mapper.apply(e);
            err.println(prefix() + f.getMessage());
            if (f.status() == bug || verbose.test(commandLine.getCommandSpec().root().commandLine())) {
                e.printStackTrace(err);
            }
            return f.status().code();
        });
        try {
            return cli.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** The prefix of every diagnostic line, {@code "aoemigrate: "}. */
    public String prefix() {
        return tool + ": ";
    }

    private void listExitCodes(CommandLine cli) {
        cli.getCommandSpec().usageMessage().exitCodeListHeading("%nExit status:%n").exitCodeList(helpTable());
        cli.getSubcommands().values().forEach(this::listExitCodes);
    }

    /** Code to meaning, as picocli's exit code list takes them. */
    Map<String, String> helpTable() {
        Map<String, String> table = new LinkedHashMap<>();
        for (ExitCode c : codes) {
            table.put(String.format("%3d", c.code()), c.meaning());
        }
        return table;
    }
}
