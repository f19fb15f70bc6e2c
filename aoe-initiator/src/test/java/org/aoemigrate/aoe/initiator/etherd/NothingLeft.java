package org.aoemigrate.aoe.initiator.etherd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.stream.Stream;

/** What a user checks after a detach: losetup, the mount table, the node directory, the runtime directory. */
final class NothingLeft {

    private NothingLeft() {
    }

    static void assertNothingLeft(Path runtimeDir, Path nodeDir) throws IOException, InterruptedException {
        assertThat(LoopDevice.backedUnder(runtimeDir)).as("loop devices attached from %s", runtimeDir).isEmpty();
        assertThat(Shell.run(java.time.Duration.ofSeconds(30), "losetup", "-a").output()).doesNotContain(runtimeDir.toString());
        assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain(runtimeDir.toString());
        if (Files.isDirectory(nodeDir)) {
            try (Stream<Path> nodes = Files.list(nodeDir)) {
                assertThat(nodes.filter(p -> Files.exists(p, LinkOption.NOFOLLOW_LINKS))).as("nodes in %s", nodeDir).isEmpty();
            }
        }
        if (Files.isDirectory(runtimeDir)) {
            try (Stream<Path> dirs = Files.list(runtimeDir)) {
                assertThat(dirs).as("mount points in %s", runtimeDir).isEmpty();
            }
        }
    }
}
