package org.aoemigrate.aoe.initiator.etherd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class MountsTest {

    @Test
    void readsMountPointTypeAndSourceAfterTheOptionalFields() {
        var mount = Mounts.parse("312 29 0:52 / /run/aoe-initiator/fuse/4242 rw,nosuid,nodev,relatime shared:170 master:1 - fuse.aoe-etherd aoe-etherd"
                + " rw,user_id=0,group_id=0,default_permissions,allow_other");

        assertThat(mount.mountPoint()).isEqualTo(Path.of("/run/aoe-initiator/fuse/4242"));
        assertThat(mount.fsType()).isEqualTo(FuseServer.FS_TYPE);
        assertThat(mount.source()).isEqualTo("aoe-etherd");
    }

    @Test
    void decodesTheOctalEscapesOfSpacesAndBackslashes() {
        var mount = Mounts.parse("36 35 98:0 / /mnt/with\\040space\\134x rw - ext4 /dev/sda1 rw");

        assertThat(mount.mountPoint()).isEqualTo(Path.of("/mnt/with space\\x"));
    }

    @Test
    void refusesALineWithoutTheSeparator() {
        assertThatThrownBy(() -> Mounts.parse("36 35 98:0 / /mnt rw ext4 /dev/sda1 rw")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unexpected mountinfo line");
    }
}
