package org.aoemigrate.aoe.initiator.sysfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.aoemigrate.aoe.initiator.AoeAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AoeSysfsTest {

    @TempDir
    Path tmp;

    @Test
    void readsTheDriversDevicesAndIgnoresOtherDisks() throws IOException {
        FakeSysfs sys = new FakeSysfs(tmp.resolve("sys"));
        sys.device("e1.1", "131072", "up", "5254001234ab", "eth1,eth2", "8704", "152:16");
        sys.device("e0.0", "2048", "down,closewait", null, "eth1", null, "152:0");
        sys.otherDisk("sda");
        sys.otherDisk("loop0");

        AoeSysfs view = new AoeSysfs(sys.root(), tmp.resolve("dev"));

        assertThat(view.isMounted()).isTrue();
        assertThat(view.devices()).containsExactly(
                new SysfsDevice("e0.0", 2048L, "down,closewait", null, "eth1", null, "152:0"),
                new SysfsDevice("e1.1", 131072L, "up", "5254001234ab", "eth1,eth2", 8704, "152:16"));
        SysfsDevice e11 = view.device(new AoeAddress(1, 1)).orElseThrow();
        assertThat(e11.isUp()).isTrue();
        assertThat(e11.minor()).isEqualTo("16");
        assertThat(view.device(new AoeAddress(0, 0)).orElseThrow().isUp()).isFalse();
        assertThat(view.device(new AoeAddress(2, 0))).isEmpty();
    }

    @Test
    void upWithAFlagIsUpButAnythingElseIsNot() {
        assertThat(new SysfsDevice("e1.0", 1L, "up,kickme", null, null, null, null).isUp()).isTrue();
        assertThat(new SysfsDevice("e1.0", 1L, "upside", null, null, null, null).isUp()).isFalse();
        assertThat(new SysfsDevice("e1.0", 1L, null, null, null, null, null).isUp()).isFalse();
    }

    @Test
    void withoutABlockDirectorySysfsIsNotMountedAndThereAreNoDevices() throws IOException {
        AoeSysfs view = new AoeSysfs(tmp.resolve("empty"), tmp.resolve("dev"));

        assertThat(view.isMounted()).isFalse();
        assertThat(view.devices()).isEmpty();
    }

    @Test
    void triggersDiscoveryByWritingToTheDiscoverDevice() throws IOException {
        Path dev = Files.createDirectories(tmp.resolve("dev/etherd"));
        AoeSysfs view = new AoeSysfs(tmp.resolve("sys"), dev);
        assertThat(view.canTriggerDiscovery()).isFalse();
        assertThatThrownBy(view::triggerDiscovery).hasMessageContaining("discover does not exist")
                .hasMessageContaining("modprobe aoe");

        Files.createFile(dev.resolve("discover")); // stands in for the character device 152:3
        assertThat(view.canTriggerDiscovery()).isTrue();
        view.triggerDiscovery();

        assertThat(Files.readString(dev.resolve("discover"))).isEqualTo("\n");
    }

    @Test
    void warnsAboutNoNodeWhenTheNodeIsNotABlockDevice() throws IOException {
        FakeSysfs sys = new FakeSysfs(tmp.resolve("sys"));
        sys.device("e1.1", "131072", "up", null, "eth1", "1024", "152:16");
        Path dev = Files.createDirectories(tmp.resolve("dev"));
        Files.createFile(dev.resolve("e1.1")); // a regular file: aoe-stat's test -b skips it too
        AoeSysfs view = new AoeSysfs(sys.root(), dev);

        assertThat(view.nodeWarnings(view.devices())).isEmpty();
        assertThat(view.node(new AoeAddress(1, 1))).isEqualTo(dev.resolve("e1.1"));
    }

    @Test
    void splitsDeviceNumbersAsGlibcDoes() {
        assertThat(DeviceNumber.ofRdev(0x0700)).isEqualTo(new DeviceNumber(7, 0));
        assertThat(DeviceNumber.ofRdev(0x9810)).isEqualTo(new DeviceNumber(152, 16));
        // minors above 255 keep their high bits above the major (e.g. loop300)
        assertThat(DeviceNumber.ofRdev(0x0000_0000_0010_072CL)).isEqualTo(new DeviceNumber(7, 300));
        assertThat(new DeviceNumber(7, 3).sysfsDir(Path.of("/sys"))).isEqualTo(Path.of("/sys/dev/block/7:3"));
        assertThat(new DeviceNumber(259, 1)).hasToString("259:1");
    }
}
