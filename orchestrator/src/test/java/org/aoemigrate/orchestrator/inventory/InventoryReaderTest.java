package org.aoemigrate.orchestrator.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.aoemigrate.aoe.target.ExportAddress;
import org.aoemigrate.aoe.target.IoMode;
import org.aoemigrate.aoe.wire.MacAddress;
import org.junit.jupiter.api.Test;

class InventoryReaderTest {

    private static String lab() throws IOException {
        try (InputStream in = InventoryReaderTest.class.getResourceAsStream("lab.yaml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static InventoryException refusal(String text) {
        try {
            InventoryReader.parse("lab.yaml", text);
        } catch (InventoryException e) {
            return e;
        }
        throw new AssertionError("accepted: " + text);
    }

    @Test
    void readsEverySectionOfTheExample() throws Exception {
        Inventory inv = InventoryReader.parse("lab.yaml", lab());

        Host a = inv.host("hostA").orElseThrow();
        assertThat(a.libvirtUri()).isEqualTo("qemu+unix:///system?socket=/run/aoemt-lab/hostA/libvirt-sock");
        assertThat(a.migrationUri()).isEqualTo("qemu+tcp://10.77.0.1/system");
        assertThat(a.exec()).containsExactly("lab", "exec", "hostA", "--");
        assertThat(a.macs()).containsExactly(MacAddress.parse("02:00:00:00:00:0a"));
        assertThat(a.maintenance()).isFalse();
        assertThat(inv.host("hostB").orElseThrow().exec()).containsExactly("lab", "exec", "hostB", "--");
        Host c = inv.host("hostC").orElseThrow();
        assertThat(c.maintenance()).isTrue();
        assertThat(c.migrationUri()).as("defaults to the libvirt URI").isEqualTo(c.libvirtUri());

        assertThat(inv.storage().stateDir()).isEqualTo(Path.of("/var/lib/aoemigrate"));
        assertThat(inv.storage().macs()).containsExactly(MacAddress.parse("02:00:00:00:00:01"));

        ExportDisk vm1 = inv.exportAt(new ExportAddress(1, 0)).orElseThrow();
        assertThat(vm1.name()).isEqualTo("vm1-disk");
        assertThat(vm1.devicePath()).isEqualTo("/dev/etherd/e1.0");
        assertThat(vm1.ioMode()).isEqualTo(IoMode.DIRECT);
        assertThat(vm1.hosts()).containsExactlyInAnyOrder("hostA", "hostB", "hostC");
        assertThat(inv.exports().get("vm2-disk").ioMode()).isEqualTo(IoMode.BUFFERED);

        MigrationPolicy p = inv.policy();
        assertThat(p.cutover()).isEqualTo(CutoverMode.FENCED);
        assertThat(p.bandwidthMiBps()).isEqualTo(500);
        assertThat(p.postCopyBandwidthMiBps()).isEqualTo(200);
        assertThat(p.maxDowntime()).isEqualTo(Duration.ofMillis(100));
        assertThat(p.downtimeSteps()).hasSize(5).last().isEqualTo(Duration.ofMillis(500));
        assertThat(p.timeout()).isEqualTo(Duration.ofSeconds(300));
        assertThat(p.onTimeout()).isEqualTo(TimeoutAction.PAUSE);
        assertThat(inv.limits()).isEqualTo(new MigrationLimits(4, 2, 1));
    }

    @Test
    void policyDefaultsFollowOvirtsMinimalDowntime() throws Exception {
        String noPolicy = lab().substring(0, lab().indexOf("policy:"));
        Inventory inv = InventoryReader.parse("lab.yaml", noPolicy);
        assertThat(inv.policy()).isEqualTo(MigrationPolicy.DEFAULT);
        assertThat(inv.limits()).isEqualTo(MigrationLimits.DEFAULT);
    }

    @Test
    void unknownKeyNamesFileLineHostAndKnownKeys() throws Exception {
        String text = lab().replace("    migrationUri: qemu+tcp://10.77.0.2/system", "    libvirt_uri: x");
        InventoryException e = refusal(text);
        assertThat(e.getMessage()).isEqualTo("lab.yaml line 13: unknown key 'libvirt_uri' in host hostB;"
                + " known keys: aoe, exec, guestMemoryMiB, libvirtUri, maintenance, migrationUri");
    }

    @Test
    void guestMemoryIsTheOperatorsLimitPerHostAndOptional() throws Exception {
        Inventory inv = InventoryReader.parse("lab.yaml", lab().replace("    maintenance: true\n",
                "    maintenance: true\n    guestMemoryMiB: 4096\n"));
        assertThat(inv.host("hostC").orElseThrow().guestMemoryMiB()).hasValue(4096);
        assertThat(inv.host("hostC").orElseThrow().guestMemoryBytes()).hasValue(4096L << 20);
        assertThat(inv.host("hostA").orElseThrow().guestMemoryMiB()).as("not given: no limit of its own").isEmpty();

        InventoryException zero = refusal(lab().replace("    maintenance: true\n", "    maintenance: true\n    guestMemoryMiB: 0\n"));
        assertThat(zero.getMessage()).isEqualTo("lab.yaml line 22: 'guestMemoryMiB' in hosts.hostC must be 1 or more, not 0");
    }

    @Test
    void unknownKeyDeeperDown() throws Exception {
        InventoryException e = refusal(lab().replace("    autoConverge: true", "    autoconverge: true"));
        assertThat(e.getMessage()).startsWith("lab.yaml line 50: unknown key 'autoconverge' in policy.migration; known keys: ");
        InventoryException port = refusal(lab().replace("      - {interface: aoe0, mac", "      - {iface: aoe0, mac"));
        assertThat(port.getMessage()).isEqualTo("lab.yaml line 23: unknown key 'iface' in host hostC, aoe item 1;"
                + " known keys: interface, mac");
    }

    @Test
    void badMacNamesItsKey() throws Exception {
        InventoryException e = refusal(lab().replace("02:00:00:00:00:0b", "02:00:00:00:zz:0b"));
        assertThat(e.line()).isEqualTo(17);
        assertThat(e.problem()).isEqualTo("'mac' in host hostB, aoe item 1: '02:00:00:00:zz:0b' is not a MAC address"
                + " (six hex bytes, e.g. 02:00:00:00:00:0a)");
    }

    @Test
    void badEnumListsTheChoices() throws Exception {
        InventoryException e = refusal(lab().replace("cutover: fenced", "cutover: slow"));
        assertThat(e.getMessage()).isEqualTo("lab.yaml line 45: 'cutover' in policy: 'slow' is not one of fast, fenced");
    }

    @Test
    void exportNamingAnUnknownHostIsRefusedOnItsLine() throws Exception {
        InventoryException e = refusal(lab().replace("hosts: [hostA, hostB]\n", "hosts: [hostA, hostX]\n"));
        assertThat(e.getMessage()).isEqualTo("lab.yaml line 42: export vm2-disk names host 'hostX', which is not in hosts;"
                + " known hosts: hostA, hostB, hostC");
    }

    @Test
    void twoExportsOnOneAddressAreRefused() throws Exception {
        InventoryException e = refusal(lab().replace("    slot: 1\n", "    slot: 0\n"));
        assertThat(e.getMessage()).isEqualTo("lab.yaml line 39: export vm2-disk uses e1.0, as export vm1-disk does;"
                + " give each export its own shelf and slot");
    }

    @Test
    void aMacOnTwoHostsIsRefused() throws Exception {
        InventoryException e = refusal(lab().replace("02:00:00:00:00:0b", "02:00:00:00:00:0a"));
        assertThat(e.getMessage()).isEqualTo("lab.yaml line 17: MAC 02:00:00:00:00:0a of host hostB is also given for"
                + " host hostA; each AoE port has its own MAC");
    }

    @Test
    void missingAndInvalidValues() throws Exception {
        assertThat(refusal(lab().replace("    image: /srv/aoe/vm2.img\n", "")).getMessage())
                .isEqualTo("lab.yaml line 38: export vm2-disk has no 'image'; give the disk image the target serves,"
                        + " e.g. /srv/aoe/vm2-disk.img");
        assertThat(refusal(lab().replace("    slot: 1\n", "    slot: 255\n")).getMessage())
                .isEqualTo("lab.yaml line 40: export vm2-disk: slot 255 is the broadcast slot (it addresses every slot);"
                        + " use 0-254");
        assertThat(refusal(lab().replace("shelf: 1\n    slot: 1", "shelf: one\n    slot: 1")).getMessage())
                .isEqualTo("lab.yaml line 39: 'shelf' in export vm2-disk: 'one' is not a whole number");
        assertThat(refusal(lab().replace("[150, 200, 300, 400, 500]", "[150, 120]")).getMessage())
                .isEqualTo("lab.yaml line 49: 'downtimeStepsMs' in policy.migration: each step must be larger than the"
                        + " one before (and than maxDowntimeMs 100), not 120");
        assertThat(refusal(lab().replace("    exec: lab exec hostC --\n", "")).problem())
                .startsWith("host hostC has no 'exec'");
        assertThat(refusal(lab().replace("    global: 4", "    global: 0")).getMessage())
                .isEqualTo("lab.yaml line 56: 'global' in policy.limits must be 1 or more, not 0");
    }

    @Test
    void repeatedKeysAndBrokenYamlAreRefused() throws Exception {
        InventoryException dup = refusal(lab().replace("    slot: 1\n", "    slot: 1\n    slot: 2\n"));
        assertThat(dup.getMessage()).isEqualTo("lab.yaml line 41: key 'slot' appears again in export vm2-disk"
                + " (first on line 40); give each key once");
        assertThat(refusal("hosts: [a\n").problem()).startsWith("not valid YAML");
        assertThat(refusal("").problem()).startsWith("is empty");
    }

    @Test
    void readsAFileAndNamesAMissingOne(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path file = dir.resolve("inventory.yaml");
        java.nio.file.Files.writeString(file, lab());
        assertThat(InventoryReader.read(file).hosts()).hasSize(3);
        assertThatThrownBy(() -> InventoryReader.read(dir.resolve("nope.yaml")))
                .hasMessageContaining("nope.yaml: no such file");
        
    }
}
