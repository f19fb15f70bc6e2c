package org.aoemigrate.aoe.target;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.aoemigrate.aoe.link.MemoryHub;
import org.aoemigrate.aoe.link.MemoryHubPort;
import org.aoemigrate.aoe.wire.AoeCodec;
import org.aoemigrate.aoe.wire.AoeCommand;
import org.aoemigrate.aoe.wire.AoeConstants;
import org.aoemigrate.aoe.wire.AoeHeader;
import org.aoemigrate.aoe.wire.AoeMessage;
import org.aoemigrate.aoe.wire.AtaMessage;
import org.aoemigrate.aoe.wire.AtaStatus;
import org.aoemigrate.aoe.wire.ConfigMessage;
import org.aoemigrate.aoe.wire.MacAddress;
import org.aoemigrate.aoe.wire.MacMaskMessage;
import org.aoemigrate.aoe.wire.MaskDirective;
import org.aoemigrate.aoe.wire.ReserveCommand;
import org.aoemigrate.aoe.wire.ReserveMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A million random and mutated frames against the real handler and exports, through the entry
 * point the serve loop uses. The handler must never throw, never touch a byte outside an export's
 * window, send only well-formed replies (R set, version 1, our MAC and a served shelf/slot, at
 * least 60 bytes, read data equal to the file), and answer valid requests correctly afterwards.
 *
 * <p>The seed is fixed and printed; try another with {@code -Dfuzz.seed=N}.
 */
class RequestHandlerFuzzTest {

    private static final int FRAMES = 1_000_000;
    /** Fixed, so a failure reproduces; pass another with -Dfuzz.seed to explore. */
    private static final long DEFAULT_SEED = 0xA0E_2026_1125L;
    private static final MacAddress TARGET = MacAddress.parse("02:00:00:00:00:01");
    private static final MacAddress[] INITIATORS = {
        MacAddress.parse("02:00:00:00:00:0a"), MacAddress.parse("02:00:00:00:00:0b"), MacAddress.parse("02:00:00:00:00:0c")};
    /** e1.0: sectors 16..79 of a 96-sector file; e1.1: sectors 4..11 of a 16-sector file. */
    private static final int[][] WINDOWS = {{16, 64, 96}, {4, 8, 16}};

    @TempDir
    Path dir;

    private final List<Export> exports = new ArrayList<>();
    private final List<Path> files = new ArrayList<>();
    private long replies;

    @Test
    void survivesAMillionHostileFramesAndStillServesCorrectly() throws Exception {
        long seed = Long.getLong("fuzz.seed", DEFAULT_SEED);
        System.out.println("RequestHandlerFuzzTest seed " + seed + " (rerun with -Dfuzz.seed=" + seed + ")");
        Random r = new Random(seed);
        List<byte[]> guards = new ArrayList<>();
        for (int i = 0; i < WINDOWS.length; i++) {
            Path file = HubTarget.image(dir, "e1." + i + ".img", WINDOWS[i][2], seed + i);
            files.add(file);
            guards.add(Files.readAllBytes(file));
            ExportSpec spec = ExportSpec.builder(new ExportAddress(1, i), file, "f0")
                    .offsetSectors(WINDOWS[i][0]).lengthSectors(WINDOWS[i][1]).build();
            exports.add(Export.open(spec, ExportStateStore.inMemory()));
        }
        MemoryHubPort port = new MemoryHub().port("f0", TARGET, 9000);
        ServedLink link = new ServedLink(port, 64, exports);
        TargetCounters counters = new TargetCounters();
        RequestHandler handler = new RequestHandler(counters);
        ByteBuffer big = ByteBuffer.allocateDirect(RequestHandler.MAX_REPLY);
        try {
            for (int n = 0; n < FRAMES; n++) {
                if (n % 200 == 0) {
                    resetAccessControl(r);
                    port.setMtu(r.nextBoolean() ? 9000 : 1500);
                    link.refreshMtu();
                }
                byte[] frame = frame(r);
                // the serve loop's big direct buffer, and now and then one with no room to spare
                ByteBuffer in = r.nextInt(8) == 0 ? ByteBuffer.allocate(frame.length) : big.clear();
                in.put(frame).flip();
                try {
                    handler.handle(link, in, reply -> check(reply, link));
                } catch (Throwable t) {
                    throw new AssertionError("frame " + n + " (seed " + seed + "): " + HexFormat.of().formatHex(frame), t);
                }
                if (counters.get(TargetEvent.HANDLER_FAILURE) != 0) {
                    throw new AssertionError("the handler failed on frame " + n + " (seed " + seed + "): "
                            + HexFormat.of().formatHex(frame));
                }
            }
            System.out.println("RequestHandlerFuzzTest: " + FRAMES + " frames, " + replies + " replies, " + counters.snapshot());

            for (int i = 0; i < WINDOWS.length; i++) {
                byte[] after = Files.readAllBytes(files.get(i));
                assertThat(after).hasSameSizeAs(guards.get(i));
                int start = WINDOWS[i][0] * 512;
                int end = (WINDOWS[i][0] + WINDOWS[i][1]) * 512;
                assertThat(Arrays.copyOfRange(after, 0, start)).as("e1.%d before its window", i)
                        .isEqualTo(Arrays.copyOfRange(guards.get(i), 0, start));
                assertThat(Arrays.copyOfRange(after, end, after.length)).as("e1.%d after its window", i)
                        .isEqualTo(Arrays.copyOfRange(guards.get(i), end, after.length));
            }
            assertThat(counters.get(TargetEvent.HANDLER_FAILURE)).isZero();
            assertThat(counters.get(TargetEvent.IO_ERROR)).isZero();
            servesCorrectlyAfterwards(link, handler, r);
        } finally {
            for (Export e : exports) {
                e.close();
            }
        }
    }

