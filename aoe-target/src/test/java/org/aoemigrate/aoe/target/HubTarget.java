package org.aoemigrate.aoe.target;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.aoemigrate.aoe.link.MemoryHub;
import org.aoemigrate.aoe.link.MemoryHubPort;
import org.aoemigrate.aoe.wire.AoeCodec;
import org.aoemigrate.aoe.wire.AoeCommand;
import org.aoemigrate.aoe.wire.AoeConstants;
import org.aoemigrate.aoe.wire.AoeHeader;
import org.aoemigrate.aoe.wire.AoeMessage;
import org.aoemigrate.aoe.wire.AoeProtocolException;
import org.aoemigrate.aoe.wire.ConfigMessage;
import org.aoemigrate.aoe.wire.ConfigSubcommand;
import org.aoemigrate.aoe.wire.MacAddress;

/**
 * A real {@link TargetServer} on a {@link MemoryHub}, and an initiator port to talk to it: the
 * unit-test rig. Target ports are named {@code t0}, {@code t1}, ... with MACs 02:..:01, 02:..:02;
 * the initiator is {@code i0} at 02:..:0a. Every frame the initiator receives is checked to be
 * at least 60 bytes (aoetools drop shorter ones).
 */
final class HubTarget implements AutoCloseable {

    static final MacAddress INITIATOR = MacAddress.parse("02:00:00:00:00:0a");
    static final int QUEUE_FRAMES = 64;
    private static final long REPLY_WAIT_MILLIS = 2_000;

    final MemoryHub hub;
    final MemoryHubPort initiator;
    /** Sees every frame on the segment, to prove silence. */
    final MemoryHubPort tap;
    final Map<String, MemoryHubPort> targetPorts = new HashMap<>();
    final TargetServer server;
    private int nextTag = 0x8000_0001;

    private HubTarget(MemoryHub hub, MemoryHubPort initiator, List<ExportSpec> specs, ExportStateStore state,
            Duration duplicateCheck) throws IOException {
        this.hub = hub;
        this.initiator = initiator;
        this.tap = hub.tap("tap@" + System.identityHashCode(this));
        this.server = new TargetServer(specs, state, this::openPort, duplicateCheck);
        server.start();
    }

    /** Starts a target serving {@code specs}, without the duplicate check; the initiator has seen the adverts. */
    static HubTarget start(ExportStateStore state, ExportSpec... specs) throws IOException {
        MemoryHub hub = new MemoryHub();
        return start(hub, hub.port("i0", INITIATOR, 1500), state, Duration.ZERO, specs);
    }

    static HubTarget start(MemoryHub hub, MemoryHubPort initiator, ExportStateStore state, Duration duplicateCheck,
            ExportSpec... specs) throws IOException {
        HubTarget t = new HubTarget(hub, initiator, List.of(specs), state, duplicateCheck);
        t.drainAdverts();
        return t;
    }

    private LinkOpener.Opened openPort(String name, int queueFrames) {
        int index = Integer.parseInt(name.substring(1));
        MemoryHubPort port = hub.port(name + "@" + System.identityHashCode(this), targetMac(index), 1500);
        port.setQueueCapacity(QUEUE_FRAMES);
        targetPorts.put(name, port);
        return new LinkOpener.Opened(port, QUEUE_FRAMES);
    }

    static MacAddress targetMac(int index) {
        return new MacAddress(0x0200_0000_0001L + index);
    }

