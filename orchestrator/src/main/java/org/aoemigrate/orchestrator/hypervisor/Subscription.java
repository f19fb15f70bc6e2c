package org.aoemigrate.orchestrator.hypervisor;

/** Ends a listener registration. */
@FunctionalInterface
public interface Subscription extends AutoCloseable {

    @Override
    void close();
}
