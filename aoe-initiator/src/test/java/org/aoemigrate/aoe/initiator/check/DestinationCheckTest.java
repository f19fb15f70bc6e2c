package org.aoemigrate.aoe.initiator.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.function.UnaryOperator;
import org.aoemigrate.aoe.initiator.AoeAddress;
import org.aoemigrate.aoe.initiator.AoeInitiator;
import org.aoemigrate.aoe.initiator.InitiatorOptions;
import org.aoemigrate.aoe.initiator.check.PartResult.Outcome;
import org.aoemigrate.aoe.initiator.sysfs.AoeSysfs;
import org.aoemigrate.aoe.initiator.sysfs.FakeSysfs;
import org.aoemigrate.aoe.link.EthernetLink;
import org.aoemigrate.aoe.link.MemoryHub;
import org.aoemigrate.aoe.target.ExportAddress;
import org.aoemigrate.aoe.target.ExportSpec;
import org.aoemigrate.aoe.target.ExportStateStore;
import org.aoemigrate.aoe.target.LinkOpener;
import org.aoemigrate.aoe.target.TargetServer;
import org.aoemigrate.aoe.wire.MacAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The check's network and identity parts against real targets on an in-memory segment. Without
 * root there is no block device, so the node here is a regular file (which fails "node") or
 * missing; the node and read parts with a real block device are covered by CheckCommandIT.
 */
class DestinationCheckTest {

    static final AoeAddress E11 = new AoeAddress(1, 1);
    static final MacAddress TARGET = MacAddress.parse("02:00:00:00:01:01");
    static final MacAddress STRANGER = MacAddress.parse("02:00:00:00:01:99");
    static final long SECTORS = 2048;

    @TempDir
    Path tmp;

    private final MemoryHub hub = new MemoryHub();
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private void serve(MacAddress mac, String config, long sectors) throws IOException {
        serve(mac, config, sectors, link -> link);
    }

    /** As {@link #serve(MacAddress, String, long)}, the target's port as {@code port} makes it. */
    private void serve(MacAddress mac, String config, long sectors, UnaryOperator<EthernetLink> port) throws IOException {
        Path image = tmp.resolve("disk-" + mac.toString().replace(':', '-'));
        byte[] data = new byte[(int) (sectors * 512)];
        new Random(sectors).nextBytes(data);
        Files.write(image, data);
        ExportSpec.Builder spec = ExportSpec.builder(new ExportAddress(1, 1), image, "t" + open.size());
        if (config != null) {
            spec.initialConfig(config);
        }
        LinkOpener opener = (name, frames) -> new LinkOpener.Opened(port.apply(hub.port(name, mac, 1500)), frames);
        TargetServer server = new TargetServer(List.of(spec.build()), ExportStateStore.inMemory(), opener, Duration.ZERO);
        server.start();
        open.add(server::close);
    }

    private CheckReport check(CheckExpectation expect, AoeSysfs view) throws IOException {
        return destinationCheck(view).run(expect, initiator());
    }

    private AoeInitiator initiator() {
        AoeInitiator initiator = AoeInitiator.over(List.of(hub.port("vI", MacAddress.parse("02:00:00:00:02:01"), 1500)),
                InitiatorOptions.DEFAULT.withDeadline(Duration.ofSeconds(3)));
        open.add(initiator);
        return initiator;
    }

    private static DestinationCheck destinationCheck(AoeSysfs view) {
        return new DestinationCheck(view, Duration.ofMillis(600), Duration.ofSeconds(3));
    }

    private AoeSysfs noDriver() {
        return new AoeSysfs(tmp.resolve("sys"), tmp.resolve("dev"));
    }

    private static CheckExpectation expect(String id, long bytes, MacAddress... macs) {
        return new CheckExpectation(E11, id, OptionalLong.of(bytes), List.of(macs), Optional.empty());
    }

    private static PartResult part(CheckReport report, CheckPart part) {
        return report.parts().stream().filter(p -> p.part() == part).findFirst().orElseThrow();
    }

