/**
 * A userspace {@code /dev/etherd} for hosts without the aoe kernel module: each AoE device becomes
 * a block device node {@code DIR/eS.L} that guests (QEMU, {@code cache=none}) and tools open as
 * they would the kernel driver's.
 *
 * <h2>The stack, per device</h2>
 * <pre>
 *   DIR/eS.L        block node, the loop's major:minor             {@link org.aoemigrate.aoe.initiator.etherd.EtherdNodes}
 *   /dev/loopN      loop device, direct I/O, on the FUSE file      {@link org.aoemigrate.aoe.initiator.etherd.LoopDevice}
 *   RUN/PID/eS.L    FUSE file (libfuse3 low level), direct_io      {@link org.aoemigrate.aoe.initiator.etherd.FuseServer}
 *   BlockBackend    the AoE device (or a file in tests)            {@link org.aoemigrate.aoe.initiator.etherd.BlockBackend}
 * </pre>
 * {@link org.aoemigrate.aoe.initiator.etherd.EtherdAttachment} builds and tears down the stack
 * for a set of devices (a shutdown hook covers SIGTERM) and cleans up after a crash;
 * {@link org.aoemigrate.aoe.initiator.etherd.ServedDevices} detaches devices of another process.
 * {@link org.aoemigrate.aoe.initiator.etherd.AoeBlockBackend} makes an AoE device the backend, and
 * {@link org.aoemigrate.aoe.initiator.etherd.AoeEtherd} runs the whole for {@code aoe-initiator attach},
 * publishing each device's state for {@code aoe-initiator stat}
 * ({@link org.aoemigrate.aoe.initiator.etherd.EtherdStatusFiles}).
 *
 * <h2>Why this shape</h2>
 * <ul>
 * <li>libfuse3's low-level API, bound by hand with jnr-ffi, not jnr-fuse (libfuse 2): libfuse 2
 * caps requests at 128 KiB and, lacking FUSE_ASYNC_DIO, gets the loop's requests one at a time;
 * libfuse3 gets up to 1 MiB per request, several at once (docs/fuse-probe.md). jnr-fuse would
 * also bring jnr-ffi 2.2.16 against the project's 2.3.0. The struct offsets are checked against
 * the installed headers by {@code Fuse3LayoutIT}.</li>
 * <li>Direct I/O at both levels: the FUSE file is opened with direct_io and the loop with
 * {@code --direct-io=on}, so no page cache holds data the backend has not acknowledged, and the
 * serving process never has to write back dirty pages of its own device (a FUSE deadlock).</li>
 * <li>Durability: a write is acknowledged to the kernel only after the backend returned from
 * {@code write}; a cache flush of the node (fsync, QEMU's flush) reaches the loop as REQ_PREFLUSH,
 * the FUSE file as FSYNC, the backend as {@code flush}.</li>
 * </ul>
 *
 * <h2>When the backend hangs</h2>
 * A FUSE request that never returns leaves the loop device's users in uninterruptible sleep (D
 * state), and {@code losetup -d} waits for them. Three layers keep that from wedging a host:
 * <ol>
 * <li>the backend's own deadline: the AoE initiator gives up on a request after its retransmit
 * deadline and throws, which the reader or writer sees as EIO;</li>
 * <li>the watchdog: a request in a backend longer than the request deadline (default 120 s) makes
 * the server abort its FUSE connection;</li>
 * <li>detaching: a loop whose detach waits longer than the detach patience gets the connection
 * aborted, and a mount still busy at close is detached lazily and aborted.</li>
 * </ol>
 * Aborting writes {@code 1} to {@code /sys/fs/fuse/connections/ID/abort}, ID being the device
 * number of the mount (the fusectl filesystem is mounted there on demand). Every pending and later request
 * of that connection then fails at once: the loop's users get EIO and can be stopped. By hand,
 * for a stuck server: {@code mount -t fusectl none /sys/fs/fuse/connections} (if not mounted),
 * {@code mountpoint -d RUN/PID} prints {@code 0:ID} (from outside the server's mount namespace:
 * {@code /proc/PID/root/RUN/PID}), {@code echo 1 > /sys/fs/fuse/connections/ID/abort}, then
 * {@code losetup -d /dev/loopN} and {@code umount -l RUN/PID}; {@code cleanupLeftovers} does the
 * last two once the server is dead.
 *
 * <h2>Mount namespaces</h2>
 * Loop devices are global and the node directory is an ordinary directory, so the FUSE mount may
 * live in a private mount namespace ({@code unshare -m --propagation private aoe-initiator attach}):
 * nothing then shows in the host's mount table, and the mount dies with the process. Leftovers
 * are recognised by the path the loop recorded at attach time ({@code lo_file_name}, which stays
 * {@code RUN/PID/eS.L} when the mount is gone), hence a runtime directory short enough for the
 * 63 bytes the loop keeps.
 */
package org.aoemigrate.aoe.initiator.etherd;
