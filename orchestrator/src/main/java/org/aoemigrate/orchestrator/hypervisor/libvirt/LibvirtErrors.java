package org.aoemigrate.orchestrator.hypervisor.libvirt;

import org.aoemigrate.orchestrator.hypervisor.HypervisorException;
import org.aoemigrate.orchestrator.hypervisor.HypervisorException.Kind;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;

/**
 * Turns libvirt errors into {@link HypervisorException}s that keep libvirt's raw code and name
 * the host and what was being done to which guest.
 *
 * <p>libvirt-java 0.5.4's {@link ErrorNumber} lists every code in libvirt's order, so an ordinal
 * is libvirt's raw {@code virErrorNumber} (0.5.2 had a gap at 60 that shifted every later code).
 */
final class LibvirtErrors {

    private LibvirtErrors() {
    }

    /**
     * @param action what failed, naming the guest where there is one: "suspend vm1"
     */
    static HypervisorException of(LibvirtException e, String host, String action, LibvirtConnection connection) {
        return of(e.getError().getCode().ordinal(), e.getError().getMessage(), host, action, connection.alive(), e);
    }

    /** The calling thread's last libvirt error, after a {@link NativeLibvirt} call failed. */
    static HypervisorException lastError(String host, String action, LibvirtConnection connection) {
        return of(NativeLibvirt.INSTANCE.virGetLastErrorCode(), NativeLibvirt.INSTANCE.virGetLastErrorMessage(), host,
                action, connection.alive(), null);
    }

    static HypervisorException of(int code, String libvirtMessage, String host, String action, boolean connectionAlive,
            Throwable cause) {
        // a connection whose socket died makes every failure on it UNREACHABLE, whatever the code
        Kind kind = connectionAlive ? kind(code) : Kind.UNREACHABLE;
        String message = "cannot " + action + ": " + libvirtMessage + " (libvirt error " + code + ", " + name(code) + ")";
        return new HypervisorException(kind, host, message, cause);
    }

    /**
     * The domain is not there, or not running, any more. After a successful migration the old
     * source handle answers NO_DOMAIN (the definition went with UNDEFINE_SOURCE) or
     * OPERATION_INVALID ("domain is not running"): the guest is gone from this host, not broken.
     */
    static boolean isGone(LibvirtException e) {
        ErrorNumber code = e.getError().getCode();
        return code == ErrorNumber.VIR_ERR_NO_DOMAIN || code == ErrorNumber.VIR_ERR_OPERATION_INVALID;
    }

    static boolean is(LibvirtException e, ErrorNumber code) {
        return e.getError().getCode() == code;
    }

    private static Kind kind(int code) {
        return switch (errorNumber(code)) {
            case VIR_ERR_NO_DOMAIN -> Kind.NO_DOMAIN;
            case VIR_ERR_OPERATION_ABORTED -> Kind.ABORTED;
            case VIR_ERR_NO_SUPPORT, VIR_ERR_ARGUMENT_UNSUPPORTED -> Kind.UNSUPPORTED;
            case VIR_ERR_NO_CONNECT, VIR_ERR_INVALID_CONN -> Kind.UNREACHABLE;
            default -> Kind.FAILED;
        };
    }

    private static String name(int code) {
        ErrorNumber n = errorNumber(code);
        return n == ErrorNumber.VIR_ERR_UNKNOWN ? "unknown to libvirt-java" : n.name();
    }

    private static ErrorNumber errorNumber(int code) {
        ErrorNumber[] all = ErrorNumber.values();
        // the last constant is libvirt-java's own VIR_ERR_UNKNOWN, not a libvirt code
        return code >= 0 && code < all.length - 1 ? all[code] : ErrorNumber.VIR_ERR_UNKNOWN;
    }
}