    @Test
    void theRightExportPassesEveryNetworkPartAndAMissingNodeFailsTheCheck() throws IOException {
        serve(TARGET, "id=vm1", SECTORS);

        CheckReport report = check(expect("vm1", SECTORS * 512, TARGET), noDriver());

        assertThat(report.parts()).extracting(PartResult::part).containsExactly(CheckPart.values());
        assertThat(part(report, CheckPart.ANSWER).outcome()).isEqualTo(Outcome.PASS);
        assertThat(part(report, CheckPart.ANSWER).detail()).contains("answered from " + TARGET + " over vI->" + TARGET);
        assertThat(part(report, CheckPart.IDENTITY).outcome()).isEqualTo(Outcome.PASS);
        assertThat(part(report, CheckPart.IDENTITY).detail()).contains("export id vm1").contains("serial \"1.1:");
        assertThat(part(report, CheckPart.SIZE).outcome()).isEqualTo(Outcome.PASS);
        assertThat(part(report, CheckPart.DRIVER).outcome()).isEqualTo(Outcome.SKIP);
        assertThat(part(report, CheckPart.NODE).outcome()).isEqualTo(Outcome.FAIL);
        assertThat(part(report, CheckPart.NODE).detail()).contains(tmp.resolve("dev/e1.1") + " does not exist");
        assertThat(part(report, CheckPart.READ).outcome()).isEqualTo(Outcome.SKIP);
        assertThat(report.passed()).isFalse();
        assertThat(report.textLines()).last().isEqualTo("e1.1: check FAILED: node");
    }

    @Test
    void aRegularFileIsNotADeviceNode() throws IOException {
        serve(TARGET, "id=vm1", SECTORS);
        Files.createDirectories(tmp.resolve("dev"));
        Files.write(tmp.resolve("dev/e1.1"), new byte[(int) SECTORS * 512]);

        CheckReport report = check(expect("vm1", SECTORS * 512, TARGET), noDriver());

        assertThat(part(report, CheckPart.NODE).detail()).contains("exists but is not a block device (a regular file)");
    }

    @Test
    void anotherExportUnderTheSameNameFailsIdentity() throws IOException {
        serve(TARGET, "id=vm2", SECTORS);

        CheckReport report = check(expect("vm1", SECTORS * 512, TARGET), noDriver());

        assertThat(part(report, CheckPart.IDENTITY).outcome()).isEqualTo(Outcome.FAIL);
        assertThat(part(report, CheckPart.IDENTITY).detail())
                .isEqualTo("export id is vm2, expected vm1: this is another export under the same name");
    }

    @Test
    void anExportWithoutAnIdSaysHowToSetIt() throws IOException {
        serve(TARGET, null, SECTORS);

        CheckReport report = check(expect("vm1", SECTORS * 512, TARGET), noDriver());

        assertThat(part(report, CheckPart.IDENTITY).outcome()).isEqualTo(Outcome.FAIL);
        assertThat(part(report, CheckPart.IDENTITY).detail()).contains("config string \"\" carries no export id")
                .contains("aoe-initiator config e1.1 --set id=vm1");
    }

    @Test
    void aWrongSerialFailsIdentity() throws IOException {
        serve(TARGET, "id=vm1", SECTORS);

        CheckReport report = check(new CheckExpectation(E11, "vm1", OptionalLong.empty(), List.of(),
                Optional.of("1.1:00000000")), noDriver());

        assertThat(part(report, CheckPart.IDENTITY).outcome()).isEqualTo(Outcome.FAIL);
        assertThat(part(report, CheckPart.IDENTITY).detail()).contains("expected \"1.1:00000000\"");
    }

    @Test
    void aStrangerAnsweringForTheSameNameFailsAnswer() throws IOException {
        serve(TARGET, "id=vm1", SECTORS);
        serve(STRANGER, "id=vm1", SECTORS);

        CheckReport report = check(expect("vm1", SECTORS * 512, TARGET), noDriver());

        assertThat(part(report, CheckPart.ANSWER).outcome()).isEqualTo(Outcome.FAIL);
        assertThat(part(report, CheckPart.ANSWER).detail()).contains(STRANGER + " is not among the expected " + TARGET)
                .contains("another target serves a disk named e1.1");
    }

