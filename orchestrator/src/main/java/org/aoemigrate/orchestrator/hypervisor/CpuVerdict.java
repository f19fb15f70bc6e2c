package org.aoemigrate.orchestrator.hypervisor;

/**
 * libvirt's CPU comparison of a guest CPU definition against a host: can the host run it?
 *
 * @param reason why not (libvirt's words, e.g. "missing features: avx2"); empty when compatible
 */
public record CpuVerdict(boolean compatible, String reason) {

    public static final CpuVerdict COMPATIBLE = new CpuVerdict(true, "");

    public static CpuVerdict incompatible(String reason) {
        return new CpuVerdict(false, reason);
    }
}