    /** Masks and reservations the fuzz sets would soon silence nearly everything; an operator clears them every 200 frames. */
    private void resetAccessControl(Random r) throws IOException {
        for (Export e : exports) {
            List<MaskDirective> deletes = new ArrayList<>();
            for (MacAddress m : e.state().masks().macs()) {
                deletes.add(new MaskDirective(2, m));
            }
            e.editMasks(deletes, 255);
            e.reserve(ReserveCommand.FORCE_SET, INITIATORS[0], r.nextInt(4) == 0 ? List.of(INITIATORS[1]) : List.of());
        }
    }

    private void servesCorrectlyAfterwards(ServedLink link, RequestHandler handler, Random r) throws Exception {
        resetAccessControl(new Random(1)); // seed 1's first draw is not 0: released
        for (Export e : exports) {
            e.reserve(ReserveCommand.FORCE_SET, INITIATORS[0], List.of());
        }
        byte[] data = new byte[1024];
        r.nextBytes(data);
        AoeHeader w = AoeHeader.request(TARGET, INITIATORS[2], 1, 0, AoeCommand.ATA, 0x8000_0001);
        AtaMessage written = (AtaMessage) AoeCodec.decode(exchange(link, handler, AtaMessage.write(w, 62, ByteBuffer.wrap(data))));
        assertThat(written.cmdStatus()).isEqualTo(AtaStatus.OK);
        AoeHeader rd = AoeHeader.request(TARGET, INITIATORS[2], 1, 0, AoeCommand.ATA, 0x8000_0002);
        AtaMessage read = (AtaMessage) AoeCodec.decode(exchange(link, handler, AtaMessage.read(rd, 62, 2)));
        assertThat(read.cmdStatus()).isEqualTo(AtaStatus.OK);
        byte[] got = new byte[1024];
        read.data().get(got);
        assertThat(got).isEqualTo(data);
        assertThat(Arrays.copyOfRange(Files.readAllBytes(files.get(0)), (16 + 62) * 512, (16 + 64) * 512)).isEqualTo(data);
        AoeHeader id = AoeHeader.request(TARGET, INITIATORS[2], 1, 1, AoeCommand.ATA, 0x8000_0003);
        AtaMessage identify = (AtaMessage) AoeCodec.decode(exchange(link, handler, AtaMessage.identify(id)));
        assertThat(org.aoemigrate.aoe.wire.IdentifyPage.parse(identify.data()).sectors()).isEqualTo(8);
    }

