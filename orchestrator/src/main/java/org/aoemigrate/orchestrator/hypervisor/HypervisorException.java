package org.aoemigrate.orchestrator.hypervisor;

/** A libvirt call that failed, with the kind of failure the engine decides on. */
public final class HypervisorException extends Exception {

    private static final long serialVersionUID = 1L;

    /** What went wrong, as far as a caller must tell cases apart. */
    public enum Kind {
        /** The host's libvirt does not answer (connection refused, timed out, closed). */
        UNREACHABLE,
        /** No such domain on that host. */
        NO_DOMAIN,
        /** The migration job was aborted (abortJob, or the operator). */
        ABORTED,
        /** The driver does not do this (e.g. the test driver and migration). */
        UNSUPPORTED,
        /** Anything else; the message says what. */
        FAILED
    }

    private final Kind kind;
    private final String host;

    public HypervisorException(Kind kind, String host, String message) {
        super(host + ": " + message);
        this.kind = kind;
        this.host = host;
    }

    public HypervisorException(Kind kind, String host, String message, Throwable cause) {
        super(host + ": " + message, cause);
        this.kind = kind;
        this.host = host;
    }

    public Kind kind() {
        return kind;
    }

    /** The inventory name of the host whose libvirt failed. */
    public String host() {
        return host;
    }
}
