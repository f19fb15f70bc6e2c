package org.aoemigrate.aoe.target.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.aoemigrate.aoe.target.ExportAddress;
import org.aoemigrate.aoe.target.ExportSpec;
import org.aoemigrate.aoe.target.IoMode;
import org.aoemigrate.aoe.wire.MacAddress;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TargetConfigReaderTest {

    private static final Path BASE = Path.of("/etc/aoe");

    private static TargetConfig parse(String yaml) throws Exception {
        return TargetConfigReader.parse("targets.yaml", new StringReader(yaml), BASE);
    }

    private static String problem(String yaml) {
        try {
            parse(yaml);
        } catch (ConfigException e) {
            return e.getMessage();
        } catch (Exception e) {
            throw new AssertionError("expected a ConfigException, got " + e, e);
        }
        throw new AssertionError("the config was accepted:\n" + yaml);
    }

    @Nested
    class Accepts {

        @Test
        void everyKeyOfAnExport() throws Exception {
            TargetConfig c = parse("""
                    stateDir: /var/lib/aoe-target
                    exports:
                      - shelf: 1
                        slot: 2
                        path: /srv/vm1.img
                        interfaces: [eth1, eth2]
                        ioMode: sync
                        readOnly: true
                        offset: 8
                        length: 2048
                        bufferCount: 64
                        masks: ["02:00:00:00:00:0a", 020000000b0C]
                        config: vm1
                    """);
            assertThat(c.stateDirectory()).contains(Path.of("/var/lib/aoe-target"));
            assertThat(c.exports()).containsExactly(new ExportSpec(new ExportAddress(1, 2), Path.of("/srv/vm1.img"), 8,
                    OptionalLong.of(2048), true, IoMode.SYNC, List.of("eth1", "eth2"),
                    List.of(MacAddress.parse("02:00:00:00:00:0a"), MacAddress.parse("02:00:00:00:0b:0c")),
                    Optional.of("vm1"), 64));
        }

        @Test
        void onlyTheRequiredKeysAndGivesVbladeDefaults() throws Exception {
            TargetConfig c = parse("""
                    exports:
                      - {shelf: 0, slot: 0, path: disk.img, interfaces: vT}
                    """);
            assertThat(c.stateDirectory()).isEmpty();
            assertThat(c.exports()).containsExactly(
                    ExportSpec.builder(new ExportAddress(0, 0), BASE.resolve("disk.img"), "vT").build());
            assertThat(c.exports().get(0).bufferCount()).isEqualTo(ExportSpec.DEFAULT_BUFFER_COUNT);
            assertThat(c.exports().get(0).ioMode()).isEqualTo(IoMode.BUFFERED);
        }

        @Test
        void interfacesAsACommaSeparatedStringLikeTheCommandLine() throws Exception {
            TargetConfig c = parse("""
                    exports:
                      - {shelf: 1, slot: 1, path: /d, interfaces: "vT, vT2"}
                    """);
            assertThat(c.exports().get(0).interfaces()).containsExactly("vT", "vT2");
        }

        @Test
        void relativePathsFromTheConfigFilesDirectory(@TempDir Path dir) throws Exception {
            Path file = dir.resolve("targets.yaml");
            Files.writeString(file, """
                    stateDir: state
                    exports:
                      - {shelf: 1, slot: 1, path: images/a.img, interfaces: [vT]}
                    """);
            TargetConfig c = TargetConfigReader.read(file);
            assertThat(c.stateDirectory()).contains(dir.resolve("state"));
            assertThat(c.exports().get(0).path()).isEqualTo(dir.resolve("images/a.img"));
        }

        @Test
        void manyExportsInOrder() throws Exception {
            TargetConfig c = parse("""
                    exports:
                      - {shelf: 1, slot: 0, path: /a, interfaces: [vT]}
                      - {shelf: 1, slot: 1, path: /b, interfaces: [vT]}
                      - {shelf: 2, slot: 0, path: /c, interfaces: [vT2]}
                    """);
            assertThat(c.exports()).extracting(e -> e.address().toString()).containsExactly("e1.0", "e1.1", "e2.0");
        }

        @Test
        void ioModeInAnyCase() throws Exception {
            TargetConfig c = parse("""
                    exports:
                      - {shelf: 1, slot: 0, path: /a, interfaces: [vT], ioMode: DIRECT}
                    """);
            assertThat(c.exports().get(0).ioMode()).isEqualTo(IoMode.DIRECT);
        }

        @Test
        void theShippedExample() throws Exception {
            // tests run in the module directory
            TargetConfig c = TargetConfigReader.read(Path.of("../examples/aoe-target.yaml"));
            assertThat(c.exports()).extracting(e -> e.address().toString()).containsExactly("e1.0", "e1.1", "e2.0");
        }
    }

    @Nested
    class Refuses {

        @Test
        void anUnknownKeyWithItsLineTheKnownKeysAndASuggestion() {
            assertThat(problem("""
                    exports:
                      - shelf: 1
                        slot: 0
                        path: /a
                        interfaces: [vT]
                      - slot: 1
                        shelff: 1
                        path: /b
                        interfaces: [vT]
                    """)).isEqualTo("targets.yaml line 7: unknown key 'shelff' in export 2 (did you mean 'shelf'?);"
                    + " known keys: shelf, slot, path, interfaces, ioMode, readOnly, offset, length, bufferCount, masks, config");
        }

        @Test
        void anUnknownTopLevelKey() {
            assertThat(problem("""
                    statedir: /x
                    exports: []
                    """)).isEqualTo("targets.yaml line 1: unknown key 'statedir' in the top level (did you mean 'stateDir'?);"
                    + " known keys: stateDir, exports");
        }

        @Test
        void aKeyGivenTwice() {
            assertThat(problem("""
                    exports:
                      - shelf: 1
                        slot: 0
                        slot: 1
                        path: /a
                        interfaces: [vT]
                    """)).isEqualTo("targets.yaml line 4: key 'slot' appears again (first on line 3); give each key once");
        }

        @Test
        void twoExportsOnOneAddress() {
            assertThat(problem("""
                    exports:
                      - {shelf: 1, slot: 1, path: /a, interfaces: [vT]}
                      - {shelf: 2, slot: 1, path: /b, interfaces: [vT]}
                      - {shelf: 1, slot: 1, path: /c, interfaces: [vT2]}
                    """)).isEqualTo("targets.yaml line 4: export 3 is e1.1, which export 1 (line 2) already serves;"
                    + " give each export its own shelf and slot");
        }

        @Test
        void aReservedShelfOnTheShelfLine() {
            assertThat(problem("""
                    exports:
                      - slot: 0
                        shelf: 4095
                        path: /a
                        interfaces: [vT]
                    """)).isEqualTo("targets.yaml line 3: 'shelf' in export 1 is invalid: shelf 4095 is reserved"
                    + " (Linux rejects it as all ones); use 0-4094 or 4096-65534");
        }

        @Test
        void theBroadcastSlotOnTheSlotLine() {
            assertThat(problem("""
                    exports:
                      - shelf: 1
                        slot: 255
                        path: /a
                        interfaces: [vT]
                    """)).isEqualTo("targets.yaml line 3: 'slot' in export 1 is invalid: slot 255 is the broadcast slot"
                    + " (it addresses every slot); use 0-254");
        }

        @Test
        void aShelfThatIsNotANumber() {
            assertThat(problem("""
                    exports:
                      - {shelf: one, slot: 0, path: /a, interfaces: [vT]}
                    """)).isEqualTo("targets.yaml line 2: 'shelf' in export 1 must be a whole number (a shelf number),"
                    + " not the text 'one'");
        }

        @Test
        void aMissingRequiredKey() {
            assertThat(problem("""
                    exports:
                      - shelf: 1
                        slot: 0
                        interfaces: [vT]
                    """)).isEqualTo("targets.yaml line 2: export 1 has no 'path'; every export needs shelf, slot, path"
                    + " and interfaces");
        }

        @Test
        void aBadMacWithItsPosition() {
            assertThat(problem("""
                    exports:
                      - shelf: 1
                        slot: 0
                        path: /a
                        interfaces: [vT]
                        masks:
                          - 02:00:00:00:00:01
                          - 02:00:00:00:00:zz
                    """)).isEqualTo("targets.yaml line 8: 'masks' in export 1 entry 2: '02:00:00:00:00:zz' is not a MAC"
                    + " address; write six hex bytes, e.g. 02:00:00:00:00:0a");
        }

        @Test
        void anUnknownIoMode() {
            assertThat(problem("""
                    exports:
                      - {shelf: 1, slot: 0, path: /a, interfaces: [vT], ioMode: fast}
                    """)).isEqualTo("targets.yaml line 2: 'ioMode' in export 1 is 'fast'; use buffered, sync or direct");
        }

        @Test
        void aBufferCountBeyondItsField() {
            assertThat(problem("""
                    exports:
                      - shelf: 1
                        slot: 0
                        path: /a
                        interfaces: [vT]
                        bufferCount: 70000
                    """)).isEqualTo("targets.yaml line 6: 'bufferCount' in export 1 is 70000; use 1-65535");
        }

        @Test
        void aZeroLength() {
            assertThat(problem("""
                    exports:
                      - {shelf: 1, slot: 0, path: /a, interfaces: [vT], length: 0}
                    """)).startsWith("targets.yaml line 2: 'length' in export 1 is 0; use 1 or more sectors");
        }

        @Test
        void readOnlyThatIsNotABoolean() {
            assertThat(problem("""
                    exports:
                      - {shelf: 1, slot: 0, path: /a, interfaces: [vT], readOnly: maybe}
                    """)).isEqualTo("targets.yaml line 2: 'readOnly' in export 1 must be true or false, not the text 'maybe'");
        }

        @Test
        void anInterfaceNamedTwice() {
            assertThat(problem("""
                    exports:
                      - {shelf: 1, slot: 0, path: /a, interfaces: [vT, vT]}
                    """)).isEqualTo("targets.yaml line 2: export 1: e1.0: interfaces [vT, vT] name one twice; name each once");
        }

        @Test
        void anEmptyInterfaceName() {
            assertThat(problem("""
                    exports:
                      - {shelf: 1, slot: 0, path: /a, interfaces: "vT,"}
                    """)).startsWith("targets.yaml line 2: 'interfaces' in export 1 names an empty interface");
        }

        @Test
        void anExportThatIsNotAMapping() {
            assertThat(problem("""
                    exports:
                      - e1.1
                    """)).startsWith("targets.yaml line 2: export 1 must be a mapping of shelf, slot, path,");
        }

        @Test
        void noExports() {
            assertThat(problem("exports: []\n"))
                    .isEqualTo("targets.yaml line 1: 'exports' in the top level must be a list with at least one export"
                            + " ('- shelf: ...'), not a list");
            assertThat(problem("stateDir: /x\n")).isEqualTo("targets.yaml line 1: the top level has no 'exports';"
                    + " list the exports under 'exports:'");
        }

        @Test
        void anEmptyFile() {
            assertThat(problem("")).isEqualTo("targets.yaml: is empty; it needs an 'exports:' list"
                    + " (examples/aoe-target.yaml shows one)");
        }

        @Test
        void textThatIsNotYaml() {
            assertThat(problem("""
                    exports:
                      - shelf: 1
                     slot: [
                    """)).startsWith("targets.yaml line 3: not valid YAML: ");
        }

        @Test
        void aMissingFile(@TempDir Path dir) {
            Path missing = dir.resolve("nope.yaml");
            assertThatThrownBy(() -> TargetConfigReader.read(missing)).isInstanceOf(ConfigException.class)
                    .hasMessage(missing + ": no such file; give the path of an existing YAML config"
                            + " (examples/aoe-target.yaml shows one)");
        }
    }

    @Test
    void exceptionsCarryTheLineApart() throws IOException {
        try {
            parse("exports:\n  - {shelf: 1, slot: 0, path: /a, interfaces: [vT], oops: 1}\n");
        } catch (ConfigException e) {
            assertThat(e.source()).isEqualTo("targets.yaml");
            assertThat(e.line()).isEqualTo(2);
            assertThat(e.problem()).startsWith("unknown key 'oops' in export 1");
            return;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("accepted an unknown key");
    }
}