    /**
     * IDENTIFY runs while discovery still listens for strangers: a stranger that answers only once
     * the expected target has been sent IDENTIFY is heard, and fails the check, as one answering
     * with it would.
     */
    @Test
    void aStrangerAnsweringWhileIdentifyRunsStillFailsTheCheck() throws IOException {
        CountDownLatch identifySent = new CountDownLatch(1);
        serve(TARGET, "id=vm1", SECTORS, link -> new WatchedTargetLink(link, identifySent, null));
        serve(STRANGER, "id=vm1", SECTORS, link -> new WatchedTargetLink(link, null, identifySent));

        CheckReport report = check(expect("vm1", SECTORS * 512, TARGET), noDriver());

        assertThat(identifySent.getCount()).as("IDENTIFY reached the expected target").isZero();
        assertThat(part(report, CheckPart.ANSWER).outcome()).isEqualTo(Outcome.FAIL);
        assertThat(part(report, CheckPart.ANSWER).detail()).contains(STRANGER + " is not among the expected " + TARGET);
        assertThat(part(report, CheckPart.IDENTITY).outcome()).isEqualTo(Outcome.PASS);
        assertThat(report.parts()).extracting(PartResult::part).containsExactly(CheckPart.values());
    }

    /**
     * A lookup started ahead of the check (the check agent's prepare, before the disks are reserved)
     * is the one the check judges the answer part on: once it has ended, the check sends no Query
     * Config of its own, and passes on what it heard.
     */
    @Test
    void aLookupStartedAheadServesTheCheckWithoutAnotherDiscovery() throws IOException {
        WatchedTargetLink[] target = new WatchedTargetLink[1];
        serve(TARGET, "id=vm1", SECTORS, link -> target[0] = new WatchedTargetLink(link, null, null));
        DestinationCheck check = destinationCheck(noDriver());
        CheckExpectation expect = expect("vm1", SECTORS * 512, TARGET);
        RunningLookup ahead = check.startLookup(expect, initiator());
        assertThat(ahead.settled()).isPresent();
        int queries = target[0].configQueries();

        CheckReport report = check.run(expect, ahead);

        assertThat(queries).as("Query Config requests of the lookup started ahead").isPositive();
        assertThat(target[0].configQueries()).isEqualTo(queries);
        assertThat(part(report, CheckPart.ANSWER).outcome()).isEqualTo(Outcome.PASS);
        assertThat(part(report, CheckPart.IDENTITY).outcome()).isEqualTo(Outcome.PASS);
        assertThat(part(report, CheckPart.SIZE).outcome()).isEqualTo(Outcome.PASS);
    }

    /**
     * A lookup started ahead has spent part of its stranger grace when the check comes; a stranger
     * answering in what is left of it (here: once the check has sent IDENTIFY) fails the check as it
     * would a check that started its own lookup.
     */
    @Test
    void aStrangerAnsweringInTheRestOfTheGraceOfALookupStartedAheadStillFailsTheCheck() throws Exception {
        CountDownLatch identifySent = new CountDownLatch(1);
        serve(TARGET, "id=vm1", SECTORS, link -> new WatchedTargetLink(link, identifySent, null));
        serve(STRANGER, "id=vm1", SECTORS, link -> new WatchedTargetLink(link, null, identifySent));
        DestinationCheck check = destinationCheck(noDriver());
        CheckExpectation expect = expect("vm1", SECTORS * 512, TARGET);
        RunningLookup ahead = check.startLookup(expect, initiator());
        Thread.sleep(10); // the grace goes on while the daemon reserves the disks

        CheckReport report = check.run(expect, ahead);

        assertThat(identifySent.getCount()).as("IDENTIFY reached the expected target").isZero();
        assertThat(part(report, CheckPart.ANSWER).outcome()).isEqualTo(Outcome.FAIL);
        assertThat(part(report, CheckPart.ANSWER).detail()).contains(STRANGER + " is not among the expected " + TARGET);
        assertThat(part(report, CheckPart.IDENTITY).outcome()).isEqualTo(Outcome.PASS);
    }

