package org.aoemigrate.aoe.initiator.sysfs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A fake sysfs tree with the aoe driver's devices laid out as the real one is
 * ({@code block/etherd!eS.L} linking to {@code devices/virtual/block/etherd!eS.L}), for tests on
 * machines without {@code aoe.ko}.
 */
public final class FakeSysfs {

    private final Path root;

    public FakeSysfs(Path root) throws IOException {
        this.root = root;
        Files.createDirectories(root.resolve("block"));
        Files.createDirectories(root.resolve("devices/virtual/block"));
    }

    public Path root() {
        return root;
    }

    /** Adds a gendisk with the given attributes; a null value leaves the attribute out. */
    public Path device(String name, String size, String state, String mac, String netif, String payload, String dev)
            throws IOException {
        Path dir = root.resolve("devices/virtual/block/etherd!" + name);
        Files.createDirectories(dir);
        write(dir, "size", size);
        write(dir, "state", state);
        write(dir, "mac", mac);
        write(dir, "netif", netif);
        write(dir, "payload", payload);
        write(dir, "dev", dev);
        Files.createSymbolicLink(root.resolve("block/etherd!" + name), Path.of("../devices/virtual/block/etherd!" + name));
        return dir;
    }

    /** A non-aoe disk, which the view must ignore. */
    public void otherDisk(String name) throws IOException {
        Path dir = root.resolve("block/" + name);
        Files.createDirectories(dir);
        write(dir, "size", "2048");
    }

    private static void write(Path dir, String name, String value) throws IOException {
        if (value != null) {
            Files.writeString(dir.resolve(name), value + "\n");
        }
    }
}
