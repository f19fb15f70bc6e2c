package org.aoemigrate.aoe.link;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.aoemigrate.aoe.testing.CommandResult;
import org.aoemigrate.aoe.testing.Netns;
import org.aoemigrate.aoe.testing.NetnsProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two network namespaces joined by a veth pair ({@code vS} on the sender's side, {@code vR} on
 * the receiver's), with a {@link LinkProbe} on each end: the real AF_PACKET path, kernel filter
 * and socket buffers, with no traffic outside the namespaces.
 */
class PacketSocketLinkIT {

    private static final Duration STARTUP = Duration.ofSeconds(60);
    private static final Duration RUN = Duration.ofSeconds(60);
    /** Receivers stop after this long without a frame; senders finish well within it. */
    private static final String IDLE_MILLIS = "1500";

    private Netns net;
    private Netns.Namespace sender;
    private Netns.Namespace receiver;

    @BeforeEach
    void joinTwoNamespaces() {
        Netns.requireRoot();
        net = new Netns();
        sender = net.namespace("sender");
        receiver = net.namespace("receiver");
        net.veth(sender, "vS", receiver, "vR", 1500);
    }

    @AfterEach
    void tearDown() {
        if (net != null) {
            net.close();
        }
    }

    private NetnsProcess startReceiver(String... args) throws InterruptedException {
        NetnsProcess p = net.startJava(receiver, LinkProbe.class, args);
        p.awaitLine("READY", STARTUP);
        return p;
    }

    private static Map<String, Long> ready(NetnsProcess p) throws InterruptedException {
        return LinkProbe.parse(p.awaitLine("READY", STARTUP));
    }

    private Map<String, Long> send(String... specs) {
        String[] args = new String[specs.length + 2];
        args[0] = "send";
        args[1] = "vS";
        System.arraycopy(specs, 0, args, 2, specs.length);
        CommandResult r = net.runJava(sender, RUN, LinkProbe.class, args).orThrow();
        return LinkProbe.parse(r.stdout());
    }

    private static Map<String, Long> result(NetnsProcess p) throws InterruptedException {
        CommandResult r = p.waitFor(RUN).orThrow();
        return LinkProbe.parse(r.stdout().lines().filter(l -> l.startsWith("RESULT")).findFirst()
                .orElseThrow(() -> new AssertionError("no RESULT line from " + p + ":\n" + p.output())));
    }

    @Test
    void framesSentOnOneEndArriveIntactOnTheOther() throws Exception {
        NetnsProcess rx = startReceiver("receive", "vR", "none", IDLE_MILLIS);

        CommandResult sent = net.runJava(sender, RUN, LinkProbe.class,
                "send", "vS", "request:100:60", "request:100:1514", "request:57:777").orThrow();
        CommandResult got = rx.waitFor(RUN).orThrow();

        assertThat(LinkProbe.parse(sent.stdout())).as("and the sender never saw its own frames")
                .containsEntry("frames", 257L).containsEntry("echoes", 0L);
        assertThat(LinkProbe.parse(got.stdout().lines().filter(l -> l.startsWith("RESULT")).findFirst().orElseThrow()))
                .containsEntry("received", 257L).containsEntry("intact", 257L)
                .containsEntry("corrupt", 0L).containsEntry("maxLength", 1514L).containsEntry("drops", 0L);
        String senderMac = net.exec(sender, RUN, "cat", "/sys/class/net/vS/address").orThrow().stdout().strip();
        assertThat(sent.stdout()).as("the link's MAC is the interface's").contains("mac=" + senderMac);
        assertThat(got.stdout()).as("and frames go out from it").contains("source=" + senderMac);
    }

    @Test
    void mtuIsReadAgainOnEachCall(@TempDir Path dir) throws Exception {
        Path go = dir.resolve("go");
        NetnsProcess probe = net.startJava(receiver, LinkProbe.class, "mtu", "vR", go.toString());
        probe.awaitLine("MTU before", STARTUP);

        net.setMtu(receiver, "vR", 9000);
        Files.createFile(go);

        assertThat(probe.waitFor(RUN).orThrow().stdout()).contains("MTU before=1500").contains("MTU after=9000");
    }

    @Test
    void threadsSharingALinkOnBothEndsLoseAndRepeatNothing() throws Exception {
        NetnsProcess rx = net.startJava(receiver, LinkProbe.class, "receive-threads", "vR", "3", IDLE_MILLIS);
        rx.awaitLine("READY", STARTUP);

        CommandResult sent = net.runJava(sender, RUN, LinkProbe.class, "send-threads", "vS", "4", "500", "1514").orThrow();
        Map<String, Long> got = result(rx);

        assertThat(LinkProbe.parse(sent.stdout())).containsEntry("frames", 2000L).containsEntry("sendDrops", 0L);
        assertThat(got).containsEntry("received", 2000L).containsEntry("intact", 2000L)
                .containsEntry("distinct", 2000L).containsEntry("drops", 0L);
    }

    @Test
    void framesSentAndReceivedManyPerCallArriveIntactOnceEachAndInOrder(@TempDir Path dir) throws Exception {
        Path go = dir.resolve("go");
        NetnsProcess rx = net.startJava(receiver, LinkProbe.class, "receive-many", "vR", IDLE_MILLIS, go.toString());
        rx.awaitLine("READY", STARTUP);

        CommandResult sent = net.runJava(sender, RUN, LinkProbe.class, "send-many", "vS", "1000").orThrow();
        Files.createFile(go);
        Map<String, Long> got = result(rx);

        assertThat(LinkProbe.parse(sent.stdout())).containsEntry("frames", 1000L).containsEntry("sendDrops", 0L);
        assertThat(got).containsEntry("received", 1000L).containsEntry("intact", 1000L)
                .containsEntry("distinct", 1000L).containsEntry("inOrder", 1000L).containsEntry("drops", 0L)
                .as("the queued frames came out many per call").containsEntry("largestBatch", 16L);
    }

    @Test
    void framesTakenFromTheReceiveRingArriveIntactOnceEachAndInOrder(@TempDir Path dir) throws Exception {
        Path go = dir.resolve("go");
        NetnsProcess rx = net.startJava(receiver, LinkProbe.class, "receive-many", "vR", IDLE_MILLIS, go.toString(), "ring");
        assertThat(LinkProbe.parse(rx.awaitLine("READY", STARTUP))).as("one slot per frame asked for")
                .containsEntry("rcvframes", 4096L);

        net.runJava(sender, RUN, LinkProbe.class, "send-many", "vS", "1000").orThrow();
        Files.createFile(go);
        Map<String, Long> got = result(rx);

        assertThat(got).containsEntry("received", 1000L).containsEntry("intact", 1000L)
                .containsEntry("distinct", 1000L).containsEntry("inOrder", 1000L).containsEntry("drops", 0L)
                .containsEntry("largestBatch", 16L);
    }

    @ParameterizedTest(name = "MTU {0}")
    @ValueSource(ints = {1500, 9000})
    void aFullReceiveRingDropsTheRestAndSaysSo(int mtu, @TempDir Path dir) throws Exception {
        net.setMtu(sender, "vS", mtu);
        net.setMtu(receiver, "vR", mtu);
        Path go = dir.resolve("go");
        NetnsProcess rx = startReceiver("receive", "vR", "requests", IDLE_MILLIS, "16", go.toString(), "ring");

        send("request:400:" + (mtu + 14));
        Files.createFile(go);
        Map<String, Long> got = result(rx);

        assertThat(ready(rx)).containsEntry("rcvframes", 16L);
        assertThat(got).containsEntry("received", 16L).containsEntry("intact", 16L).containsEntry("drops", 384L)
                .containsEntry("kernelPackets", 400L).containsEntry("maxLength", (long) mtu + 14);
    }

    @Test
    void aReceiveRingCarriesOnAfterItsLinkGoesDownAndUpAgain(@TempDir Path dir) throws Exception {
        Path resume = dir.resolve("resume");
        NetnsProcess rx = startReceiver("receive", "vR", "requests", "4000", "64", "-", "ring");
        NetnsProcess tx = net.startJava(sender, LinkProbe.class,
                "send", "vS", "request:3:60", "wait:" + resume, "request:4:60");
        tx.awaitLine("WAITING", STARTUP);
        Thread.sleep(300);

        net.linkDown(receiver, "vR");
        net.linkDown(sender, "vS");
        net.linkUp(receiver, "vR");
        net.linkUp(sender, "vS");
        Files.createFile(resume);

        tx.waitFor(RUN).orThrow();
        assertThat(result(rx)).containsEntry("received", 7L).containsEntry("intact", 7L)
                .containsEntry("linkDownEvents", 1L);
    }

    @Test
    void kernelFilterDropsForeignEtherTypesAndTheWrongDirection() throws Exception {
        NetnsProcess requestsOnly = startReceiver("receive", "vR", "requests", IDLE_MILLIS);

        send("request:40:60", "response:30:60", "foreign:20:60", "request:10:1000");
        Map<String, Long> got = result(requestsOnly);

        assertThat(got).containsEntry("received", 50L).containsEntry("requests", 50L)
                .containsEntry("responses", 0L).containsEntry("intact", 50L);
        assertThat(got).as("dropped by the filter, so never counted by the socket").containsEntry("kernelPackets", 50L);
    }

    @Test
    void withoutAFilterResponsesArriveButForeignEtherTypesStillDoNot() throws Exception {
        NetnsProcess all = startReceiver("receive", "vR", "none", IDLE_MILLIS);

        send("request:5:60", "response:7:60", "foreign:9:60");

        assertThat(result(all)).containsEntry("received", 12L).containsEntry("responses", 7L);
    }

    @Test
    void responseFilterWithAnAddressKeepsOnlyThatTargetAndBroadcasts() throws Exception {
        NetnsProcess initiator = startReceiver("receive", "vR", "responses@3.7", IDLE_MILLIS);

        send("response:4:60:3.7", "response:5:60:3.8", "response:6:60:4.7",
                "response:3:60:65535.7", "response:2:60:3.255", "request:9:60:3.7");

        assertThat(result(initiator)).containsEntry("received", 4L + 3 + 2).containsEntry("responses", 9L);
    }

    @Test
    void jumboFramesPassOnceTheMtuIs9000() throws Exception {
        net.setMtu(sender, "vS", 9000);
        net.setMtu(receiver, "vR", 9000);
        NetnsProcess rx = startReceiver("receive", "vR", "requests", IDLE_MILLIS);

        send("request:20:9014", "request:20:8000");
        Map<String, Long> got = result(rx);

        assertThat(got).containsEntry("received", 40L).containsEntry("intact", 40L).containsEntry("maxLength", 9014L);
    }

    @Test
    void bothEndsCarryOnAfterTheirLinksGoDownAndUpAgain(@TempDir Path dir) throws Exception {
        Path resume = dir.resolve("resume");
        NetnsProcess rx = startReceiver("receive", "vR", "requests", "4000");
        NetnsProcess tx = net.startJava(sender, LinkProbe.class,
                "send", "vS", "request:3:60", "wait:" + resume, "request:4:60");
        tx.awaitLine("WAITING", STARTUP);
        Thread.sleep(300);

        net.linkDown(receiver, "vR");
        net.linkDown(sender, "vS");
        net.linkUp(receiver, "vR");
        net.linkUp(sender, "vS");
        Files.createFile(resume);

        assertThat(tx.waitFor(RUN).orThrow().stdout()).as("the sender's first send after the flap goes out")
                .contains("SENT frames=7");
        assertThat(result(rx)).containsEntry("received", 7L).containsEntry("intact", 7L)
                .containsEntry("linkDownEvents", 1L);
    }

    @Test
    void frameLongerThanTheMtuFailsWithAnErrorNamingCallAndInterface() {
        CommandResult r = net.runJava(sender, RUN, LinkProbe.class, "send", "vS", "request:1:1515");

        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.stdout()).contains("ERROR send on vS failed: EMSGSIZE");
    }

    @Test
    void sendOnALinkTakenDownFailsWithEnetdown() {
        net.linkDown(sender, "vS");

        CommandResult r = net.runJava(sender, RUN, LinkProbe.class, "send", "vS", "request:1:60");

        assertThat(r.stdout()).contains("ERROR send on vS failed: ENETDOWN");
    }

    @Test
    void openingAMissingInterfaceSaysWhichAndWhere() {
        CommandResult r = net.runJava(sender, RUN, LinkProbe.class, "send", "vNope", "request:1:60");

        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.stdout()).contains("ERROR ioctl(SIOCGIFINDEX) on vNope failed: ENODEV")
                .contains("no interface of that name in this network namespace");
    }

    @Test
    void receiveTimesOutPollsAndIsWokenByClose() {
        CommandResult r = net.runJava(receiver, RUN, LinkProbe.class, "timing", "vR").orThrow();
        Map<String, Long> t = LinkProbe.parse(r.stdout());

        assertThat(t).containsEntry("pollZeroGot", 0L).containsEntry("timeout250Got", 0L);
        assertThat(t.get("pollZeroMicros")).isLessThan(50_000L);
        assertThat(t.get("timeout250Millis")).isBetween(250L, 1_500L);
        assertThat(t.get("closeWokeAfterMillis")).isBetween(300L, 3_000L);
        assertThat(r.stdout()).contains("closeOutcome=AsynchronousCloseException");
    }

    @ParameterizedTest(name = "MTU {0}")
    @ValueSource(ints = {1500, 9000})
    void overflowingTheReceiveBufferIsReportedAsDrops(int mtu, @TempDir Path dir) throws Exception {
        net.setMtu(sender, "vS", mtu);
        net.setMtu(receiver, "vR", mtu);
        Path go = dir.resolve("go");
        NetnsProcess rx = startReceiver("receive", "vR", "requests", IDLE_MILLIS, "16", go.toString());

        send("request:400:" + (mtu + 14));
        Files.createFile(go);
        Map<String, Long> got = result(rx);
        System.out.println("receive buffer for 16 frames of MTU " + mtu + ": " + rx.output().replace('\n', ' '));

        long reportedFrames = ready(rx).get("rcvframes");
        assertThat(reportedFrames).as("room for the frames asked for").isGreaterThanOrEqualTo(16L);
        assertThat(got.get("received")).as("and the room reported is really there").isGreaterThanOrEqualTo(reportedFrames);
        assertThat(got.get("drops")).isPositive();
        assertThat(got.get("received") + got.get("drops")).isEqualTo(400L);
        assertThat(got.get("kernelPackets")).isEqualTo(400L);
        assertThat(got.get("intact")).isEqualTo(got.get("received"));
    }

    @Test
    void perCallCost() {
        CommandResult r = net.runJava(sender, RUN, LinkProbe.class, "bench", "vS", "200000").orThrow();
        System.out.println("PacketSocketLink per-call cost on veth: " + r.stdout().strip());

        assertThat(LinkProbe.parse(r.stdout())).containsKeys("sendDirectNanos", "sendHeapNanos", "emptyReceiveNanos");
    }
}
