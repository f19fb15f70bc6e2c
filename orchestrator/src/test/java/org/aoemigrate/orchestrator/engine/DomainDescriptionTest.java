package org.aoemigrate.orchestrator.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DomainDescriptionTest {

    @Test
    void readsWhatPreflightNeeds() {
        DomainDescription d = DomainDescription.parse(GuestXml.guest("vm1").memoryMiB(128).aoeDisk("e1.0", "vda")
                .fileDisk("/var/lib/x.qcow2", "vdb").emptyCdrom().network("default").bridge("br0").cpuModel("qemu64").xml());

        assertThat(d.name()).isEqualTo("vm1");
        assertThat(d.type()).isEqualTo("kvm");
        assertThat(d.memoryBytes()).isEqualTo(128L << 20);
        assertThat(d.disks()).containsExactly(
                new GuestDisk("block", "disk", "/dev/etherd/e1.0", "none", "vda"),
                new GuestDisk("file", "disk", "/var/lib/x.qcow2", "none", "vdb"),
                new GuestDisk("file", "cdrom", "", "", "sda"));
        assertThat(d.disks().get(2).hasMedium()).isFalse();
        assertThat(d.interfaces()).containsExactly(new GuestInterface("network", "default"), new GuestInterface("bridge", "br0"));
        assertThat(d.cpuXml()).hasValueSatisfying(x -> assertThat(x).startsWith("<cpu").contains("<model fallback=\"forbid\">qemu64</model>"));
    }

    @Test
    void aCpuWithoutAModelHasNothingToCompare() {
        String xml = "<domain type='kvm'><name>v</name><memory>1024</memory><cpu mode='host-passthrough'/></domain>";
        DomainDescription d = DomainDescription.parse(xml);
        assertThat(d.cpuXml()).isEmpty();
        assertThat(d.memoryBytes()).as("KiB by default").isEqualTo(1 << 20);
    }

    @Test
    void refusesWhatIsNotADomain() {
        assertThatThrownBy(() -> DomainDescription.parse("<network><name>x</name></network>"))
                .hasMessage("not a libvirt domain XML: the root element is <network>");
        assertThatThrownBy(() -> DomainDescription.parse("<!DOCTYPE d [<!ENTITY x 'y'>]><domain/>"))
                .hasMessageStartingWith("not a libvirt domain XML: ");
    }
}
