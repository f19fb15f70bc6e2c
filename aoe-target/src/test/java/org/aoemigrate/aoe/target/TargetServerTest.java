package org.aoemigrate.aoe.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.aoemigrate.aoe.link.MemoryHub;
import org.aoemigrate.aoe.link.MemoryHubPort;
import org.aoemigrate.aoe.wire.AoeCodec;
import org.aoemigrate.aoe.wire.AoeCommand;
import org.aoemigrate.aoe.wire.AoeConstants;
import org.aoemigrate.aoe.wire.AoeHeader;
import org.aoemigrate.aoe.wire.AtaMessage;
import org.aoemigrate.aoe.wire.ConfigMessage;
import org.aoemigrate.aoe.wire.ConfigSubcommand;
import org.aoemigrate.aoe.wire.MacAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TargetServerTest {

    @TempDir
    Path dir;

    private ExportSpec spec(int shelf, int slot, String... interfaces) throws IOException {
        return ExportSpec.builder(new ExportAddress(shelf, slot),
                HubTarget.image(dir, "e" + shelf + "." + slot + ".img", 16, shelf * 256L + slot), interfaces).build();
    }

    private static ConfigMessage discover(int tag) {
        return ConfigMessage.discover(HubTarget.INITIATOR, tag);
    }

    private static List<ConfigMessage> collect(MemoryHubPort port, int max) throws Exception {
        List<ConfigMessage> got = new ArrayList<>();
        ByteBuffer b = ByteBuffer.allocate(RequestHandler.MAX_REPLY);
        while (got.size() < max && port.receive(b, 2000)) {
            got.add((ConfigMessage) AoeCodec.decode(b));
        }
        return got;
    }

    @Test
    void everyExportAnswersABroadcastDiscoveryOnItsOwnLinksOnly() throws Exception {
        try (HubTarget t = HubTarget.start(ExportStateStore.inMemory(), spec(1, 0, "t0"), spec(1, 1, "t0"),
                spec(2, 0, "t1"))) {
            t.send(discover(0x8000_0100));
            List<ConfigMessage> replies = collect(t.initiator, 4);
            Set<String> who = new HashSet<>();
            for (ConfigMessage m : replies) {
                who.add("e" + m.header().shelf() + "." + m.header().slot() + "@" + m.header().source());
                assertThat(m.header().tag()).isEqualTo(0x8000_0100);
            }
            assertThat(who).containsExactlyInAnyOrder(
                    "e1.0@" + HubTarget.targetMac(0), "e1.1@" + HubTarget.targetMac(0), "e2.0@" + HubTarget.targetMac(1));
        }
    }

    @Test
    void anExportOnTwoLinksAnswersOnEach() throws Exception {
        try (HubTarget t = HubTarget.start(ExportStateStore.inMemory(), spec(7, 3, "t0", "t1"))) {
            t.send(discover(0x8000_0200));
            List<ConfigMessage> replies = collect(t.initiator, 3);
            assertThat(replies).extracting(m -> m.header().source())
                    .containsExactlyInAnyOrder(HubTarget.targetMac(0), HubTarget.targetMac(1));
            for (int port = 0; port < 2; port++) {
                AoeHeader h = AoeHeader.request(HubTarget.targetMac(port), HubTarget.INITIATOR, 7, 3, AoeCommand.ATA, t.tag());
                AtaMessage r = t.exchange(AtaMessage.read(h, 15, 1));
                assertThat(r.header().source()).isEqualTo(HubTarget.targetMac(port));
                assertThat(r.dataLength()).isEqualTo(512);
            }
        }
    }

    @Test
    void startAnnouncesEachExportOnEachLinkWithVersion1() throws Exception {
        MemoryHub hub = new MemoryHub();
        MemoryHubPort listener = hub.port("listener", HubTarget.INITIATOR, 1500);
        TargetServer server = new TargetServer(List.of(spec(4, 2, "t0", "t1")), ExportStateStore.inMemory(),
                (name, frames) -> new LinkOpener.Opened(hub.port(name, HubTarget.targetMac(name.charAt(1) - '0'), 1500), 8),
                Duration.ZERO);
        try {
            server.start();
            ByteBuffer b = ByteBuffer.allocate(2048);
            Set<MacAddress> from = new HashSet<>();
            for (int i = 0; i < 2; i++) {
                assertThat(listener.receive(b, 2000)).isTrue();
                assertThat(b.remaining()).isGreaterThanOrEqualTo(60);
                ConfigMessage advert = (ConfigMessage) AoeCodec.decode(b);
                assertThat(advert.header().destination()).isEqualTo(MacAddress.BROADCAST);
                assertThat(advert.header().version()).isEqualTo(1);
                assertThat(advert.header().response()).isTrue();
                assertThat(advert.header().tag()).isZero();
                assertThat(advert.aoeVersion()).isEqualTo(1);
                assertThat(advert.bufferCount()).isEqualTo(8);
                assertThat(advert.header().shelf()).isEqualTo(4);
                from.add(advert.header().source());
            }
            assertThat(from).containsExactlyInAnyOrder(HubTarget.targetMac(0), HubTarget.targetMac(1));
        } finally {
            server.stop();
        }
    }

    @Test
    void refusesToStartWhenAnotherTargetAnswersForTheAddress() throws Exception {
        MemoryHub hub = new MemoryHub();
        MemoryHubPort initiator = hub.port("i0", HubTarget.INITIATOR, 1500);
        try (HubTarget first = HubTarget.start(hub, initiator, ExportStateStore.inMemory(), Duration.ZERO, spec(9, 9, "t0"))) {
            List<MemoryHubPort> opened = new ArrayList<>();
            TargetServer second = new TargetServer(List.of(spec(9, 9, "t0")), ExportStateStore.inMemory(),
                    (name, frames) -> {
                        MemoryHubPort p = hub.port("second-" + name, MacAddress.parse("02:00:00:00:00:77"), 1500);
                        opened.add(p);
                        return new LinkOpener.Opened(p, 16);
                    }, Duration.ofSeconds(2)); // long enough for the first target's thread on a loaded machine
            assertThatThrownBy(second::start).isInstanceOf(DuplicateTargetException.class)
                    .hasMessageContaining("e9.9 is already served on second-t0 by " + HubTarget.targetMac(0))
                    .hasMessageContaining("corrupt data");
            assertThat(second.isRunning()).isFalse();
            assertThat(hub.ports()).as("the refused server closed its link").doesNotContainAnyElementsOf(opened);

            TargetServer other = new TargetServer(List.of(spec(9, 8, "t0")), ExportStateStore.inMemory(),
                    (name, frames) -> new LinkOpener.Opened(hub.port("other-" + name, MacAddress.parse("02:00:00:00:00:78"), 1500), 16),
                    Duration.ofMillis(300));
            other.start();
            assertThat(other.isRunning()).isTrue();
            other.stop();
        }
    }

    @Test
    void startFailureNamesTheExportAndClosesWhatWasOpened() throws IOException {
        ExportSpec good = spec(1, 0, "t0");
        ExportSpec bad = ExportSpec.builder(new ExportAddress(1, 1), dir.resolve("e1.1.img"), "t0").lengthSectors(999).build();
        HubTarget.image(dir, "e1.1.img", 16, 5);
        MemoryHub hub = new MemoryHub();
        TargetServer server = new TargetServer(List.of(good, bad), ExportStateStore.inMemory(),
                (name, frames) -> new LinkOpener.Opened(hub.port(name, HubTarget.targetMac(0), 1500), 8), Duration.ZERO);
        assertThatThrownBy(server::start).isInstanceOf(IOException.class).hasMessageStartingWith("e1.1: length 999 sectors");
        assertThat(server.exports()).isEmpty();
        assertThat(hub.ports()).isEmpty();
    }

    @Test
    void refusesTwoExportsWithOneAddress() throws IOException {
        ExportSpec a = spec(1, 0, "t0");
        assertThatThrownBy(() -> new TargetServer(List.of(a, a), ExportStateStore.inMemory(), null, Duration.ZERO))
                .hasMessage("e1.0 is exported twice; give each export its own shelf.slot");
    }

    @Test
    void stopClosesLinksAndStopsAnswering() throws Exception {
        HubTarget t = HubTarget.start(ExportStateStore.inMemory(), spec(1, 0, "t0"));
        MemoryHubPort port = t.targetPorts.get("t0");
        t.close();
        assertThat(t.server.isRunning()).isFalse();
        assertThat(t.hub.ports()).doesNotContain(port);
        assertThat(t.server.exports()).isEmpty();
        t.send(discover(1));
        assertThat(t.initiator.receive(ByteBuffer.allocate(2048), 300)).isFalse();
    }

    @Test
    void linkDropsAreReportedPerInterface() throws Exception {
        try (HubTarget t = HubTarget.start(ExportStateStore.inMemory(), spec(1, 0, "t0"))) {
            assertThat(t.server.linkDrops()).containsOnlyKeys("t0@" + System.identityHashCode(t));
        }
    }

    @Test
    void replyFramesAreAlwaysAtLeast60Bytes() throws Exception {
        try (HubTarget t = HubTarget.start(ExportStateStore.inMemory(), spec(1, 0, "t0"))) {
            ByteBuffer r = t.exchangeRaw(AoeCodec.toFrame(ConfigMessage.query(t.header(1, 0, AoeCommand.QUERY_CONFIG),
                    ConfigSubcommand.READ, null)));
            assertThat(r.remaining()).isEqualTo(AoeConstants.MIN_FRAME); // 32 bytes before padding, as vblade sent
        }
    }
}
