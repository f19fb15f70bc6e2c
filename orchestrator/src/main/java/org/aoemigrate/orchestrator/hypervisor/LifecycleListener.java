package org.aoemigrate.orchestrator.hypervisor;

/**
 * Receives lifecycle events. The libvirt adapter calls it on one delivery thread for all hosts,
 * in order (never on libvirt's event-loop thread), so it should hand work off and return at once.
 */
@FunctionalInterface
public interface LifecycleListener {

    void onEvent(LifecycleEvent event);
}
