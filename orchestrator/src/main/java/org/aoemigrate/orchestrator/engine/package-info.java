/**
 * The migration engine: one guest from its host to another, safely (design.md, "One migration,
 * step by step").
 *
 * <p>{@link org.aoemigrate.orchestrator.engine.MigrationEngine#migrate} runs
 * {@link org.aoemigrate.orchestrator.engine.Preflight} (locate, then every
 * {@link org.aoemigrate.orchestrator.engine.PreflightCheck}; a refusal changes nothing), then
 * {@link org.aoemigrate.orchestrator.engine.MigrationRun}: reserve the disks to {source,
 * destination}, migrate peer-to-peer while a {@link org.aoemigrate.orchestrator.engine.ConvergenceWatch}
 * decides on downtime steps, post-copy, pause or abort, cut over (FAST or FENCED) and verify.
 * Every step goes to the {@link org.aoemigrate.orchestrator.journal.MigrationJournal} and to the
 * caller's {@link org.aoemigrate.orchestrator.engine.MigrationListener}.
 *
 * <p>The engine sees the world through ports only: {@link org.aoemigrate.orchestrator.hypervisor.Hypervisors}
 * (libvirt), {@link org.aoemigrate.orchestrator.engine.StorageFence} (the target's reservations),
 * {@link org.aoemigrate.orchestrator.engine.check.DestinationCheck} (the destination's initiator)
 * and {@link org.aoemigrate.orchestrator.engine.Ticker} (time), so the unit tests run it against
 * an in-memory cluster in simulated time.
 */
package org.aoemigrate.orchestrator.engine;