    private ByteBuffer exchange(ServedLink link, RequestHandler handler, AoeMessage request) {
        List<ByteBuffer> out = new ArrayList<>();
        ByteBuffer in = ByteBuffer.allocateDirect(RequestHandler.MAX_REPLY);
        AoeCodec.encode(request, in);
        handler.handle(link, in.flip(), reply -> out.add(copy(reply)));
        assertThat(out).hasSize(1);
        return out.get(0);
    }

    private static ByteBuffer copy(ByteBuffer b) {
        ByteBuffer c = ByteBuffer.allocate(b.remaining());
        c.put(b.duplicate()).flip();
        return c;
    }

    /** Every reply: well formed, ours, padded, within the MTU, and read data equal to the file. */
    private void check(ByteBuffer reply, ServedLink link) throws IOException {
        replies++;
        ByteBuffer b = copy(reply);
        assertThat(b.remaining()).isBetween(AoeConstants.MIN_FRAME, link.mtu() + 14);
        assertThat(b.getShort(AoeConstants.ETHERTYPE) & 0xFFFF).isEqualTo(AoeConstants.ETHERTYPE_AOE);
        assertThat(b.get(AoeConstants.VERSION_FLAGS) & 0xF8).isEqualTo(0x18);
        assertThat(MacAddress.read(b, AoeConstants.SOURCE)).isEqualTo(TARGET);
        assertThat(MacAddress.read(b, AoeConstants.DESTINATION).isMulticast()).isFalse();
        int shelf = b.getShort(AoeConstants.SHELF) & 0xFFFF;
        int slot = b.get(AoeConstants.SLOT) & 0xFF;
        assertThat(shelf).isEqualTo(1);
        assertThat(slot).isBetween(0, 1);
        boolean error = (b.get(AoeConstants.VERSION_FLAGS) & AoeConstants.FLAG_ERROR) != 0;
        int command = b.get(AoeConstants.COMMAND) & 0xFF;
        if (command == 0 && !error && (b.get(AoeConstants.ATA_CMD_STATUS) & 0xFF) == AtaStatus.OK && b.remaining() > 60) {
            checkReadData(b, slot);
        }
    }

    private void checkReadData(ByteBuffer b, int slot) throws IOException {
        int sectors = (b.remaining() - AoeConstants.ATA_HEADER_LENGTH) / 512;
        byte[] data = new byte[sectors * 512];
        b.get(AoeConstants.ATA_DATA, data);
        if (sectors == 1 && Arrays.equals(data, exports.get(slot).identifyPage())) {
            return;
        }
        long lba = 0;
        for (int i = 5; i >= 0; i--) {
            lba = lba << 8 | (b.get(AoeConstants.ATA_LBA + i) & 0xFF);
        }
        boolean matches = false;
        for (long candidate : new long[] {lba, lba & 0x0FFF_FFFFL}) {
            if (candidate + sectors <= WINDOWS[slot][1]) {
                ByteBuffer onDisk = ByteBuffer.allocate(data.length);
                exports.get(slot).store().read(candidate, sectors, onDisk);
                matches |= Arrays.equals(data, onDisk.array());
            }
        }
        assertThat(matches).as("read reply data equals the file at LBA %d (%d sectors) of e1.%d", lba, sectors, slot).isTrue();
    }

    // ---- frames

    private static byte[] frame(Random r) {
        int kind = r.nextInt(10);
        if (kind == 0) {
            byte[] junk = new byte[r.nextInt(200)];
            r.nextBytes(junk);
            return junk;
        }
        byte[] f = AoeCodec.toFrame(template(r)).array();
        if (kind == 1) {
            return f;
        }
        return mutate(f, r);
    }

