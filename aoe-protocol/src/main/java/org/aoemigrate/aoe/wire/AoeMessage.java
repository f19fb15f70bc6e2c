package org.aoemigrate.aoe.wire;

/**
 * One decoded AoE frame: one immutable record per r11 command, plus
 * {@link UnknownCommandMessage} for the codes r11 leaves to vendors or does not define.
 * {@link AoeCodec} turns frames into messages and back.
 */
public sealed interface AoeMessage
        permits AtaMessage, ConfigMessage, MacMaskMessage, ReserveMessage, UnknownCommandMessage {

    /** The Ethernet and common AoE header. */
    AoeHeader header();

    /** The same message under another header, e.g. {@link AoeHeader#reply} for an answer. */
    AoeMessage withHeader(AoeHeader header);

    /** The length of this message's frame before Ethernet padding. */
    int encodedLength();
}
