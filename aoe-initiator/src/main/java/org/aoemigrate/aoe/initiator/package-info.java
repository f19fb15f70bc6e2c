/**
 * The userspace AoE initiator: {@link org.aoemigrate.aoe.initiator.AoeInitiator} discovers
 * targets on one or more interfaces and opens {@link org.aoemigrate.aoe.initiator.AoeDevice}s,
 * which read and write sectors and manage the config string, mask list and reservation.
 *
 * <p>How it behaves on the wire, and why:
 *
 * <ul>
 *   <li>tags have bit 31 set (Linux aoe ignores those answers, so both can run on one host);
 *       the rest of each tag is unpredictable, and an answer must also come from a known target
 *       MAC, for this device's shelf and slot, to our own MAC;
 *   <li>each path (local interface, target MAC) has a congestion window that starts at half the
 *       target's buffer count, grows as answers come and collapses on a timeout, and a
 *       Jacobson/Karels retransmit timeout; a resend takes a new tag and the next path;
 *   <li>a path that stops answering is taken out of the rotation and probed until it answers;
 *   <li>nothing waits forever: a request unanswered past the deadline fails with an
 *       {@link org.aoemigrate.aoe.initiator.AoeTimeoutException} naming device, LBA and paths;
 *   <li>AoE error answers and ATA errors fail at once with typed exceptions, unlike Linux, which
 *       only logs AoE errors and retries until its deadline.
 * </ul>
 *
 * <p>The {@code cli}, {@code sysfs} and {@code check} subpackages build the
 * {@code aoe-initiator} command on this API.
 */
package org.aoemigrate.aoe.initiator;
