/**
 * {@code aoemigrate daemon}: the embedded AoE target serving the inventory's exports (config string
 * {@code id=NAME}, state persisted under {@code STATE_DIR/exports}), the migration engine with a
 * {@link org.aoemigrate.orchestrator.engine.StorageFence} that sets the target's own reservation
 * tables, the journal ({@code STATE_DIR/journal.jsonl}) and the local API. Parts that touch the
 * outside (libvirt, interfaces, the destination check, the clock) come in through
 * {@link org.aoemigrate.orchestrator.daemon.DaemonParts}, so tests run the same daemon in memory.
 */
package org.aoemigrate.orchestrator.daemon;
