package org.aoemigrate.aoe.target.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The command's answers to what an operator types, through {@code run(out, err, args)}. Every
 * refusal here happens before the target touches the network.
 */
class AoeTargetCommandTest {

    @TempDir
    Path dir;

    private Path image;

    /** What one run printed and returned. */
    record Outcome(int status, String out, String err) {
        /** The single line a refusal prints. */
        String errLine() {
            assertThat(err.lines()).as("stderr of a refusal is one line: %s", err).hasSize(1);
            return err.lines().findFirst().orElseThrow();
        }
    }

    private static Outcome run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = AoeTargetCommand.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Outcome(status, out.toString(), err.toString());
    }

    @BeforeEach
    void image() throws IOException {
        image = dir.resolve("disk.img");
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.setLength(1024 * 512); // 1024 sectors
        }
    }

    /** A vblade-form command line on {@link #image}, with extra options first. */
    private String[] vblade(String shelf, String slot, String... options) {
        List<String> args = new ArrayList<>(List.of(options));
        args.addAll(List.of("--state-dir", dir.resolve("state").toString(), shelf, slot, "vT", image.toString()));
        return args.toArray(String[]::new);
    }

    @Nested
    class HelpAndVersion {

        @Test
        void helpShowsBothFormsTheStateDirectoryAndTheExitStatuses() {
            Outcome o = run("--help");
            assertThat(o.status()).isZero();
            assertThat(o.err()).isEmpty();
            assertThat(o.out())
                    .contains("aoe-target [-drs] [-b BUFCNT] [-o OFFSET] [-l LENGTH] [-m MAC,...]")
                    .contains("SHELF SLOT NETIF FILE")
                    .contains("aoe-target --config FILE")
                    .contains("/var/lib/aoe-target")
                    .contains("Exit status:")
                    .contains("  7   Another target already answers")
                    .contains("143   Stopped by SIGTERM");
            for (ExitStatus s : ExitStatus.values()) {
                assertThat(o.out()).contains(String.format("%3d   ", s.code()));
            }
        }

        @Test
        void versionNamesTheProjectVersion() {
            Outcome o = run("--version");
            assertThat(o.status()).isZero();
            assertThat(o.out()).startsWith("aoe-target 0.").contains("r11");
        }
    }

    @Nested
    class RefusesAddresses {

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
            "4095  | 0   | shelf 4095 is reserved (Linux rejects it as all ones); use 0-4094 or 4096-65534",
            "65535 | 0   | shelf 65535 is the broadcast shelf (it addresses every shelf); use 0-4094 or 4096-65534",
            "70000 | 1   | shelf 70000 is outside the 16-bit shelf field; use 0-4094 or 4096-65534",
            "1     | 255 | slot 255 is the broadcast slot (it addresses every slot); use 0-254",
            "1     | 256 | slot 256 is outside the 8-bit slot field; use 0-254",
            "abc   | 1   | shelf 'abc' is not a number; give it in decimal, e.g. 1",
            "1     | x1  | slot 'x1' is not a number; give it in decimal, e.g. 1",
        })
        void withTheAllowedRangeAndWhy(String shelf, String slot, String message) {
            Outcome o = run(vblade(shelf, slot));
            assertThat(o.status()).isEqualTo(ExitStatus.USAGE.code());
            assertThat(o.errLine()).isEqualTo("aoe-target: " + message);
        }

        @Test
        void aNegativeShelf() {
            Outcome o = run(vblade("-1", "1"));
            assertThat(o.status()).isEqualTo(ExitStatus.USAGE.code());
            assertThat(o.errLine()).startsWith("aoe-target: ").contains("-1");
        }
    }

    @Nested
    class RefusesArguments {

        @Test
        void noArgumentsAtAll() {
            Outcome o = run();
            assertThat(o.status()).isEqualTo(ExitStatus.USAGE.code());
            assertThat(o.errLine()).isEqualTo(
                    "aoe-target: give SHELF SLOT NETIF FILE (like vblade), or --config FILE; see aoe-target --help");
        }

        @Test
        void tooFewPositionals() {
            Outcome o = run("1", "1", "vT");
            assertThat(o.status()).isEqualTo(ExitStatus.USAGE.code());
            assertThat(o.errLine()).startsWith("aoe-target: give SHELF SLOT NETIF FILE");
        }

        @Test
        void tooManyPositionals() {
            Outcome o = run("1", "1", "vT", image.toString(), "extra");
            assertThat(o.status()).isEqualTo(ExitStatus.USAGE.code());
            assertThat(o.errLine()).isEqualTo("aoe-target: Unmatched argument at index 4: 'extra' (see aoe-target --help)");
        }

        @Test
        void anUnknownOption() {
            Outcome o = run(vblade("1", "1", "-x"));
            assertThat(o.status()).isEqualTo(ExitStatus.USAGE.code());
            assertThat(o.errLine()).isEqualTo("aoe-target: Unknown option: '-x' (see aoe-target --help)");
        }

        @Test
        void aBadMacWithItsPosition() {
            Outcome o = run(vblade("1", "1", "-m", "02:00:00:00:00:01,zz,02:00:00:00:00:03"));
            assertThat(o.status()).isEqualTo(ExitStatus.USAGE.code());
            assertThat(o.errLine()).isEqualTo("aoe-target: -m entry 2 of 3: 'zz' is not a MAC address;"
                    + " write six hex bytes, e.g. 02:00:00:00:00:0a");
        }

        @Test
        void aBufferCountOfZero() {
            Outcome o = run(vblade("1", "1", "-b", "0"));
            assertThat(o.status()).isEqualTo(ExitStatus.USAGE.code());
            assertThat(o.errLine()).isEqualTo("aoe-target: e1.1: buffer count 0 is outside 1-65535 (a 16-bit Query Config field)");
        }

        @Test
        void aBufferCountThatIsNotANumber() {
            Outcome o = run(vblade("1", "1", "-b", "many"));
            assertThat(o.status()).isEqualTo(ExitStatus.USAGE.code());
            assertThat(o.errLine()).startsWith("aoe-target: Invalid value for option '-b': 'many' is not an int");
        }

        @Test
        void aNegativeOffset() {
            Outcome o = run(vblade("1", "1", "-o", "-5"));
            assertThat(o.status()).isEqualTo(ExitStatus.USAGE.code());
            assertThat(o.errLine()).isEqualTo("aoe-target: e1.1: offset -5 sectors is negative; use 0 or more");
        }

        @Test
        void aZeroLength() {
            Outcome o = run(vblade("1", "1", "-l", "0"));
            assertThat(o.status()).isEqualTo(ExitStatus.USAGE.code());
            assertThat(o.errLine()).startsWith("aoe-target: e1.1: length 0 sectors exports nothing");
        }

        @Test
        void anEmptyInterfaceInTheList() {
            Outcome o = run("--state-dir", dir.toString(), "1", "1", "vT,", image.toString());
            assertThat(o.status()).isEqualTo(ExitStatus.USAGE.code());
            assertThat(o.errLine()).isEqualTo("aoe-target: NETIF 'vT,' has an empty interface name;"
                    + " write eth1, or eth1,eth2 for multipath");
        }

        @Test
        void theSameInterfaceTwice() {
            Outcome o = run("--state-dir", dir.toString(), "1", "1", "vT,vT", image.toString());
            assertThat(o.status()).isEqualTo(ExitStatus.USAGE.code());
            assertThat(o.errLine()).isEqualTo("aoe-target: e1.1: interfaces [vT, vT] name one twice; name each once");
        }

        @Test
        void aNegativeProbeWait() {
            Outcome o = run(vblade("1", "1", "--probe-wait", "-1"));
            assertThat(o.status()).isEqualTo(ExitStatus.USAGE.code());
            assertThat(o.errLine()).startsWith("aoe-target: --probe-wait -1 is negative");
        }

        @Test
        void configTogetherWithTheVbladeForm() throws IOException {
            Path config = Files.writeString(dir.resolve("t.yaml"), "exports: []\n");
            Outcome o = run("--config", config.toString(), "1", "1", "vT", image.toString());
            assertThat(o.status()).isEqualTo(ExitStatus.USAGE.code());
            assertThat(o.errLine()).startsWith("aoe-target: --config takes the exports from the file;");
        }
    }

    @Nested
    class RefusesFiles {

        @Test
        void aMissingFile() {
            Path missing = dir.resolve("nope.img");
            Outcome o = run("--state-dir", dir.toString(), "1", "1", "vT", missing.toString());
            assertThat(o.status()).isEqualTo(ExitStatus.EXPORT.code());
            assertThat(o.errLine()).isEqualTo("aoe-target: e1.1: " + missing
                    + ": no such file or device; create the image first (e.g. truncate -s 10G " + missing + ")");
        }

        @Test
        void anOffsetBeyondTheFile() {
            Outcome o = run(vblade("1", "1", "-o", "1024"));
            assertThat(o.status()).isEqualTo(ExitStatus.EXPORT.code());
            assertThat(o.errLine()).isEqualTo("aoe-target: e1.1: offset 1024 sectors is at or beyond the end of "
                    + image + " (1024 sectors); use an offset below 1024");
        }

        @Test
        void aLengthBeyondTheFile() {
            Outcome o = run(vblade("1", "1", "-o", "24", "-l", "1001"));
            assertThat(o.status()).isEqualTo(ExitStatus.EXPORT.code());
            assertThat(o.errLine()).isEqualTo("aoe-target: e1.1: length 1001 sectors goes beyond the end of " + image
                    + ": it has 1024 sectors, so after offset 24 at most 1000 remain; use a length of at most 1000");
        }
    }

    @Nested
    class RefusesConfigFiles {

        @Test
        void aMissingConfigFile() {
            Path missing = dir.resolve("targets.yaml");
            Outcome o = run("--config", missing.toString());
            assertThat(o.status()).isEqualTo(ExitStatus.CONFIG.code());
            assertThat(o.errLine()).isEqualTo("aoe-target: " + missing
                    + ": no such file; give the path of an existing YAML config (examples/aoe-target.yaml shows one)");
        }

        @Test
        void anUnknownKeyWithItsLine() throws IOException {
            Path config = Files.writeString(dir.resolve("targets.yaml"), """
                    exports:
                      - shelf: 1
                        slot: 1
                        path: disk.img
                        interfaces: [vT]
                        readonly: true
                    """);
            Outcome o = run("--config", config.toString());
            assertThat(o.status()).isEqualTo(ExitStatus.CONFIG.code());
            assertThat(o.errLine()).startsWith("aoe-target: " + config
                    + " line 6: unknown key 'readonly' in export 1 (did you mean 'readOnly'?); known keys: shelf,");
        }

        @Test
        void aMissingFileNamedByTheConfig() throws IOException {
            Path config = Files.writeString(dir.resolve("targets.yaml"), """
                    exports:
                      - {shelf: 1, slot: 1, path: disk.img, interfaces: [vT]}
                      - {shelf: 1, slot: 2, path: other.img, interfaces: [vT]}
                    """);
            Outcome o = run("--config", config.toString(), "--state-dir", dir.resolve("state").toString());
            assertThat(o.status()).isEqualTo(ExitStatus.EXPORT.code());
            assertThat(o.errLine()).startsWith("aoe-target: e1.2: " + dir.resolve("other.img") + ": no such file");
        }
    }
}
