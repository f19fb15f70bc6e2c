package org.aoemigrate.orchestrator.engine;

/** Receives a migration's events on the migrating thread; must not block. */
@FunctionalInterface
public interface MigrationListener {

    MigrationListener NONE = e -> { };

    void on(MigrationEvent event);
}
