package org.aoemigrate.orchestrator.cli;

import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.aoemigrate.aoe.target.TargetVersion;
import org.aoemigrate.cli.CommandFailure;
import org.aoemigrate.cli.CommandRunner;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code aoemigrate}: moves running guests between hypervisors ({@code aoemigrate vm1 hostB}),
 * and asks the daemon what it knows. Every command but {@code daemon} is a client of the
 * daemon's local API; it knows nothing of the engine. Each subcommand is a class listed below.
 */
@Command(name = "aoemigrate",
        mixinStandardHelpOptions = true,
        scope = ScopeType.INHERIT,
        versionProvider = AoemigrateCommand.Version.class,
        usageHelpAutoWidth = true,
        sortOptions = false,
        description = {
            "Live-migrates libvirt/KVM guests whose disks are AoE exports (/dev/etherd/eS.L) between hypervisors:"
                    + " preflight checks (the destination's initiator must see the same disk), reservation of the disks"
                    + " to source and destination, libvirt peer-to-peer migration with progress, then a fence so only"
                    + " the destination may write.",
            "",
            "The daemon ('aoemigrate daemon') serves the exports and runs the migrations; every other command asks"
                    + " it over its socket, STATE_DIR/api/aoemigrate.sock (owner-only), found from the inventory"
                    + " (--config) or given with --socket.",
            "Results go to stdout (text, or JSON with --json); diagnostics and the progress bar (on a terminal"
                    + " only) to stderr.",
            "",
        },
        commandListHeading = "%nCommands:%n")
public final class AoemigrateCommand implements Callable<Integer> {

    /** The subcommands, in the order help lists them. */
    private static final List<Class<?>> SUBCOMMANDS = List.of(
            MigrateCommand.class,
            CheckCommand.class,
            StatusCommand.class,
            AbortCommand.class,
            HistoryCommand.class,
            RecoverCommand.class,
            DrainCommand.class,
            UndrainCommand.class,
            RebalanceCommand.class,
            ExportsCommand.class,
            DaemonCommand.class,
            AutoComplete.GenerateCompletion.class);
    /** Help lists the subcommands. */
    private static final Set<String> HELP_WORDS = Set.of("-h", "--help");

    static final CommandRunner RUNNER = CommandRunner.of("aoemigrate", ExitStatus.values(), ExitStatus.USAGE,
            ExitStatus.SOFTWARE, FailureMapper::map).withStackTraceWhen(root -> ((AoemigrateCommand) root.getCommand()).output.verbose);
    static final String PREFIX = RUNNER.prefix();

    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions client;

    @Mixin
    OutputOptions output;

    @Mixin
    MigrationOptions migration;

    @Parameters(index = "0", arity = "0..1", paramLabel = "VM", description = "The guest (libvirt domain name) to move.")
    String guest;

    @Parameters(index = "1", arity = "0..1", paramLabel = "HOST", description = "The inventory name of the destination.")
    String destination;

    /** Set by {@link #main}: draw a progress bar only when stderr is a terminal. */
    private final boolean terminal;

    AoemigrateCommand(boolean terminal) {
        this.terminal = terminal;
    }

    public static void main(String... args) {
        ClientWarmUp.start();
        PrintWriter out = new PrintWriter(System.out, true, Charset.defaultCharset());
        PrintWriter err = new PrintWriter(System.err, true, Charset.defaultCharset());
        System.exit(run(System.console() != null, out, err, args));
    }

    /** Runs the command line as from a pipe (no terminal, so no progress bar); returns the exit status. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return run(false, out, err, args);
    }

    static int run(boolean terminal, PrintWriter out, PrintWriter err, String... args) {
        return RUNNER.run(commandLine(terminal, args), out, err, args);
    }

    /**
     * The command tree for {@code args}. The
     * two-form synopsis is set here, on the root only: annotated, it would be inherited by every
     * subcommand. Picocli builds each subcommand's model by reflection over its class, a good part
     * of a short run's start: a command line in which no word is a subcommand's name (the headline
     * {@code aoemigrate VM HOST}) and that asks for no help gets the root alone, which parses it
     * as the whole tree would.
     */
    static CommandLine commandLine(boolean terminal, String... args) {
        CommandLine cli = new CommandLine(new AoemigrateCommand(terminal));
        if (needsSubcommands(args)) {
            SUBCOMMANDS.forEach(cli::addSubcommand);
        }
        cli.getCommandSpec().usageMessage().customSynopsis(
                "aoemigrate [OPTIONS] VM HOST    move VM to HOST (= migrate VM HOST)",
                "       aoemigrate [OPTIONS] COMMAND [ARGS...]");
        // the help and the inventory spell modes in lower case (--cutover fenced)
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        return cli;
    }

    private static boolean needsSubcommands(String... args) {
        Set<String> names = SUBCOMMANDS.stream().map(c -> c.getAnnotation(Command.class).name()).collect(Collectors.toSet());
        return Arrays.stream(args).anyMatch(a -> names.contains(a) || HELP_WORDS.contains(a));
    }

    boolean terminal() {
        return terminal;
    }

    /** {@code aoemigrate VM HOST}; with neither, the usage. */
    @Override
    public Integer call() throws Exception {
        if (guest == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "name a guest and a host (aoemigrate vm1 hostB)"
                    + " or a command (aoemigrate status)");
        }
        if (destination == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "'" + guest + "' is not a command; to move a"
                    + " guest, name the destination too: aoemigrate " + guest + " HOST");
        }
        return new MigrationSession(this, spec.commandLine().getOut(), spec.commandLine().getErr())
                .migrate(guest, destination, migration.cutover()).code();
    }

    /** {@code --version}. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"aoemigrate " + TargetVersion.VERSION};
        }
    }
}
