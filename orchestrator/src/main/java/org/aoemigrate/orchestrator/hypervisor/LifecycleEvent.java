package org.aoemigrate.orchestrator.hypervisor;

/**
 * A domain lifecycle event ({@code VIR_DOMAIN_EVENT_*}) on one host.
 *
 * @param detail libvirt's detail, e.g. "MIGRATED" for a STARTED or STOPPED caused by migration
 */
public record LifecycleEvent(String host, String guest, Type type, String detail) {

    /** virDomainEventType. */
    public enum Type { DEFINED, UNDEFINED, STARTED, SUSPENDED, RESUMED, STOPPED, SHUTDOWN, PMSUSPENDED, CRASHED }
}
