package org.aoemigrate.aoe.target.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.aoemigrate.aoe.testing.CommandResult;
import org.aoemigrate.aoe.testing.Netns;
import org.aoemigrate.aoe.testing.NetnsProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real process refuses to start, with one line and a named exit status, when serving would
 * be wrong or cannot work: another target (Debian's vblade, or a second aoe-target) already
 * answers for the address on the segment, the address is invalid, the interface does not exist,
 * or there is no permission for raw sockets.
 */
class StartupRefusalIT {

    @TempDir
    Path dir;

    private Netns net;
    private Netns.Namespace targetNs;
    private Netns.Namespace peerNs;
    private Path image;

    @BeforeEach
    void segment() throws Exception {
        Netns.requireRoot();
        net = new Netns();
        targetNs = net.namespace("target");
        peerNs = net.namespace("peer");
        net.veth(targetNs, "vT", peerNs, "vP", 1500);
        image = dir.resolve("disk.img");
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.setLength(8L << 20);
        }
    }

    @AfterEach
    void tearDown() {
        if (net != null) {
            net.close();
        }
    }

    private String[] ours(String... vblade) {
        List<String> args = new ArrayList<>(List.of("--state-dir", dir.resolve("state").toString()));
        args.addAll(List.of(vblade));
        return args.toArray(String[]::new);
    }

    private String macOf(Netns.Namespace ns, String iface) {
        return net.exec(ns, Duration.ofSeconds(10), "cat", "/sys/class/net/" + iface + "/address").orThrow().stdout().strip();
    }

    @Test
    void refusesWhenVbladeAlreadyServesTheAddress() throws Exception {
        Path other = dir.resolve("other.img");
        Files.copy(image, other);
        NetnsProcess vblade = net.start(peerNs, "vblade", List.of("vblade", "1", "1", "vP", other.toString()));
        vblade.awaitLine("e1.1", Duration.ofSeconds(10));

        CommandResult r = AoeTargetProcess.refusal(net, targetNs, ours("1", "1", "vT", image.toString()));

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(7);
        assertThat(r.stdout()).isEmpty();
        assertThat(r.stderr().strip()).isEqualTo("aoe-target: e1.1 is already served on vT by " + macOf(peerNs, "vP")
                + ". Two targets with one address corrupt data (Linux merges them as paths of one disk):"
                + " stop the other target, or serve this export under another shelf.slot.");
        assertThat(vblade.isAlive()).isTrue();
    }

    @Test
    void refusesWhenAnotherAoeTargetAlreadyServesTheAddress() throws Exception {
        Path other = dir.resolve("other.img");
        Files.copy(image, other);
        NetnsProcess first = AoeTargetProcess.start(net, peerNs, "--state-dir", dir.resolve("peer-state").toString(),
                "1", "1", "vP", other.toString());

        CommandResult second = AoeTargetProcess.refusal(net, targetNs, ours("1", "1", "vT", image.toString()));

        assertThat(second.exitCode()).as(second.toString()).isEqualTo(7);
        assertThat(second.stderr().lines()).hasSize(1);
        assertThat(second.stderr()).startsWith("aoe-target: e1.1 is already served on vT by " + macOf(peerNs, "vP"));
        // the refused target answered nothing: the first one still serves alone
        assertThat(first.isAlive()).isTrue();
        assertThat(AoeTargetProcess.terminate(first).exitCode()).isEqualTo(143);
    }

    @Test
    void servesBesideAnotherTargetOnADifferentAddress() throws Exception {
        Path other = dir.resolve("other.img");
        Files.copy(image, other);
        NetnsProcess vblade = net.start(peerNs, "vblade", List.of("vblade", "1", "2", "vP", other.toString()));
        vblade.awaitLine("e1.2", Duration.ofSeconds(10));

        NetnsProcess ours = AoeTargetProcess.start(net, targetNs, ours("1", "1", "vT", image.toString()));

        assertThat(ours.output()).contains("aoe-target: serving 1 export on 1 interface");
        assertThat(AoeTargetProcess.terminate(ours).exitCode()).isEqualTo(143);
    }

    @Test
    void refusesAnInvalidShelfWithTheAllowedRange() {
        CommandResult r = AoeTargetProcess.refusal(net, targetNs, ours("4095", "1", "vT", image.toString()));
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr().strip()).isEqualTo(
                "aoe-target: shelf 4095 is reserved (Linux rejects it as all ones); use 0-4094 or 4096-65534");
    }

    @Test
    void refusesTheBroadcastSlot() {
        CommandResult r = AoeTargetProcess.refusal(net, targetNs, ours("1", "255", "vT", image.toString()));
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr().strip()).isEqualTo(
                "aoe-target: slot 255 is the broadcast slot (it addresses every slot); use 0-254");
    }

    @Test
    void refusesAnInterfaceThatIsNotInTheNamespace() {
        CommandResult r = AoeTargetProcess.refusal(net, targetNs, ours("1", "1", "vT,nosuch0", image.toString()));
        assertThat(r.exitCode()).isEqualTo(5);
        assertThat(r.stderr().strip()).isEqualTo("aoe-target: there is no interface nosuch0 in this network namespace;"
                + " 'ip link' lists the ones there are");
        assertThat(dir.resolve("state")).doesNotExist();
    }

    @Test
    void refusesWithoutRawSocketPermission() throws Exception {
        // an unprivileged user who can read the image (read-only export) and the jar
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(image, PosixFilePermissions.fromString("rw-r--r--"));
        List<String> command = new ArrayList<>(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                "--inh-caps=-all", "--"));
        command.addAll(AoeTargetProcess.command("-r", "1", "1", "vT", image.toString()));

        CommandResult r = net.exec(targetNs, Duration.ofSeconds(30), command);

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(6);
        assertThat(r.stderr().strip()).isEqualTo("aoe-target: opening a raw socket on vT needs root or CAP_NET_RAW");
    }
}
