package org.aoemigrate.aoe.target.it;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.aoemigrate.aoe.link.AoeFilter;
import org.aoemigrate.aoe.link.PacketSocketLink;
import org.aoemigrate.aoe.link.PacketSocketOptions;
import org.aoemigrate.aoe.wire.AoeCodec;
import org.aoemigrate.aoe.wire.AoeCommand;
import org.aoemigrate.aoe.wire.AoeHeader;
import org.aoemigrate.aoe.wire.AoeMessage;
import org.aoemigrate.aoe.wire.AoeProtocolException;
import org.aoemigrate.aoe.wire.AtaMessage;
import org.aoemigrate.aoe.wire.AtaStatus;
import org.aoemigrate.aoe.wire.ConfigMessage;
import org.aoemigrate.aoe.wire.ConfigSubcommand;
import org.aoemigrate.aoe.wire.MacAddress;

/**
 * A tiny AoE initiator on a real socket, for the ITs (aoe-target cannot depend on the
 * aoe-initiator module): find a target with Query Config, then ATA requests one at a time,
 * retried on timeout. Run as a main inside the initiator's namespace:
 *
 * <pre>
 * RawAoeClient IFACE SHELF SLOT SEED TOTAL_SECTORS LBA:COUNT...
 * </pre>
 *
 * For each LBA:COUNT it writes {@link #pattern} and reads it back, then reads one sector past
 * the end. It prints one line per step ({@code config ...}, {@code wrote LBA+COUNT, read back
 * equal}, {@code beyond end: status 0x41 error 0x10}) and exits 1 at the first surprise, so the
 * test asserts on the lines and on the image file.
 */
public final class RawAoeClient implements Closeable {

    private static final long TIMEOUT_MILLIS = 1000;
    private static final int ATTEMPTS = 3;

    private final PacketSocketLink link;
    private final int shelf;
    private final int slot;
    private final AtomicInteger tags = new AtomicInteger(1);
    private final ByteBuffer receive = ByteBuffer.allocateDirect(16 * 1024);
    private MacAddress target = MacAddress.BROADCAST;

    private RawAoeClient(PacketSocketLink link, int shelf, int slot) {
        this.link = link;
        this.shelf = shelf;
        this.slot = slot;
    }

    static RawAoeClient open(String iface, int shelf, int slot) throws IOException {
        return new RawAoeClient(PacketSocketLink.open(PacketSocketOptions.forInterface(iface).withFilter(AoeFilter.responses())),
                shelf, slot);
    }

    /** The deterministic content a test writes at {@code lba}: one seeded random sector per LBA. */
    static byte[] pattern(long seed, long lba, int count) {
        byte[] data = new byte[count * 512];
        for (int i = 0; i < count; i++) {
            byte[] sector = new byte[512];
            new SplittableRandom(seed * 1_000_003 + lba + i).nextBytes(sector);
            System.arraycopy(sector, 0, data, i * 512, 512);
        }
        return data;
    }

    /** Asks the target for its config (unicast MAC unknown yet: Ethernet broadcast, exact shelf.slot) and remembers its MAC. */
    ConfigMessage queryConfig() throws IOException {
        ConfigMessage reply = (ConfigMessage) exchange(tag -> ConfigMessage.query(header(AoeCommand.QUERY_CONFIG, tag),
                ConfigSubcommand.READ, null));
        target = reply.header().source();
        return reply;
    }

    AtaMessage write(long lba, byte[] data) throws IOException {
        return (AtaMessage) exchange(tag -> AtaMessage.write(header(AoeCommand.ATA, tag), lba, ByteBuffer.wrap(data)));
    }

    AtaMessage read(long lba, int count) throws IOException {
        return (AtaMessage) exchange(tag -> AtaMessage.read(header(AoeCommand.ATA, tag), lba, count));
    }

    private AoeHeader header(AoeCommand command, int tag) {
        return AoeHeader.request(target, link.mac(), shelf, slot, command, tag);
    }

    private interface Request {
        AoeMessage withTag(int tag);
    }

    /** Sends the request and returns the reply with its tag; a new tag per attempt, so a late reply is never mistaken. */
    private AoeMessage exchange(Request request) throws IOException {
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            int tag = 0x8000_0000 | tags.getAndIncrement(); // bit 31: a userland tool's tag, as aoetools use
            link.send(AoeCodec.toFrame(request.withTag(tag)));
            long deadline = System.nanoTime() + TIMEOUT_MILLIS * 1_000_000;
            long left;
            while ((left = (deadline - System.nanoTime()) / 1_000_000) > 0 && link.receive(receive, left)) {
                try {
                    AoeMessage m = AoeCodec.decode(receive);
                    if (m.header().response() && m.header().tag() == tag) {
                        if (m.header().error()) {
                            throw new IOException("AoE error " + m.header().errorCode() + " in reply " + m);
                        }
                        return copy(m);
                    }
                } catch (AoeProtocolException e) {
                    throw new IOException("malformed reply: " + e.getMessage(), e);
                }
            }
        }
        throw new IOException("no reply from e" + shelf + "." + slot + " after " + ATTEMPTS + " attempts");
    }

    /** The decoded message shares the receive buffer; copy it out before the next receive. */
    private static AoeMessage copy(AoeMessage m) throws AoeProtocolException {
        ByteBuffer own = AoeCodec.toFrame(m);
        return AoeCodec.decode(own);
    }

    @Override
    public void close() throws IOException {
        link.close();
    }

    public static void main(String[] args) throws IOException {
        String iface = args[0];
        int shelf = Integer.parseInt(args[1]);
        int slot = Integer.parseInt(args[2]);
        long seed = Long.parseLong(args[3]);
        long total = Long.parseLong(args[4]);
        try (RawAoeClient client = open(iface, shelf, slot)) {
            ConfigMessage config = client.queryConfig();
            System.out.println("config from " + client.target + ": buffers " + config.bufferCount()
                    + ", sectors per frame " + config.sectorsPerFrame());
            for (int i = 5; i < args.length; i++) {
                String[] range = args[i].split(":");
                long lba = Long.parseLong(range[0]);
                int count = Integer.parseInt(range[1]);
                byte[] data = pattern(seed, lba, count);
                AtaMessage written = client.write(lba, data);
                requireOk("write " + lba + "+" + count, written);
                AtaMessage read = client.read(lba, count);
                requireOk("read " + lba + "+" + count, read);
                byte[] back = new byte[count * 512];
                read.data().get(back);
                if (!Arrays.equals(data, back)) {
                    System.out.println("MISMATCH at " + lba + "+" + count);
                    System.exit(1);
                }
                System.out.println("wrote " + lba + "+" + count + ", read back equal");
            }
            AtaMessage beyond = client.read(total, 1);
            System.out.printf("beyond end: status 0x%02x error 0x%02x%n", beyond.cmdStatus(), beyond.errFeature());
        }
    }

    private static void requireOk(String what, AtaMessage reply) {
        if (reply.cmdStatus() != AtaStatus.OK) {
            System.out.printf("%s failed: status 0x%02x error 0x%02x%n", what, reply.cmdStatus(), reply.errFeature());
            System.exit(1);
        }
    }
}
