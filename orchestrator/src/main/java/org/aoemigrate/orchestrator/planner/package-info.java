/**
 * The planner: which guests to move where, to even out a cluster ({@link
 * org.aoemigrate.orchestrator.planner.Planner#plan}) or to empty a host ({@link
 * org.aoemigrate.orchestrator.planner.Planner#drain}). Pure code over immutable observations
 * ({@link org.aoemigrate.orchestrator.planner.Cluster} of {@link
 * org.aoemigrate.orchestrator.planner.ObservedHost}s and {@link
 * org.aoemigrate.orchestrator.planner.ObservedGuest}s): no libvirt, no I/O, no clock.
 *
 * <p>The score and the search are Ganeti hbal's (migration-anchors.md, "Ganeti hbal"): a weighted
 * sum of standard deviations of per-host use ({@link org.aoemigrate.orchestrator.planner.PlannerSettings}
 * says which and why), lowered one best move at a time. Each host's sums and sums of squares are
 * kept as moves are made, so weighing a candidate move costs O(1) ({@code Spread}, {@code Placement}).
 */
package org.aoemigrate.orchestrator.planner;
