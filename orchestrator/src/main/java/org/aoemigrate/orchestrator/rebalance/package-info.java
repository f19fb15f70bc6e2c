/**
 * Drain, undrain and rebalance in the daemon: what sits between the planner (pure, in
 * {@code org.aoemigrate.orchestrator.planner}) and the engine.
 *
 * <p>{@link org.aoemigrate.orchestrator.rebalance.ClusterObserver} reads the cluster from libvirt
 * and the journal into the planner's model; {@link org.aoemigrate.orchestrator.rebalance.BalanceJobs}
 * asks the planner for moves and runs them with {@code MoveRunner} (rolling, within the engine's
 * limits), keeping each run in the {@link org.aoemigrate.orchestrator.rebalance.RunLog};
 * {@link org.aoemigrate.orchestrator.rebalance.MaintenanceHosts} keeps a drain's maintenance across
 * restarts and lays it over the inventory the engine sees; {@link
 * org.aoemigrate.orchestrator.rebalance.RebalanceScheduler} runs the inventory's schedule.
 */
package org.aoemigrate.orchestrator.rebalance;
