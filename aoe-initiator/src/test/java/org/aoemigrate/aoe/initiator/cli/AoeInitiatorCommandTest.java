package org.aoemigrate.aoe.initiator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AoeInitiatorCommandTest {

    static final List<String> COMMANDS = List.of("discover", "stat", "identify", "read", "write", "config", "mask",
            "reserve", "check", "bench", "generate-completion");

    @Test
    void helpListsEveryCommandAndTheExitStatuses() {
        CliRun run = CliRun.of("--help");

        assertThat(run.status()).isZero();
        for (String command : COMMANDS) {
            assertThat(run.out()).contains("  " + command + " ");
        }
        for (ExitStatus s : ExitStatus.values()) {
            assertThat(run.out()).contains(String.format("%3d   ", s.code()));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"discover", "stat", "identify", "read", "write", "config", "mask", "reserve", "check", "bench"})
    void everyCommandHasHelpWithExitStatusesAndTheSharedOptions(String command) {
        CliRun run = CliRun.of(command, "--help");

        assertThat(run.status()).isZero();
        assertThat(run.out()).contains("Usage: aoe-initiator " + command)
                .contains("-i, --interface=IFACE").contains("--json").contains("-v, --verbose")
                .contains("-V, --version").contains("Exit status:").contains("8   check: at least one part failed");
    }

    @Test
    void aCommandLineNamingACommandBuildsThatCommandAloneAnyOtherTheWholeTree() {
        assertThat(AoeInitiatorCommand.commandLine("check", "e1.0", "--expect-id", "vm1").getSubcommands())
                .containsOnlyKeys("check");
        assertThat(AoeInitiatorCommand.commandLine("--help").getSubcommands()).containsKeys(COMMANDS.toArray(String[]::new));
        assertThat(AoeInitiatorCommand.commandLine("chekc").getSubcommands()).containsKeys(COMMANDS.toArray(String[]::new));
        assertThat(AoeInitiatorCommand.commandLine("generate-completion").getSubcommands())
                .containsKeys(COMMANDS.toArray(String[]::new));
    }

    @Test
    void versionNamesTheProjectVersion() {
        CliRun run = CliRun.of("identify", "--version");

        assertThat(run.status()).isZero();
        assertThat(run.out()).startsWith("aoe-initiator ").contains("ATA over Ethernet protocol r11");
    }

    @Test
    void aMalformedAddressIsAUsageErrorThatSaysWhatToWrite() {
        CliRun run = CliRun.of("identify", "disk1", "-i", "lo");

        assertThat(run.status()).isEqualTo(ExitStatus.USAGE.code());
        assertThat(run.err()).contains("'disk1' is not an AoE address; write eSHELF.SLOT, e.g. e1.0")
                .contains("see aoe-initiator identify --help");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void checkNeedsAnExpectedId() {
        CliRun run = CliRun.of("check", "e1.0", "-i", "lo");

        assertThat(run.status()).isEqualTo(ExitStatus.USAGE.code());
        assertThat(run.err()).contains("--expect-id");
    }

    @Test
    void aBadExportIdIsRefusedBeforeAnythingIsSent() {
        CliRun run = CliRun.of("check", "e1.0", "--expect-id", "two words", "-i", "lo");

        assertThat(run.status()).isEqualTo(ExitStatus.USAGE.code());
        assertThat(run.err()).contains("e1.0: export id 'two words' is not 1 to 1021 printable ASCII characters");
    }

    @Test
    void readOffsetsMustBeWholeSectors() {
        CliRun run = CliRun.of("read", "e1.0", "--offset", "100", "--length", "4k", "--out", "/dev/null", "-i", "lo");

        assertThat(run.status()).isEqualTo(ExitStatus.USAGE.code());
        assertThat(run.err()).contains("e1.0: --offset 100 is not a whole number of 512-byte sectors");
    }

    @Test
    void reserveRefusesSetAndReleaseTogether() {
        CliRun run = CliRun.of("reserve", "e1.0", "--set", "02:00:00:00:00:01", "--release", "-i", "lo");

        assertThat(run.status()).isEqualTo(ExitStatus.USAGE.code());
        assertThat(run.err()).contains("give --set MAC,... or --release, not both");
    }

    @Test
    void configTakesOneActionAtATime() {
        CliRun run = CliRun.of("config", "e1.0", "--set", "a", "--test", "b", "-i", "lo");

        assertThat(run.status()).isEqualTo(ExitStatus.USAGE.code());
        assertThat(run.err()).contains("mutually exclusive");
    }

    @Test
    void generatesABashCompletionScript() {
        CliRun run = CliRun.of("generate-completion");

        assertThat(run.status()).isZero();
        assertThat(run.out()).contains("complete").contains("aoe-initiator").contains("check").contains("--expect-id");
    }

    @Test
    void withoutACommandItSaysToNameOne() {
        CliRun run = CliRun.of();

        assertThat(run.status()).isEqualTo(ExitStatus.USAGE.code());
        assertThat(run.err()).contains("name a command, e.g. discover");
    }

    @Test
    void byteSizesTakeBinarySuffixes() {
        assertThat(Converters.parseBytes("4096")).isEqualTo(4096);
        assertThat(Converters.parseBytes("4k")).isEqualTo(4096);
        assertThat(Converters.parseBytes("64M")).isEqualTo(64L << 20);
        assertThat(Converters.parseBytes("2GiB")).isEqualTo(2L << 30);
        assertThat(Converters.parseBytes("1T")).isEqualTo(1L << 40);
    }
}
