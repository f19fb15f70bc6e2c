package org.aoemigrate.aoe.initiator.etherd;

/**
 * Offsets into the libfuse3 structs this binding reads or fills, for x86_64. libfuse keeps
 * these stable within soname 3 (new fields go into reserved space or the end); the values were
 * printed by gcc from the libfuse3-dev 3.14 headers, and {@code Fuse3LayoutIT} compiles the same
 * probe ({@code fuse3-layout.c} in the test resources) and compares, so a drift fails the build.
 */
final class Fuse3Layout {

    /** struct fuse_args {int argc; char **argv; int allocated;}. */
    static final int ARGS_SIZE = 24;
    static final int ARGS_ARGC = 0;
    static final int ARGS_ARGV = 8;

    /** struct fuse_buf: one request read from /dev/fuse; libfuse mallocs {@code mem} on first use. */
    static final int BUF_SIZE = 40;
    static final int BUF_MEM = 16;

    /** struct fuse_file_info: the bit-field word after {@code flags}; direct_io is its bit 1. */
    static final int FILE_INFO_BITS = 4;
    static final int FILE_INFO_DIRECT_IO = 1 << 1;

    /** struct fuse_conn_info (unsigned fields), as handed to the init callback. */
    static final int CONN_MAX_WRITE = 8;
    static final int CONN_CAPABLE = 20;
    static final int CONN_WANT = 24;

    /** struct stat (x86_64). */
    static final int STAT_SIZE = 144;
    static final int STAT_INO = 8;
    static final int STAT_NLINK = 16;
    static final int STAT_MODE = 24;
    static final int STAT_ST_SIZE = 48;
    static final int STAT_BLKSIZE = 56;
    static final int STAT_BLOCKS = 64;
    /** st_atim, st_mtim, st_ctim: struct timespec {tv_sec; tv_nsec}. */
    static final int STAT_ATIME = 72;
    static final int STAT_MTIME = 88;
    static final int STAT_CTIME = 104;

    /** struct fuse_entry_param {ino; generation; struct stat attr; double attr_timeout, entry_timeout}. */
    static final int ENTRY_SIZE = 176;
    static final int ENTRY_INO = 0;
    static final int ENTRY_ATTR = 16;
    static final int ENTRY_ATTR_TIMEOUT = 160;
    static final int ENTRY_ENTRY_TIMEOUT = 168;

    /** struct fuse_lowlevel_ops: 44 function pointers in 3.14; slots are pointer indexes. */
    static final int OPS_SIZE = 352;
    static final int OPS_INIT = 0;
    static final int OPS_LOOKUP = 2;
    static final int OPS_GETATTR = 4;
    static final int OPS_OPEN = 14;
    static final int OPS_READ = 15;
    static final int OPS_WRITE = 16;
    static final int OPS_FLUSH = 17;
    static final int OPS_FSYNC = 19;
    static final int OPS_READDIR = 21;

    /** FUSE_CAP_ASYNC_DIO: the kernel may send one O_DIRECT request as several at once. */
    static final int CAP_ASYNC_DIO = 1 << 15;

    private Fuse3Layout() {
    }
}