    private static AoeMessage template(Random r) {
        MacAddress destination = switch (r.nextInt(6)) {
            case 0 -> MacAddress.BROADCAST;
            case 1 -> new MacAddress(r.nextLong() & 0xFFFF_FFFF_FFFFL);
            default -> TARGET;
        };
        MacAddress source = r.nextInt(20) == 0 ? new MacAddress(r.nextLong() & 0xFFFF_FFFF_FFFFL) : INITIATORS[r.nextInt(3)];
        int shelf = r.nextInt(8) == 0 ? 0xFFFF : r.nextInt(16) == 0 ? r.nextInt(0x10000) : 1;
        int slot = r.nextInt(8) == 0 ? 0xFF : r.nextInt(16) == 0 ? r.nextInt(0x100) : r.nextInt(2);
        int version = r.nextInt(20) == 0 ? r.nextInt(16) : 1;
        int command = r.nextInt(20) == 0 ? r.nextInt(256) : r.nextInt(4);
        int tag = r.nextInt();
        AoeHeader h = new AoeHeader(destination, source, version, r.nextInt(30) == 0, r.nextInt(30) == 0, r.nextInt(8),
                shelf, slot, command > 3 ? command : command, tag);
        return switch (command) {
            case 0 -> ata(h, r);
            case 1 -> new ConfigMessage(h, r.nextInt(0x10000), r.nextInt(0x10000), r.nextInt(256), r.nextInt(3) == 0 ? r.nextInt(16) : 1,
                    r.nextInt(7), bytes(r, r.nextInt(4) == 0 ? r.nextInt(1025) : r.nextInt(12)));
            case 2 -> {
                List<MaskDirective> d = new ArrayList<>();
                for (int i = r.nextInt(6); i > 0; i--) {
                    d.add(new MaskDirective(r.nextInt(10) == 0 ? r.nextInt(256) : r.nextInt(3), someMac(r)));
                }
                yield new MacMaskMessage(h, r.nextInt(10) == 0 ? r.nextInt(256) : r.nextInt(2), 0, d.size(), d);
            }
            case 3 -> {
                List<MacAddress> m = new ArrayList<>();
                for (int i = r.nextInt(4); i > 0; i--) {
                    m.add(someMac(r));
                }
                yield new ReserveMessage(h, r.nextInt(10) == 0 ? r.nextInt(256) : r.nextInt(3), m);
            }
            default -> new org.aoemigrate.aoe.wire.UnknownCommandMessage(h, ByteBuffer.wrap(bytes(r, r.nextInt(40))));
        };
    }

    private static AtaMessage ata(AoeHeader h, Random r) {
        int[] opcodes = {0x20, 0x24, 0x30, 0x34, 0xEC, 0xE7, 0xEA, 0xE5};
        int opcode = r.nextInt(10) == 0 ? r.nextInt(256) : opcodes[r.nextInt(opcodes.length)];
        int count = r.nextInt(6) == 0 ? r.nextInt(256) : r.nextInt(4);
        long lba = switch (r.nextInt(5)) {
            case 0 -> r.nextLong() & 0xFFFF_FFFF_FFFFL;
            case 1 -> (0xE0L << 24) | r.nextInt(70);
            default -> r.nextInt(70);
        };
        boolean writes = opcode == 0x30 || opcode == 0x34;
        int dataSectors = writes ? Math.min(17, r.nextInt(4) == 0 ? r.nextInt(18) : count) : r.nextInt(20) == 0 ? 1 : 0;
        ByteBuffer data = ByteBuffer.wrap(bytes(r, dataSectors * 512));
        return new AtaMessage(h, r.nextInt(256), r.nextInt(256), count, opcode, lba, data);
    }

    private static MacAddress someMac(Random r) {
        return r.nextBoolean() ? INITIATORS[r.nextInt(3)] : new MacAddress(r.nextLong() & 0xFFFF_FFFF_FFFFL);
    }

    private static byte[] bytes(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    /** Byte changes, a bit flip, a cut or an extension: the kind of damage a bad NIC or a hostile peer makes. */
    private static byte[] mutate(byte[] f, Random r) {
        byte[] m = f;
        for (int i = 1 + r.nextInt(3); i > 0; i--) {
            switch (r.nextInt(5)) {
                case 0 -> m[r.nextInt(m.length)] = (byte) r.nextInt(256);
                case 1 -> m[r.nextInt(m.length)] ^= (byte) (1 << r.nextInt(8));
                case 2 -> m = Arrays.copyOf(m, r.nextInt(m.length + 1));
                case 3 -> m = Arrays.copyOf(m, m.length + r.nextInt(600));
                default -> { // the header and command arguments, where the decisions are made
                    if (m.length > 14) {
                        m[14 + r.nextInt(Math.min(m.length, 40) - 14)] = (byte) r.nextInt(256);
                    }
                }
            }
            if (m.length == 0) {
                return m;
            }
        }
        return m;
    }
}
