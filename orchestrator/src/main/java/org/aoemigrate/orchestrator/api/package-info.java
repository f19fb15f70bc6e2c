/**
 * The daemon's local API, shared by the daemon and the command line (which knows nothing else of
 * the daemon).
 *
 * <p>Transport: a unix socket ({@code STATE_DIR/api/aoemigrate.sock}, directory 0700, socket 0600;
 * {@link org.aoemigrate.orchestrator.api.SocketLocation}), one request per connection, UTF-8 JSON
 * lines with snake_case keys ({@link org.aoemigrate.orchestrator.api.ApiJson}).
 *
 * <p>The client sends one {@link org.aoemigrate.orchestrator.api.ApiRequest} line:
 * <pre>
 * {"op":"migrate","guest":"vm1","destination":"hostB","cutover":null}
 * {"op":"check","guest":"vm1","destination":"hostB"}
 * {"op":"status"}   {"op":"exports"}   {"op":"history"}   {"op":"abort","id":"m-4f1c2a9e"}
 * {"op":"recover","id":null}   (every open migration; or an id or guest)
 * {"op":"drain","host":"hostA"}   {"op":"undrain","host":"hostA"}
 * {"op":"rebalance","dry_run":true,"max_moves":null}
 * </pre>
 * The daemon answers with {@link org.aoemigrate.orchestrator.api.ApiLine}s: for {@code migrate},
 * {@code {"event":{...}}} lines ({@link org.aoemigrate.orchestrator.api.ProgressReport}, with the
 * copy's figures on {@code progress} events) as the migration goes; then exactly one
 * {@code {"result":{...}}} or {@code {"error":{"code":...,"message":...}}} line, and it closes the
 * connection. Results by op: migrate {@link org.aoemigrate.orchestrator.api.MigrationReport},
 * check {@link org.aoemigrate.orchestrator.api.CheckReport}, status
 * {@link org.aoemigrate.orchestrator.api.StatusReport}, exports
 * {@link org.aoemigrate.orchestrator.api.ExportsReport}, history
 * {@link org.aoemigrate.orchestrator.api.HistoryReport}, abort
 * {@link org.aoemigrate.orchestrator.api.AbortReport}, recover
 * {@link org.aoemigrate.orchestrator.api.RecoverReport} (after {@code event} lines, like migrate),
 * drain and rebalance {@link org.aoemigrate.orchestrator.api.RebalanceReport} (after each move's
 * {@code event} lines), undrain {@link org.aoemigrate.orchestrator.api.MaintenanceReport}. A
 * refused or failed migration is a result (its {@code outcome} says so), and so is a migration
 * recover could not settle ({@code settled} false), not an error; errors are for requests the
 * daemon could not serve.
 *
 * <p>A client that goes away does not stop its migration: follow it with {@code status} and
 * {@code history}, stop it with {@code abort}. {@code aoemigrate --json} prints these same results.
 */
package org.aoemigrate.orchestrator.api;
