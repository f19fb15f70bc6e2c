package org.aoemigrate.aoe.wire;

/**
 * Offsets and sizes of AoE r11 frames.
 *
 * <p>Every offset is absolute from the first byte of the Ethernet frame (the destination MAC),
 * so the 14-byte Ethernet header is included: the AoE header starts at 14 and the command's
 * argument at 24. Multi-byte fields are big-endian, except the ATA LBA (see {@link #ATA_LBA}).
 */
public final class AoeConstants {

    /** EtherType registered for AoE. */
    public static final int ETHERTYPE_AOE = 0x88A2;
    /** The protocol version this code speaks (r11: the high nibble of byte 14). */
    public static final int VERSION = 1;

    /** Shortest Ethernet frame without FCS; shorter AoE replies are dropped by aoetools. */
    public static final int MIN_FRAME = 60;
    public static final int MAC_LENGTH = 6;
    public static final int SECTOR_SIZE = 512;
    /** Sector count is one byte on the wire. */
    public static final int MAX_SECTOR_COUNT = 255;
    /** r11 3.2: the config string is at most 1024 bytes. */
    public static final int MAX_CONFIG_STRING = 1024;

    /** r11 2.1: major 0xFFFF addresses every shelf. */
    public static final int BROADCAST_SHELF = 0xFFFF;
    /** r11 2.1: minor 0xFF addresses every slot. */
    public static final int BROADCAST_SLOT = 0xFF;

    // Ethernet header
    public static final int DESTINATION = 0;
    public static final int SOURCE = 6;
    public static final int ETHERTYPE = 12;

    // Common AoE header
    /** Version in the high nibble, flags (R, E) in the low nibble. */
    public static final int VERSION_FLAGS = 14;
    public static final int ERROR = 15;
    public static final int SHELF = 16;
    public static final int SLOT = 18;
    public static final int COMMAND = 19;
    public static final int TAG = 20;
    /** End of the common header (Ethernet + AoE): where every command's argument starts. */
    public static final int HEADER_LENGTH = 24;

    /** Flag bit in the low nibble of {@link #VERSION_FLAGS}: the frame is a response. */
    public static final int FLAG_RESPONSE = 0x08;
    /** Flag bit in the low nibble of {@link #VERSION_FLAGS}: {@link #ERROR} holds an error code. */
    public static final int FLAG_ERROR = 0x04;

    // Command 0: Issue ATA Command
    public static final int ATA_AFLAGS = 24;
    /** Feature register in a request, Error register in a response. */
    public static final int ATA_ERR_FEATURE = 25;
    /** Sectors to transfer in a request, sectors left in a response. */
    public static final int ATA_SECTOR_COUNT = 26;
    /** ATA command in a request, Status register in a response. */
    public static final int ATA_CMD_STATUS = 27;
    /**
     * The six LBA bytes lba0..lba5: <b>little-endian</b>, the only such field in AoE (r11 3.1).
     * For 28-bit commands byte lba3 doubles as the ATA Device register (see {@link AtaMessage}).
     */
    public static final int ATA_LBA = 28;
    public static final int ATA_LBA_LENGTH = 6;
    /** Two reserved bytes, zero when sent. */
    public static final int ATA_RESERVED = 34;
    /** End of the ATA argument and start of the data. */
    public static final int ATA_HEADER_LENGTH = 36;
    public static final int ATA_DATA = ATA_HEADER_LENGTH;

    // Command 1: Query Config Information
    public static final int CONFIG_BUFFER_COUNT = 24;
    public static final int CONFIG_FIRMWARE = 26;
    public static final int CONFIG_SECTOR_COUNT = 28;
    /** AoE version in the high nibble, CCmd in the low nibble. */
    public static final int CONFIG_VERSION_CCMD = 29;
    public static final int CONFIG_STRING_LENGTH = 30;
    public static final int CONFIG_HEADER_LENGTH = 32;
    public static final int CONFIG_STRING = CONFIG_HEADER_LENGTH;

    // Command 2: Mac Mask List
    public static final int MASK_RESERVED = 24;
    public static final int MASK_MCMD = 25;
    public static final int MASK_MERROR = 26;
    public static final int MASK_DIRECTIVE_COUNT = 27;
    public static final int MASK_HEADER_LENGTH = 28;
    public static final int MASK_DIRECTIVES = MASK_HEADER_LENGTH;
    /** A directive: reserved byte, DCmd, MAC. */
    public static final int MASK_DIRECTIVE_LENGTH = 8;

    // Command 3: Reserve/Release
    public static final int RESERVE_RCMD = 24;
    public static final int RESERVE_NMACS = 25;
    public static final int RESERVE_HEADER_LENGTH = 26;
    public static final int RESERVE_MACS = RESERVE_HEADER_LENGTH;

    private AoeConstants() {
    }

    /**
     * The most sectors one ATA frame can carry on a link with this MTU: {@code (mtu - 36) / 512},
     * capped at 255 (the count is one byte) and never negative. 2 at MTU 1500, 17 at 9000. The
     * 36 counts the Ethernet header too, as vblade and Linux do, which errs on the safe side.
     */
    public static int sectorsPerFrame(int mtu) {
        return Math.max(0, Math.min(MAX_SECTOR_COUNT, (mtu - ATA_HEADER_LENGTH) / SECTOR_SIZE));
    }
}
