package org.aoemigrate.orchestrator.hypervisor.libvirt;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.ptr.IntByReference;
import org.libvirt.jna.ConnectionPointer;
import org.libvirt.jna.DomainPointer;

/**
 * The few libvirt C calls libvirt-java 0.5.4 does not offer (or offers without the flag we need),
 * bound directly. Handles are libvirt-java's own pointer types, so a {@link LibvirtConnection}'s
 * connection pointer goes in as it is.
 *
 * <p>Every call returns -1 or null on failure; the reason is then in libvirt's per-thread last
 * error ({@link #virGetLastErrorCode()}, {@link #virGetLastErrorMessage()}), read on the same thread.
 */
interface NativeLibvirt extends Library {

    NativeLibvirt INSTANCE = Native.load("virt", NativeLibvirt.class);

    /** virDomainState: VIR_DOMAIN_PAUSED. */
    int DOMAIN_PAUSED = 3;
    /** virDomainPausedReason: paused on the source while post-copy moves the rest. */
    int PAUSED_POSTCOPY = 12;
    /** virConnectCompareCPUFlags: report an incompatible CPU as an error that says why. */
    int COMPARE_CPU_FAIL_INCOMPATIBLE = 1;
    /** virCPUCompareResult. */
    int CPU_COMPARE_INCOMPATIBLE = 0;

    DomainPointer virDomainLookupByName(ConnectionPointer conn, String name);

    int virDomainFree(DomainPointer domain);

    int virDomainGetState(DomainPointer domain, IntByReference state, IntByReference reason, int flags);

    int virDomainMigrateStartPostCopy(DomainPointer domain, int flags);

    int virConnectCompareCPU(ConnectionPointer conn, String xmlDesc, int flags);

    /** Null emulator, arch and machine mean the host's defaults. */
    int virConnectCompareHypervisorCPU(ConnectionPointer conn, String emulator, String arch, String machine,
            String virttype, String xmlCPU, int flags);

    int virGetLastErrorCode();

    String virGetLastErrorMessage();
}
