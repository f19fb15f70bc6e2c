package org.aoemigrate.aoe.target;

/** What happened to a frame, or what the target did about it; counted by {@link TargetCounters}. */
public enum TargetEvent {
    /** A frame came in on a link. */
    FRAME_IN,
    /** A reply was handed to the link (a batch's replies go out together; one that then fails is also a SEND_FAILED). */
    REPLY_OUT,
    /** Not an AoE frame, or too short for its header or command: ignored, as r11 targets do. */
    IGNORED_MALFORMED,
    /** The R flag was set: responses are never acted on (r11 2.1). */
    IGNORED_RESPONSE,
    /** Sent to another station's unicast MAC. */
    IGNORED_OTHER_DESTINATION,
    /** For a shelf/slot not served on this link. */
    IGNORED_NOT_ADDRESSED,
    /** From a MAC the export's mask list does not admit (r11 3.3). */
    IGNORED_MASKED,
    /** A broadcast-addressed command other than a Query Config read or test (only those may be broadcast). */
    IGNORED_BROADCAST,
    /** A Query Config test that did not match, or a config string over 1024 bytes (r11 3.2: no reply). */
    CONFIG_SILENCE,
    /** Replies with the AoE E flag, by code. */
    AOE_ERROR_UNRECOGNIZED_COMMAND,
    AOE_ERROR_BAD_ARGUMENT,
    AOE_ERROR_DEVICE_UNAVAILABLE,
    AOE_ERROR_CONFIG_STRING_PRESENT,
    AOE_ERROR_UNSUPPORTED_VERSION,
    AOE_ERROR_TARGET_RESERVED,
    /** ATA replies with ERR and ABRT: unsupported command, read-only export, or an I/O error. */
    ATA_ABORT,
    /** ATA replies with ERR and IDNF: a range beyond the end of the export. */
    ATA_IDNF,
    /** The backing file failed a read, write or flush (also counted as {@link #ATA_ABORT}). */
    IO_ERROR,
    /** Saving export state failed: the change was not made and the request got no reply. */
    STATE_SAVE_FAILED,
    /** A reply could not be sent. */
    SEND_FAILED,
    /** A bug: the handler threw; the frame got no reply and the loop went on. */
    HANDLER_FAILURE
}
