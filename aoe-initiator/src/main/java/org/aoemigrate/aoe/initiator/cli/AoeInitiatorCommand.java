package org.aoemigrate.aoe.initiator.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.aoemigrate.cli.CommandFailure;
import org.aoemigrate.cli.CommandRunner;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code aoe-initiator}: the userspace AoE client on the command line. Each subcommand is a
 * class listed below; adding one (e.g. {@code attach}/{@code detach} for the FUSE
 * {@code /dev/etherd}) is one line in {@link #SUBCOMMANDS}.
 */
@Command(name = "aoe-initiator",
        mixinStandardHelpOptions = true,
        scope = ScopeType.INHERIT,
        versionProvider = AoeInitiatorCommand.Version.class,
        usageHelpAutoWidth = true,
        sortOptions = false,
        description = {
            "Talks ATA over Ethernet (AoE r11) from userspace over raw sockets: finds targets, reads and writes"
                    + " their disks, edits their config string, mask list and reservation, checks that a host sees"
                    + " the right disk, and measures throughput. Shows the Linux aoe driver's view like aoe-stat.",
            "",
            "Every command takes -i IFACE (repeatable). Without it, it uses every interface of this network"
                    + " namespace that is up, not loopback, and has a MAC. Raw sockets need root or CAP_NET_RAW.",
            "Results go to stdout (text, or JSON with --json); diagnostics to stderr.",
            "",
        },
        commandListHeading = "%nCommands:%n",
        exitCodeListHeading = "%nExit status:%n")
public final class AoeInitiatorCommand implements Runnable {

    static final CommandRunner RUNNER = CommandRunner.of("aoe-initiator", ExitStatus.values(), ExitStatus.USAGE,
            ExitStatus.SOFTWARE, FailureMapper::map);
    static final String PREFIX = RUNNER.prefix();

    /** The subcommands, in the order help lists them. */
    private static final List<Class<?>> SUBCOMMANDS = List.of(
            DiscoverCommand.class,
            StatCommand.class,
            IdentifyCommand.class,
            ReadCommand.class,
            WriteCommand.class,
            ConfigCommand.class,
            MaskCommand.class,
            ReserveCommand.class,
            CheckCommand.class,
            CheckAgentCommand.class,
            BenchCommand.class,
            AttachCommand.class,
            DetachCommand.class,
            AutoComplete.GenerateCompletion.class);

    @Spec
    CommandSpec spec;

    public static void main(String... args) {
        PrintWriter out = new PrintWriter(System.out, true, Charset.defaultCharset());
        PrintWriter err = new PrintWriter(System.err, true, Charset.defaultCharset());
        System.exit(run(out, err, args));
    }

    /** Runs the command line with results to {@code out}, diagnostics to {@code err}; returns the exit status. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return RUNNER.run(commandLine(args), out, err, args);
    }

    /**
     * The command tree for {@code args}. Picocli
     * builds each subcommand's model by reflection over its class, which is most of a short run's
     * start (the destination check runs before every migration): a command line that starts with a
     * subcommand's name gets that subcommand alone, any other (help, version, completion, a typo)
     * the whole tree.
     */
    static CommandLine commandLine(String... args) {
        CommandLine cli = new CommandLine(new AoeInitiatorCommand());
        Optional<Class<?>> named = SUBCOMMANDS.stream()
                .filter(c -> c != AutoComplete.GenerateCompletion.class && args.length > 0 && name(c).equals(args[0]))
                .findFirst();
        for (Class<?> c : SUBCOMMANDS) {
            if (named.isEmpty() || named.get() == c) {
                cli.addSubcommand(c);
            }
        }
        return cli;
    }

    private static String name(Class<?> subcommand) {
        return subcommand.getAnnotation(Command.class).name();
    }

    /** Without a subcommand: the usage. */
    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command, e.g. discover");
    }

    /** {@code --version}. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"aoe-initiator " + version() + " (aoemigrate; ATA over Ethernet protocol r11)"};
        }

        static String version() {
            Properties p = new Properties();
            try (InputStream in = AoeInitiatorCommand.class.getResourceAsStream("version.properties")) {
                if (in == null) {
                    return "(unknown: version.properties is missing; build with Maven)";
                }
                p.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return p.getProperty("version");
        }
    }
}
