package org.aoemigrate.aoe.target.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.aoemigrate.aoe.target.ExportSpec;
import org.aoemigrate.aoe.target.TargetServer;
import org.aoemigrate.aoe.target.TargetVersion;
import org.aoemigrate.aoe.target.config.ConfigException;
import org.aoemigrate.aoe.target.config.TargetConfig;
import org.aoemigrate.aoe.target.config.TargetConfigReader;
import org.aoemigrate.cli.CommandFailure;
import org.aoemigrate.cli.CommandRunner;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code aoe-target}: serves files and block devices as AoE disks, in the foreground, until
 * SIGTERM or SIGINT. Either one export in vblade's form, or many from a YAML file.
 */
@Command(name = "aoe-target",
        mixinStandardHelpOptions = true,
        versionProvider = AoeTargetCommand.Version.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        customSynopsis = {
            "@|bold aoe-target|@ [-drs] [-b BUFCNT] [-o OFFSET] [-l LENGTH] [-m MAC,...]",
            "                  [--state-dir DIR] [--probe-wait MS] SHELF SLOT NETIF FILE",
            "       @|bold aoe-target|@ --config FILE [--state-dir DIR] [--probe-wait MS]",
            "",
        },
        description = {
            "Serves FILE (an image or a block device) on NETIF as the ATA over Ethernet disk at SHELF"
                    + " and SLOT, like vblade and with its options; or serves every export listed in a YAML"
                    + " file (see examples/aoe-target.yaml).",
            "",
            "Before answering, it asks each segment whether another target already answers for its"
                    + " addresses, and refuses to start if one does. Then it logs one line per export to"
                    + " stderr and serves until SIGTERM or SIGINT, which stop it cleanly: requests in"
                    + " flight finish, the files are flushed and closed.",
            "",
            "Config strings, MAC mask lists, reservations and the IDENTIFY serial of each export persist"
                    + " in the state directory (one JSON file per export), so they survive a restart.",
            "",
        },
        exitCodeListHeading = "%nExit status:%n")
public final class AoeTargetCommand implements Callable<Integer> {

    /** Where export state lives unless --state-dir or the config file say otherwise. */
    public static final String DEFAULT_STATE_DIR = "/var/lib/aoe-target";

    private static final CommandRunner RUNNER = CommandRunner.of("aoe-target", ExitStatus.values(), ExitStatus.USAGE,
            ExitStatus.SOFTWARE, e -> e instanceof CommandFailure f ? f
                    : new CommandFailure(ExitStatus.SOFTWARE, "unexpected failure, please report it: " + e, e));

    @Mixin
    VbladeOptions vblade = new VbladeOptions();

    @Option(names = "--config", paramLabel = "FILE",
            description = "Serve the exports listed in this YAML file instead of SHELF SLOT NETIF FILE.")
    Path configFile;

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "Where export state persists (default: the config file's stateDir, else "
                    + DEFAULT_STATE_DIR + "). Created if missing.")
    Path stateDir;

    @Option(names = "--probe-wait", paramLabel = "MS",
            description = "How long to listen for another target on our addresses before serving"
                    + " (default: ${DEFAULT-VALUE} ms; 0 skips the check).")
    long probeWaitMillis = TargetServer.DEFAULT_DUPLICATE_CHECK.toMillis();

    private PrintWriter err;

    public static void main(String... args) {
        PrintWriter out = new PrintWriter(System.out, true, Charset.defaultCharset());
        PrintWriter err = new PrintWriter(System.err, true, Charset.defaultCharset());
        System.exit(run(out, err, args));
    }

    /**
     * Runs the command with its output going to {@code out} (help, version) and {@code err}
     * (everything else) and returns the exit status. A target that starts serves until the JVM
     * is told to stop, so this returns only for help, version and failures.
     */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        AoeTargetCommand command = new AoeTargetCommand();
        command.err = err;
        return RUNNER.run(new CommandLine(command), out, err, args);
    }

    @Override
    public Integer call() throws CommandFailure {
        if (probeWaitMillis < 0) {
            throw new CommandFailure(ExitStatus.USAGE, "--probe-wait " + probeWaitMillis
                    + " is negative; give milliseconds, or 0 to skip the check for another target");
        }
        List<ExportSpec> exports;
        Path state;
        if (configFile != null) {
            if (vblade.anyGiven()) {
                throw new CommandFailure(ExitStatus.USAGE, "--config takes the exports from the file;"
                        + " give either --config FILE or SHELF SLOT NETIF FILE with vblade's options, not both");
            }
            TargetConfig config = readConfig();
            exports = config.exports();
            state = stateDir != null ? stateDir : config.stateDirectory().orElse(Path.of(DEFAULT_STATE_DIR));
        } else {
            exports = List.of(vblade.toSpec());
            state = stateDir != null ? stateDir : Path.of(DEFAULT_STATE_DIR);
        }
        new ForegroundTarget(exports, state, Duration.ofMillis(probeWaitMillis), err).serveUntilStopped();
        return ExitStatus.OK.code();
    }

    private TargetConfig readConfig() throws CommandFailure {
        try {
            return TargetConfigReader.read(configFile);
        } catch (ConfigException e) {
            throw new CommandFailure(ExitStatus.CONFIG, e.getMessage(), e);
        } catch (IOException e) {
            throw new CommandFailure(ExitStatus.CONFIG, configFile + ": cannot read it: " + e.getMessage(), e);
        }
    }

    /** {@code --version}. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {
                "aoe-target " + TargetVersion.VERSION + " (aoemigrate; ATA over Ethernet protocol r11)",
                "IDENTIFY firmware " + TargetVersion.FIRMWARE_STRING + ", Query Config firmware 0x"
                        + String.format("%04x", TargetVersion.FIRMWARE_CODE),
            };
        }
    }
}
