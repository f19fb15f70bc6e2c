/**
 * The embedded AoE target: serves files and block devices as AoE r11 exports.
 *
 * <p>To run one, describe each export with an {@link org.aoemigrate.aoe.target.ExportSpec}
 * ({@code ExportSpec.builder(address, path, interfaces...)}), choose where state lives
 * ({@link org.aoemigrate.aoe.target.ExportStateStore#inDirectory} to keep config strings, mask
 * lists and reservations across restarts, {@code inMemory()} to forget them like vblade), give a
 * {@link org.aoemigrate.aoe.target.LinkOpener} for the interfaces, and start a
 * {@link org.aoemigrate.aoe.target.TargetServer}:
 *
 * <pre>{@code
 * ExportSpec disk = ExportSpec.builder(ExportAddress.parse("e1.0"), Path.of("/srv/vm1.img"), "eth1", "eth2")
 *         .ioMode(IoMode.SYNC).build();
 * TargetServer server = new TargetServer(List.of(disk), ExportStateStore.inDirectory(stateDir), opener,
 *         TargetServer.DEFAULT_DUPLICATE_CHECK);
 * server.start();      // throws DuplicateTargetException if e1.0 is already served on eth1 or eth2
 * ...
 * server.stop();       // closes the interfaces, joins the threads, flushes and closes the files
 * }</pre>
 *
 * <p>Inside: {@link org.aoemigrate.aoe.target.RequestHandler} decides every reply (no thread,
 * no socket); {@link org.aoemigrate.aoe.target.Export} holds an open
 * {@link org.aoemigrate.aoe.target.BackingStore} and the export's state
 * ({@link org.aoemigrate.aoe.target.ConfigString}, {@link org.aoemigrate.aoe.target.MaskList},
 * {@link org.aoemigrate.aoe.target.ReservationTable}); {@link org.aoemigrate.aoe.target.ServedLink}
 * is one interface with the exports on it.
 */
package org.aoemigrate.aoe.target;
