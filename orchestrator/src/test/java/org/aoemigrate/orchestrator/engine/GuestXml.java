package org.aoemigrate.orchestrator.engine;

import java.util.ArrayList;
import java.util.List;

/** Builds the domain XML a test guest has: memory, disks, interfaces, CPU. */
final class GuestXml {

    private final String name;
    private long memoryMiB = 512;
    private final List<String> devices = new ArrayList<>();
    private String cpu = "";

    private GuestXml(String name) {
        this.name = name;
    }

    static GuestXml guest(String name) {
        return new GuestXml(name);
    }

    GuestXml memoryMiB(long mib) {
        memoryMiB = mib;
        return this;
    }

    /** A block disk with the given cache mode ("" for none given). */
    GuestXml blockDisk(String dev, String target, String cache) {
        devices.add("<disk type='block' device='disk'><driver name='qemu' type='raw'"
                + (cache.isEmpty() ? "" : " cache='" + cache + "'") + " io='native'/><source dev='" + dev
                + "'/><target dev='" + target + "' bus='virtio'/></disk>");
        return this;
    }

    GuestXml aoeDisk(String device, String target) {
        return blockDisk("/dev/etherd/" + device, target, "none");
    }

    GuestXml fileDisk(String file, String target) {
        devices.add("<disk type='file' device='disk'><driver name='qemu' type='qcow2' cache='none'/><source file='"
                + file + "'/><target dev='" + target + "' bus='virtio'/></disk>");
        return this;
    }

    GuestXml emptyCdrom() {
        devices.add("<disk type='file' device='cdrom'><driver name='qemu' type='raw'/><target dev='sda' bus='sata'/>"
                + "<readonly/></disk>");
        return this;
    }

    GuestXml network(String network) {
        devices.add("<interface type='network'><mac address='52:54:00:00:00:01'/><source network='" + network
                + "'/><model type='virtio'/></interface>");
        return this;
    }

    GuestXml bridge(String bridge) {
        devices.add("<interface type='bridge'><source bridge='" + bridge + "'/><model type='virtio'/></interface>");
        return this;
    }

    GuestXml cpuModel(String model) {
        cpu = "<cpu mode='custom' match='exact' check='none'><model fallback='forbid'>" + model + "</model></cpu>";
        return this;
    }

    String xml() {
        return "<domain type='kvm'><name>" + name + "</name><uuid>0c0c0c0c-0000-4000-8000-000000000001</uuid>"
                + "<memory unit='KiB'>" + (memoryMiB * 1024) + "</memory><currentMemory unit='KiB'>" + (memoryMiB * 1024)
                + "</currentMemory><vcpu placement='static'>1</vcpu><os><type arch='x86_64'>hvm</type></os>" + cpu
                + "<devices>" + String.join("", devices) + "</devices></domain>";
    }
}