    /** The server sends one advert per export per link (or per mask MAC); they are not what tests ask about. */
    private void drainAdverts() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(RequestHandler.MAX_REPLY);
        while (initiator.receive(b, 50)) {
            // discard
        }
    }

    static Path image(Path dir, String name, int sectors, long seed) throws IOException {
        byte[] b = new byte[sectors * 512];
        new Random(seed).nextBytes(b);
        return Files.write(dir.resolve(name), b);
    }

    /** Sectors {@code lba} .. {@code lba + count - 1} of the file {@code image}, as they are now. */
    static byte[] sectors(Path image, long lba, int count) throws IOException {
        return Arrays.copyOfRange(Files.readAllBytes(image), (int) lba * 512, (int) (lba + count) * 512);
    }

    /** {@code sectors} sectors of the byte {@code value}. */
    static byte[] filled(int sectors, int value) {
        byte[] b = new byte[sectors * 512];
        Arrays.fill(b, (byte) value);
        return b;
    }

    int tag() {
        return nextTag++;
    }

    AoeHeader header(int shelf, int slot, AoeCommand command) {
        return AoeHeader.request(targetMac(0), INITIATOR, shelf, slot, command, tag());
    }

    /** Sends a raw frame from the initiator. */
    void send(ByteBuffer frame) throws IOException {
        initiator.send(frame);
    }

    void send(AoeMessage m) throws IOException {
        send(AoeCodec.toFrame(m));
    }

    /** The next frame the initiator receives, checked for the 60-byte minimum, or null after 2 s. */
    ByteBuffer receive() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(RequestHandler.MAX_REPLY);
        if (!initiator.receive(b, REPLY_WAIT_MILLIS)) {
            return null;
        }
        assertThat(b.remaining()).as("reply length").isGreaterThanOrEqualTo(AoeConstants.MIN_FRAME);
        return b;
    }

    /** Sends a request and returns its one reply, decoded; fails if none comes. */
    @SuppressWarnings("unchecked")
    <M extends AoeMessage> M exchange(AoeMessage request) throws IOException {
        send(request);
        ByteBuffer reply = receive();
        assertThat(reply).as("a reply to " + request).isNotNull();
        try {
            AoeMessage m = AoeCodec.decode(reply);
            assertThat(m.header().tag()).as("tag").isEqualTo(request.header().tag());
            return (M) m;
        } catch (AoeProtocolException e) {
            throw new AssertionError("the target's reply does not decode: " + e.getMessage(), e);
        }
    }

    /** The raw reply frame to a raw request. */
    ByteBuffer exchangeRaw(ByteBuffer request) throws IOException {
        send(request);
        ByteBuffer reply = receive();
        assertThat(reply).as("a reply").isNotNull();
        return reply;
    }

    /**
     * Asserts the target does not answer {@code request}, whatever its source MAC: a Query Config
     * read from the initiator to the first export is sent right behind it, and a tap on the hub
     * must see no response from a target before that probe's reply. The receive thread handles
     * frames in order, so no timing is involved.
     */
    void assertSilent(ByteBuffer request) throws IOException {
        int silentTag = request.getInt(request.position() + AoeConstants.TAG);
        send(request);
        ExportAddress first = server.exports().get(0).address();
        int probeTag = tag();
        AoeHeader h = AoeHeader.request(MacAddress.BROADCAST, INITIATOR, first.shelf(), first.slot(),
                AoeCommand.QUERY_CONFIG, probeTag);
        send(ConfigMessage.query(h, ConfigSubcommand.READ, null));
        ByteBuffer seen = ByteBuffer.allocate(RequestHandler.MAX_REPLY);
        while (tap.receive(seen, REPLY_WAIT_MILLIS)) {
            boolean response = (seen.get(AoeConstants.VERSION_FLAGS) & AoeConstants.FLAG_RESPONSE) != 0;
            int tag = seen.getInt(AoeConstants.TAG);
            boolean fromTarget = !MacAddress.read(seen, AoeConstants.SOURCE).equals(INITIATOR);
            assertThat(response && fromTarget && tag == silentTag).as("a response to the request that should get none").isFalse();
            if (response && tag == probeTag) {
                while (receive().getInt(AoeConstants.TAG) != probeTag) {
                    // replies to earlier requests nobody read
                }
                return;
            }
        }
        throw new AssertionError("the probe behind the silent request got no reply");
    }

    void assertSilent(AoeMessage request) throws IOException {
        assertSilent(AoeCodec.toFrame(request));
    }

    @Override
    public void close() {
        server.stop();
        tap.close();
    }
}
