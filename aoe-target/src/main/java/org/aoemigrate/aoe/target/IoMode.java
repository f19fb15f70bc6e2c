package org.aoemigrate.aoe.target;

/** How an export's backing file is opened; decides when a write is durable. */
public enum IoMode {
    /**
     * Through the page cache. A write is acknowledged once the kernel has it; FLUSH CACHE
     * (0xE7/0xEA) replies only after the data reached the device.
     */
    BUFFERED,
    /** O_DSYNC: every write is on the device when its reply goes out (vblade {@code -s}). */
    SYNC,
    /**
     * O_DIRECT plus O_DSYNC: no page cache, and every write is durable at reply (vblade
     * {@code -d}, made durable). Java requires direct I/O aligned to the file system block size
     * (usually 4096), so the export window must be aligned to it; sub-block requests are read,
     * merged and written back as whole blocks.
     */
    DIRECT
}
