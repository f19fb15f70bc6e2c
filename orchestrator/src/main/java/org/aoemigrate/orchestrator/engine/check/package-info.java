/**
 * The destination check: before a guest moves, the destination's initiator must see each of its
 * disks as the same export (identity in the config string, size, the target's MACs, a read).
 * {@link org.aoemigrate.orchestrator.engine.check.InitiatorDestinationCheck} runs
 * {@code aoe-initiator check} on the host: by the host's resident
 * {@link org.aoemigrate.orchestrator.engine.check.CheckAgents check agent} when it has an answer to
 * give, else one-shot through the host's exec prefix. Ahead of it,
 * {@link org.aoemigrate.orchestrator.engine.check.DestinationCheck#prepare} has the agent start the
 * check's device lookup (discovery and the stranger grace, which need no reservation) while the
 * engine still runs preflight and reserves the disks.
 */
package org.aoemigrate.orchestrator.engine.check;
