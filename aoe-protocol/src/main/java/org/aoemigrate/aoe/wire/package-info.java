/**
 * The AoE r11 wire format, as pure values and functions: no sockets, no state.
 *
 * <ul>
 *   <li>{@link org.aoemigrate.aoe.wire.AoeCodec} decodes frames into {@link
 *       org.aoemigrate.aoe.wire.AoeMessage}s (one record per command) and encodes them back,
 *       padded to 60 bytes.
 *   <li>{@link org.aoemigrate.aoe.wire.AoeFrame} reads and writes header and ATA fields in place,
 *       for the per-request hot path.
 *   <li>{@link org.aoemigrate.aoe.wire.AoeConstants} holds every offset and size; the enums and
 *       bit classes name every wire code.
 *   <li>{@link org.aoemigrate.aoe.wire.IdentifyPage} builds and parses the ATA IDENTIFY page.
 * </ul>
 *
 * <p>Malformed input raises the checked {@link org.aoemigrate.aoe.wire.AoeProtocolException};
 * wrong arguments from our own code raise {@link java.lang.IllegalArgumentException}.
 */
package org.aoemigrate.aoe.wire;
