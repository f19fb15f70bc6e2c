/* Prints the libfuse3 and libc struct offsets the etherd FUSE binding hard-codes (Fuse3Layout),
 * as name=value lines; Fuse3LayoutIT compiles it against the installed headers and compares. */
#define FUSE_USE_VERSION 314
#include <fuse_lowlevel.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#define PRINT(name, value) printf("%s=%ld\n", name, (long) (value))

int main(void) {
    struct fuse_file_info fi;
    unsigned int bits = 0;
    size_t word;
    memset(&fi, 0, sizeof fi);
    fi.direct_io = 1; /* a bit-field: find its 32-bit word and bit by setting it */
    for (word = 0; word < sizeof fi && bits == 0; word += sizeof bits) {
        memcpy(&bits, (char *) &fi + word, sizeof bits);
    }
    PRINT("FILE_INFO_BITS", word - sizeof bits);
    PRINT("FILE_INFO_DIRECT_IO", bits);

    PRINT("ARGS_SIZE", sizeof(struct fuse_args));
    PRINT("ARGS_ARGC", offsetof(struct fuse_args, argc));
    PRINT("ARGS_ARGV", offsetof(struct fuse_args, argv));
    PRINT("BUF_SIZE", sizeof(struct fuse_buf));
    PRINT("BUF_MEM", offsetof(struct fuse_buf, mem));
    PRINT("CONN_MAX_WRITE", offsetof(struct fuse_conn_info, max_write));
    PRINT("CONN_CAPABLE", offsetof(struct fuse_conn_info, capable));
    PRINT("CONN_WANT", offsetof(struct fuse_conn_info, want));
    PRINT("STAT_SIZE", sizeof(struct stat));
    PRINT("STAT_INO", offsetof(struct stat, st_ino));
    PRINT("STAT_NLINK", offsetof(struct stat, st_nlink));
    PRINT("STAT_MODE", offsetof(struct stat, st_mode));
    PRINT("STAT_ST_SIZE", offsetof(struct stat, st_size));
    PRINT("STAT_BLKSIZE", offsetof(struct stat, st_blksize));
    PRINT("STAT_BLOCKS", offsetof(struct stat, st_blocks));
    PRINT("STAT_ATIME", offsetof(struct stat, st_atim));
    PRINT("STAT_MTIME", offsetof(struct stat, st_mtim));
    PRINT("STAT_CTIME", offsetof(struct stat, st_ctim));
    PRINT("ENTRY_SIZE", sizeof(struct fuse_entry_param));
    PRINT("ENTRY_INO", offsetof(struct fuse_entry_param, ino));
    PRINT("ENTRY_ATTR", offsetof(struct fuse_entry_param, attr));
    PRINT("ENTRY_ATTR_TIMEOUT", offsetof(struct fuse_entry_param, attr_timeout));
    PRINT("ENTRY_ENTRY_TIMEOUT", offsetof(struct fuse_entry_param, entry_timeout));
    PRINT("OPS_SIZE", sizeof(struct fuse_lowlevel_ops));
#define SLOT(field) (offsetof(struct fuse_lowlevel_ops, field) / sizeof(void *))
    PRINT("OPS_INIT", SLOT(init));
    PRINT("OPS_LOOKUP", SLOT(lookup));
    PRINT("OPS_GETATTR", SLOT(getattr));
    PRINT("OPS_OPEN", SLOT(open));
    PRINT("OPS_READ", SLOT(read));
    PRINT("OPS_WRITE", SLOT(write));
    PRINT("OPS_FLUSH", SLOT(flush));
    PRINT("OPS_FSYNC", SLOT(fsync));
    PRINT("OPS_READDIR", SLOT(readdir));
    PRINT("CAP_ASYNC_DIO", FUSE_CAP_ASYNC_DIO);
    return 0;
}