    @Test
    void aLookupOfAnotherDeviceCannotServeTheCheck() {
        DestinationCheck check = destinationCheck(noDriver());
        RunningLookup other = check.startLookup(new CheckExpectation(new AoeAddress(1, 2), "vm2", OptionalLong.empty(),
                List.of(), Optional.empty()), initiator());

        assertThatThrownBy(() -> check.run(expect("vm1", SECTORS * 512, TARGET), other))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("a lookup of e1.2 cannot check e1.1");
    }

    @Test
    void aSilentExpectedPortIsADegradedPassNotAFailure() throws IOException {
        serve(TARGET, "id=vm1", SECTORS);

        CheckReport report = check(expect("vm1", SECTORS * 512, TARGET, STRANGER), noDriver());

        assertThat(part(report, CheckPart.ANSWER).outcome()).isEqualTo(Outcome.PASS);
        assertThat(part(report, CheckPart.ANSWER).detail()).contains("expected " + STRANGER + " did not answer (degraded");
    }

    @Test
    void aDifferentSizeFailsSize() throws IOException {
        serve(TARGET, "id=vm1", SECTORS);

        CheckReport report = check(expect("vm1", 2 * SECTORS * 512, TARGET), noDriver());

        assertThat(part(report, CheckPart.SIZE).outcome()).isEqualTo(Outcome.FAIL);
        assertThat(part(report, CheckPart.SIZE).detail())
                .startsWith("the export has " + SECTORS * 512 + " bytes, expected size is " + 2 * SECTORS * 512);
    }

    @Test
    void noAnswerFailsAnswerAndSkipsIdentity() throws IOException {
        CheckReport report = check(expect("vm1", SECTORS * 512), noDriver());

        assertThat(part(report, CheckPart.ANSWER).detail())
                .startsWith("e1.1: no answer on vI within 0.6 s; is the target up and on this segment");
        assertThat(part(report, CheckPart.IDENTITY).outcome()).isEqualTo(Outcome.SKIP);
        assertThat(report.failures()).extracting(PartResult::part).containsExactly(CheckPart.NODE, CheckPart.ANSWER);
    }

    @Test
    void aDriverDeviceThatIsDownFailsDriver() throws IOException {
        serve(TARGET, "id=vm1", SECTORS);
        FakeSysfs sys = new FakeSysfs(tmp.resolve("sys"));
        sys.device("e1.1", Long.toString(SECTORS), "down,closewait", "020000000101", "eth1", "1024", "152:16");

        CheckReport report = check(expect("vm1", SECTORS * 512, TARGET), new AoeSysfs(sys.root(), tmp.resolve("dev")));

        assertThat(part(report, CheckPart.DRIVER).outcome()).isEqualTo(Outcome.FAIL);
        assertThat(part(report, CheckPart.DRIVER).detail()).startsWith("aoe driver state is down,closewait, not up");
    }

    @Test
    void aDriverDeviceThatIsUpPassesDriverAndTriggeringDiscoveryIsTriedForAMissingNode() throws IOException {
        serve(TARGET, "id=vm1", SECTORS);
        FakeSysfs sys = new FakeSysfs(tmp.resolve("sys"));
        sys.device("e1.1", Long.toString(SECTORS), "up", "020000000101", "eth1", "1024", "152:16");
        Path dev = Files.createDirectories(tmp.resolve("dev"));
        Files.createFile(dev.resolve("discover"));

        CheckReport report = check(expect("vm1", SECTORS * 512, TARGET), new AoeSysfs(sys.root(), dev));

        assertThat(part(report, CheckPart.DRIVER).outcome()).isEqualTo(Outcome.PASS);
        assertThat(part(report, CheckPart.DRIVER).detail()).isEqualTo("aoe driver state up on eth1");
        assertThat(Files.readString(dev.resolve("discover"))).isEqualTo("\n");
        assertThat(part(report, CheckPart.NODE).outcome()).isEqualTo(Outcome.FAIL);
    }
}
