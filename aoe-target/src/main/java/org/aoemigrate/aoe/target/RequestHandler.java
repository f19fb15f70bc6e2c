package org.aoemigrate.aoe.target;

import static org.aoemigrate.aoe.wire.AoeConstants.ATA_HEADER_LENGTH;
import static org.aoemigrate.aoe.wire.AoeConstants.ATA_RESERVED;
import static org.aoemigrate.aoe.wire.AoeConstants.CONFIG_HEADER_LENGTH;
import static org.aoemigrate.aoe.wire.AoeConstants.CONFIG_STRING_LENGTH;
import static org.aoemigrate.aoe.wire.AoeConstants.HEADER_LENGTH;
import static org.aoemigrate.aoe.wire.AoeConstants.MASK_HEADER_LENGTH;
import static org.aoemigrate.aoe.wire.AoeConstants.MAX_CONFIG_STRING;
import static org.aoemigrate.aoe.wire.AoeConstants.MIN_FRAME;
import static org.aoemigrate.aoe.wire.AoeConstants.RESERVE_HEADER_LENGTH;
import static org.aoemigrate.aoe.wire.AoeConstants.SECTOR_SIZE;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Optional;
import org.aoemigrate.aoe.wire.AoeCodec;
import org.aoemigrate.aoe.wire.AoeCommand;
import org.aoemigrate.aoe.wire.AoeConstants;
import org.aoemigrate.aoe.wire.AoeError;
import org.aoemigrate.aoe.wire.AoeFrame;
import org.aoemigrate.aoe.wire.AoeHeader;
import org.aoemigrate.aoe.wire.AoeMessage;
import org.aoemigrate.aoe.wire.AoeProtocolException;
import org.aoemigrate.aoe.wire.AtaErrorBits;
import org.aoemigrate.aoe.wire.AtaOpcode;
import org.aoemigrate.aoe.wire.AtaStatus;
import org.aoemigrate.aoe.wire.ConfigMessage;
import org.aoemigrate.aoe.wire.ConfigSubcommand;
import org.aoemigrate.aoe.wire.MacAddress;
import org.aoemigrate.aoe.wire.MacMaskMessage;
import org.aoemigrate.aoe.wire.MaskCommand;
import org.aoemigrate.aoe.wire.ReserveCommand;
import org.aoemigrate.aoe.wire.ReserveMessage;

/**
 * Turns one received frame into its replies: the AoE target's logic, with no thread and no
 * socket of its own. The serve loop calls {@link #handle} for every frame a link receives;
 * tests and the fuzz test call it directly. Thread-safe (it keeps only counters).
 *
 * <p>A frame gets no reply when r11 or safety says so: not AoE or too short, the R flag set,
 * unicast to another station, for a shelf/slot not served on this link, from a MAC the mask list
 * excludes (r11 3.3), a failed config test (r11 3.2), or anything but a Query Config read/test
 * sent to the broadcast shelf or slot (vblade executes broadcast writes; this target never does).
 * Every reply carries the export's real shelf/slot, the request's tag, version 1, and is padded
 * to 60 bytes (aoetools drop shorter frames).
 *
 * <p>ATA replies are built in place in the request's buffer (the read data lands right after
 * the header), so the buffer should have room for 36 + 255 × 512 bytes; if it has not, the reply
 * goes to a new buffer. Media and range problems are ATA status (ERR with ABRT or IDNF), not AoE
 * errors, because Linux only logs AoE errors and retransmits until it gives up.
 *
 * <p>With a {@link DirectIoPool}, the reads, writes and flushes of direct-I/O exports are
 * checked here as above and then queued for an I/O thread ({@link #perform}); everything else,
 * and every check, stays on the caller's thread.
 */
public final class RequestHandler {

    /** The largest frame a reply can need: an ATA header and 255 sectors. */
    public static final int MAX_REPLY = ATA_HEADER_LENGTH + AoeConstants.MAX_SECTOR_COUNT * SECTOR_SIZE;

    private static final long LBA28_MASK = 0x0FFF_FFFFL;

    private final TargetCounters counters;
    /** Where direct-I/O exports' data commands go once checked; null: everything is served inline. */
    private final DirectIoPool io;
    /** Per I/O thread: the replies to a run of reads, sent together. */
    private final ThreadLocal<ReplyBatch> runReplies;
    /** Per receiving thread: the adjacent writes of the batch not yet written. */
    private final ThreadLocal<WriteRun> writeRuns = ThreadLocal.withInitial(WriteRun::new);

    /** A handler that serves every request inline, on the thread that calls {@link #handle}. */
    public RequestHandler(TargetCounters counters) {
        this(counters, null);
    }

    /**
     * A handler that passes the reads, writes and flushes of exports in {@link IoMode#DIRECT}
     * to {@code io} after checking them; their replies then go out from an I/O thread, through
     * the link the request came in on, not through the sink given to {@link #handle}.
     */
    RequestHandler(TargetCounters counters, DirectIoPool io) {
        this.counters = counters;
        this.io = io;
        this.runReplies = ThreadLocal.withInitial(() -> new ReplyBatch(counters, DirectIoPool.MAX_RUN_SECTORS));
    }

    /**
     * Handles the frame between {@code frame}'s position and limit, received on {@code link}, and
     * passes each reply to {@code sink}: none, one, or (for a broadcast Query Config) one per
     * export on the link. The buffer's contents may be overwritten by an in-place reply. Never
     * throws: a bug is counted as {@link TargetEvent#HANDLER_FAILURE} and the frame dropped.
     */
    public void handle(ServedLink link, ByteBuffer frame, ReplySink sink) {
        WriteRun run = writeRuns.get();
        try {
            handleOne(link, frame, sink, run);
        } finally {
            finishWrites(run);
        }
    }

    /**
     * Handles {@code frames[0..n)} in order as {@link #handle} would, except that the writes
     * among them that follow each other on the disk are written with one system call
     * ({@link WriteRun}); their replies are built after it returned, so each says what happened
     * to its own sectors. The buffers must stay untouched until this returns.
     */
    public void handleBatch(ServedLink link, ByteBuffer[] frames, int n, ReplySink sink) {
        WriteRun run = writeRuns.get();
        try {
            for (int i = 0; i < n; i++) {
                handleOne(link, frames[i], sink, run);
            }
        } finally {
            finishWrites(run);
        }
    }

    private void handleOne(ServedLink link, ByteBuffer frame, ReplySink sink, WriteRun run) {
        counters.count(TargetEvent.FRAME_IN);
        try {
            dispatch(link, frame, sink, run);
        } catch (RuntimeException e) {
            counters.count(TargetEvent.HANDLER_FAILURE);
        }
    }

    private void dispatch(ServedLink link, ByteBuffer frame, ReplySink sink, WriteRun run) {
        AoeFrame f;
        try {
            f = AoeFrame.wrap(frame);
        } catch (AoeProtocolException e) {
            counters.count(TargetEvent.IGNORED_MALFORMED);
            return;
        }
        if (f.isResponse()) {
            counters.count(TargetEvent.IGNORED_RESPONSE);
            return;
        }
        MacAddress destination = f.destination();
        if (!destination.isMulticast() && !destination.equals(link.mac())) {
            counters.count(TargetEvent.IGNORED_OTHER_DESTINATION);
            return;
        }
        if (f.source().isMulticast()) {
            // no station sends from a group address; a reply would go to the whole group
            counters.count(TargetEvent.IGNORED_MALFORMED);
            return;
        }
        int shelf = f.shelf();
        int slot = f.slot();
        if (!ExportAddress.isBroadcast(shelf, slot)) {
            Export export = link.exportAt(shelf, slot);
            if (export == null) {
                counters.count(TargetEvent.IGNORED_NOT_ADDRESSED);
            } else {
                handleFor(link, export, f, false, sink, run);
            }
            return;
        }
        boolean addressed = false;
        for (Export export : link.exports()) {
            if (export.address().isAddressedBy(shelf, slot)) {
                addressed = true;
                handleFor(link, export, f, true, sink, run);
            }
        }
        if (!addressed) {
            counters.count(TargetEvent.IGNORED_NOT_ADDRESSED);
        }
    }

    /** One export's answer. With {@code broadcast} set the request buffer must stay unchanged for the next export. */
    private void handleFor(ServedLink link, Export export, AoeFrame f, boolean broadcast, ReplySink sink, WriteRun run) {
        if (!isAtaWrite(f)) {
            finishWrites(run); // whatever this request does, the writes that came before it are done first
        }
        if (!export.state().masks().admits(f.source())) {
            counters.count(TargetEvent.IGNORED_MASKED);
            return;
        }
        if (f.version() != AoeConstants.VERSION) {
            sendError(link, export, f, HEADER_LENGTH, AoeError.UNSUPPORTED_VERSION, sink);
            return;
        }
        int command = f.command();
        if (broadcast && command != AoeCommand.QUERY_CONFIG.code()) {
            counters.count(TargetEvent.IGNORED_BROADCAST);
            return;
        }
        Optional<AoeCommand> known = AoeCommand.fromCode(command);
        if (known.isEmpty()) {
            sendError(link, export, f, HEADER_LENGTH, AoeError.UNRECOGNIZED_COMMAND, sink);
            return;
        }
        switch (known.get()) {
            case ATA -> ata(link, export, f, sink, run);
            case QUERY_CONFIG -> config(link, export, f, broadcast, sink);
            case MAC_MASK -> mask(link, export, f, sink);
            case RESERVE_RELEASE -> reserve(link, export, f, sink);
        }
    }

    // ---- command 0: ATA

    private static boolean isAtaWrite(AoeFrame f) {
        if (f.command() != AoeCommand.ATA.code() || !f.hasAtaHeader()) {
            return false;
        }
        int code = f.cmdStatus();
        return code == AtaOpcode.WRITE.code() || code == AtaOpcode.WRITE_EXT.code();
    }

    private void ata(ServedLink link, Export export, AoeFrame f, ReplySink sink, WriteRun run) {
        if (!f.hasAtaHeader()) {
            counters.count(TargetEvent.IGNORED_MALFORMED);
            return;
        }
        int code = f.cmdStatus();
        if (!export.state().reservations().allowsAta(f.source(), code)) {
            sendError(link, export, f, ATA_HEADER_LENGTH, AoeError.TARGET_RESERVED, sink);
            return;
        }
        Optional<AtaOpcode> opcode = AtaOpcode.fromCode(code);
        if (opcode.isEmpty()) {
            ataResult(link, export, f, AtaStatus.FAILED, AtaErrorBits.ABRT, f.sectorCount(), 0, sink);
            return;
        }
        switch (opcode.get()) {
            case READ, READ_EXT -> read(link, export, f, opcode.get(), sink);
            case WRITE, WRITE_EXT -> write(link, export, f, opcode.get(), sink, run);
            case IDENTIFY -> identify(link, export, f, sink);
            case CHECK_POWER_MODE -> // count 0xFF: active or idle
                    ataResult(link, export, f, AtaStatus.OK, 0, 0xFF, 0, sink);
            case FLUSH_CACHE, FLUSH_CACHE_EXT -> {
                if (!deferred(link, export, f, IoRequest.Kind.FLUSH, 0, 0)) {
                    flush(link, export, f, sink);
                }
            }
        }
    }

    /**
     * Hands a checked data command of a direct-I/O export to the I/O threads; false if it is to
     * be served inline (no pool, or another I/O mode: the page cache answers in microseconds,
     * faster than a hand-off).
     */
    private boolean deferred(ServedLink link, Export export, AoeFrame f, IoRequest.Kind kind, long lba, int count) {
        if (io == null || export.store().mode() != IoMode.DIRECT) {
            return false;
        }
        io.submit(link, export, f, kind, lba, count);
        return true;
    }

    /**
     * Does a request {@link DirectIoPool} took over: its I/O, then its reply, sent on its link.
     * Called on an I/O thread; never throws (a bug counts as {@link TargetEvent#HANDLER_FAILURE}).
     */
    void perform(IoRequest r) {
        try {
            switch (r.kind) {
                case READ -> {
                    if (r.nextInRun == null) {
                        readData(r.link, r.export, r.frame(), r.lba, r.count, r);
                    } else {
                        readRun(r);
                    }
                }
                case WRITE -> writeData(r.link, r.export, r.frame(), r.lba, r.count, r);
                case FLUSH -> flush(r.link, r.export, r.frame(), r);
            }
        } catch (RuntimeException e) {
            counters.count(TargetEvent.HANDLER_FAILURE);
        }
    }

    /**
     * A run of adjacent reads ({@link DirectIoPool}) with one device read; each request then
     * gets its sectors in its own reply, and the replies go out together (all came in on one
     * link). If that read fails, each request reads on its own, so each reply tells whether its
     * own sectors could be read.
     */
    private void readRun(IoRequest first) {
        IoRequest last = first;
        while (last.nextInRun != null) {
            last = last.nextInRun;
        }
        BackingStore store = first.export.store();
        ByteBuffer run;
        try {
            run = store.readStaged(first.lba, (int) (last.lba + last.count - first.lba));
        } catch (IOException e) {
            run = null;
        }
        ReplyBatch replies = runReplies.get();
        for (IoRequest r = first; r != null; r = r.nextInRun) {
            if (run == null) {
                readData(r.link, r.export, r.frame(), r.lba, r.count, replies);
                continue;
            }
            AoeFrame f = r.frame();
            int length = r.count * SECTOR_SIZE;
            ByteBuffer into = f.buffer().duplicate();
            into.limit(into.capacity()).put(f.dataIndex(), run, (int) (r.lba - first.lba) * SECTOR_SIZE, length);
            ataResult(r.link, r.export, f, AtaStatus.OK, 0, 0, length, replies);
        }
        replies.flush(first.link.link());
    }

    private void flush(ServedLink link, Export export, AoeFrame f, ReplySink sink) {
        try {
            export.store().flush();
            ataResult(link, export, f, AtaStatus.OK, 0, 0, 0, sink);
        } catch (IOException e) {
            ioFailure(link, export, f, sink);
        }
    }

    private void read(ServedLink link, Export export, AoeFrame f, AtaOpcode opcode, ReplySink sink) {
        int count = f.sectorCount();
        if (count > link.sectorsPerFrame()) {
            sendError(link, export, f, ATA_HEADER_LENGTH, AoeError.BAD_ARGUMENT, sink);
            return;
        }
        long lba = lba(f, opcode);
        if (!export.store().contains(lba, count)) {
            idnf(link, export, f, sink);
            return;
        }
        if (!deferred(link, export, f, IoRequest.Kind.READ, lba, count)) {
            readData(link, export, f, lba, count, sink);
        }
    }

    /** The read itself, after every check: the sectors land in the reply, built in place. */
    private void readData(ServedLink link, Export export, AoeFrame f, long lba, int count, ReplySink sink) {
        AoeFrame reply = withRoom(f, ATA_HEADER_LENGTH + count * SECTOR_SIZE);
        ByteBuffer into = reply.buffer().duplicate();
        into.limit(into.capacity()).position(reply.dataIndex());
        try {
            export.store().read(lba, count, into);
        } catch (IOException e) {
            ioFailure(link, export, reply, sink);
            return;
        }
        ataResult(link, export, reply, AtaStatus.OK, 0, 0, count * SECTOR_SIZE, sink);
    }

    /**
     * A write that passes every check joins this thread's {@link WriteRun} (direct exports go to
     * the I/O threads instead). One that does not continue the run first has the run written,
     * so requests act and are answered in arrival order; a refused write that would have
     * continued it is answered before it, which AoE's tags allow.
     */
    private void write(ServedLink link, Export export, AoeFrame f, AtaOpcode opcode, ReplySink sink, WriteRun run) {
        if (!run.continuedBy(link, export, sink, lba(f, opcode))) {
            finishWrites(run);
        }
        int count = f.sectorCount();
        // a write that carries less than count x 512 bytes is refused, not padded with whatever follows
        if (count > link.sectorsPerFrame() || f.dataLength() < count * SECTOR_SIZE) {
            sendError(link, export, f, ATA_HEADER_LENGTH, AoeError.BAD_ARGUMENT, sink);
            return;
        }
        long lba = lba(f, opcode);
        if (!export.store().contains(lba, count)) {
            idnf(link, export, f, sink);
            return;
        }
        if (export.store().isReadOnly()) {
            ataResult(link, export, f, AtaStatus.FAILED, AtaErrorBits.ABRT, count, 0, sink);
            return;
        }
        if (deferred(link, export, f, IoRequest.Kind.WRITE, lba, count)) {
            return;
        }
        if (export.store().mode() == IoMode.DIRECT) { // direct without I/O threads: writes are staged one by one
            writeData(link, export, f, lba, count, sink);
            return;
        }
        run.add(link, export, sink, f, lba, count);
    }

    /**
     * Writes the pending run and answers its requests: with one gathered write, and if that did
     * not write everything, each request again on its own, so each reply tells whether its own
     * sectors were written (the same data written twice is harmless; the requests do not overlap).
     */
    private void finishWrites(WriteRun run) {
        if (run.size == 0) {
            return;
        }
        try {
            boolean together = run.size > 1 && run.export.store().writeAdjacent(run.lbas[0], run.data, run.size);
            for (int i = 0; i < run.size; i++) {
                if (together) {
                    ataResult(run.link, run.export, run.frames[i], AtaStatus.OK, 0, 0, 0, run.sink);
                } else {
                    writeData(run.link, run.export, run.frames[i], run.lbas[i], run.counts[i], run.sink);
                }
            }
        } catch (RuntimeException e) {
            counters.count(TargetEvent.HANDLER_FAILURE);
        } finally {
            run.clear();
        }
    }

    /** The write itself, after every check. */
    private void writeData(ServedLink link, Export export, AoeFrame f, long lba, int count, ReplySink sink) {
        ByteBuffer from = f.buffer().duplicate();
        from.position(f.dataIndex());
        try {
            export.store().write(lba, count, from);
        } catch (IOException e) {
            ioFailure(link, export, f, sink);
            return;
        }
        ataResult(link, export, f, AtaStatus.OK, 0, 0, 0, sink);
    }

    private void identify(ServedLink link, Export export, AoeFrame f, ReplySink sink) {
        if (f.sectorCount() != 1) {
            sendError(link, export, f, ATA_HEADER_LENGTH, AoeError.BAD_ARGUMENT, sink);
            return;
        }
        byte[] page = export.identifyPage();
        AoeFrame reply = withRoom(f, ATA_HEADER_LENGTH + page.length);
        ByteBuffer into = reply.buffer().duplicate();
        into.limit(into.capacity()).put(reply.dataIndex(), page);
        ataResult(link, export, reply, AtaStatus.OK, 0, 0, page.length, sink);
    }

    /** The addressed LBA: 48 bits for the EXT opcodes; 28 for the others, whose lba3 high nibble is the Device register. */
    private static long lba(AoeFrame f, AtaOpcode opcode) {
        return opcode.lba48() ? f.lba() : f.lba() & LBA28_MASK;
    }

    private void idnf(ServedLink link, Export export, AoeFrame f, ReplySink sink) {
        counters.count(TargetEvent.ATA_IDNF);
        ataResult(link, export, f, AtaStatus.FAILED, AtaErrorBits.IDNF, f.sectorCount(), 0, sink);
    }

    private void ioFailure(ServedLink link, Export export, AoeFrame f, ReplySink sink) {
        counters.count(TargetEvent.IO_ERROR);
        ataResult(link, export, f, AtaStatus.FAILED, AtaErrorBits.ABRT, f.sectorCount(), 0, sink);
    }

    /** Turns the request into an ATA reply in place: registers, then {@code dataLength} bytes already at the data index. */
    private void ataResult(ServedLink link, Export export, AoeFrame f, int status, int error, int sectorsLeft,
            int dataLength, ReplySink sink) {
        if (status == AtaStatus.FAILED && error == AtaErrorBits.ABRT) {
            counters.count(TargetEvent.ATA_ABORT);
        }
        AoeFrame reply = withRoom(f, ATA_HEADER_LENGTH + dataLength);
        reply.prepareReply(link.mac(), export.address().shelf(), export.address().slot());
        reply.setAtaResult(status, error, sectorsLeft);
        reply.buffer().putShort(reply.base() + ATA_RESERVED, (short) 0);
        reply.finishAta(dataLength);
        send(reply.buffer().duplicate().position(reply.base()), sink);
    }

    /** {@code f} if its buffer can hold a reply of {@code length} bytes, else a copy in a buffer that can. */
    private static AoeFrame withRoom(AoeFrame f, int length) {
        int needed = Math.max(MIN_FRAME, length);
        if (f.buffer().capacity() - f.base() >= needed) {
            return f;
        }
        ByteBuffer bigger = ByteBuffer.allocate(needed);
        bigger.put(0, f.buffer(), f.base(), f.length());
        bigger.limit(f.length());
        try {
            return AoeFrame.wrap(bigger);
        } catch (AoeProtocolException e) {
            throw new IllegalStateException("a copied AoE frame stopped being one", e);
        }
    }

    // ---- command 1: Query Config

    private void config(ServedLink link, Export export, AoeFrame f, boolean broadcast, ReplySink sink) {
        if (f.length() < CONFIG_HEADER_LENGTH) {
            counters.count(TargetEvent.IGNORED_MALFORMED);
            return;
        }
        if (Short.toUnsignedInt(f.buffer().getShort(f.base() + CONFIG_STRING_LENGTH)) > MAX_CONFIG_STRING) {
            counters.count(TargetEvent.CONFIG_SILENCE); // r11 3.2: over 1024 bytes gets no reply
            return;
        }
        ConfigMessage request = (ConfigMessage) decode(link, export, f, CONFIG_HEADER_LENGTH, sink);
        if (request == null) {
            return;
        }
        Optional<ConfigSubcommand> subcommand = request.subcommand();
        if (subcommand.isEmpty()) {
            sendError(link, export, f, CONFIG_HEADER_LENGTH, AoeError.BAD_ARGUMENT, sink);
            return;
        }
        boolean changes = subcommand.get() == ConfigSubcommand.SET || subcommand.get() == ConfigSubcommand.FORCE_SET;
        if (broadcast && changes) {
            counters.count(TargetEvent.IGNORED_BROADCAST); // one set must not claim every target at once
            return;
        }
        try {
            link.refreshMtu(); // vblade reads the MTU on every Query Config too
        } catch (IOException e) {
            // keep the cached MTU; the serve loop will try again
        }
        ConfigString.Decision decision;
        try {
            decision = export.config(subcommand.get(), ConfigString.of(request.configString()));
        } catch (IOException e) {
            counters.count(TargetEvent.STATE_SAVE_FAILED);
            return;
        }
        AoeHeader header = replyHeader(link, export, request.header());
        switch (decision.outcome()) {
            case SILENCE -> counters.count(TargetEvent.CONFIG_SILENCE);
            case ANSWER -> send(configReply(link, export, request, header, decision.string()), sink);
            case STRING_PRESENT -> {
                counters.countError(AoeError.CONFIG_STRING_PRESENT);
                send(configReply(link, export, request, header.withError(AoeError.CONFIG_STRING_PRESENT), decision.string()), sink);
            }
        }
    }

    private static ByteBuffer configReply(ServedLink link, Export export, ConfigMessage request, AoeHeader header,
            ConfigString string) {
        return AoeCodec.toFrame(request.answer(header, link.bufferCount(export), TargetVersion.FIRMWARE_CODE,
                link.sectorsPerFrame(), string.toBytes()));
    }

    /** The Query Config reply a target broadcasts (or sends to each masked MAC) when it starts. */
    static ByteBuffer advert(ServedLink link, Export export, MacAddress destination) {
        AoeHeader header = new AoeHeader(destination, link.mac(), AoeConstants.VERSION, true, false, 0,
                export.address().shelf(), export.address().slot(), AoeCommand.QUERY_CONFIG.code(), 0);
        ConfigMessage request = ConfigMessage.query(header, ConfigSubcommand.READ, null);
        return configReply(link, export, request, header, export.state().config());
    }

    // ---- command 2: Mac Mask List

    private void mask(ServedLink link, Export export, AoeFrame f, ReplySink sink) {
        if (f.length() < MASK_HEADER_LENGTH) {
            counters.count(TargetEvent.IGNORED_MALFORMED);
            return;
        }
        MacMaskMessage request = (MacMaskMessage) decode(link, export, f, MASK_HEADER_LENGTH, sink);
        if (request == null) {
            return;
        }
        Optional<MaskCommand> command = request.maskCommand();
        if (command.isEmpty()) {
            sendError(link, export, f, MASK_HEADER_LENGTH, AoeError.BAD_ARGUMENT, sink);
            return;
        }
        AoeHeader header = replyHeader(link, export, request.header());
        if (command.get() == MaskCommand.READ) {
            send(AoeCodec.toFrame(MacMaskMessage.list(header, MaskCommand.READ, export.state().masks().macs())), sink);
            return;
        }
        MaskList.Edit edit;
        try {
            edit = export.editMasks(request.directives(), MaskList.capacity(link.mtu()));
        } catch (IOException e) {
            counters.count(TargetEvent.STATE_SAVE_FAILED);
            return;
        }
        MacMaskMessage reply = edit.ok()
                ? MacMaskMessage.list(header, MaskCommand.EDIT, edit.list().macs())
                : MacMaskMessage.failure(header, edit.error(), edit.failedIndex());
        send(AoeCodec.toFrame(reply), sink);
    }

    // ---- command 3: Reserve/Release

    private void reserve(ServedLink link, Export export, AoeFrame f, ReplySink sink) {
        if (f.length() < RESERVE_HEADER_LENGTH) {
            counters.count(TargetEvent.IGNORED_MALFORMED);
            return;
        }
        ReserveMessage request = (ReserveMessage) decode(link, export, f, RESERVE_HEADER_LENGTH, sink);
        if (request == null) {
            return;
        }
        Optional<ReserveCommand> command = request.reserveCommand();
        if (command.isEmpty()) {
            sendError(link, export, f, RESERVE_HEADER_LENGTH, AoeError.BAD_ARGUMENT, sink);
            return;
        }
        Export.Reservation result;
        try {
            result = export.reserve(command.get(), f.source(), request.macs());
        } catch (IOException e) {
            counters.count(TargetEvent.STATE_SAVE_FAILED);
            return;
        }
        AoeHeader header = replyHeader(link, export, request.header());
        if (!result.allowed()) {
            counters.countError(AoeError.TARGET_RESERVED);
            header = header.withError(AoeError.TARGET_RESERVED);
        }
        send(AoeCodec.toFrame(ReserveMessage.of(header, command.get(), result.table().holders())), sink);
    }

    // ---- shared

    /**
     * Decodes a control message; a length field that runs past the frame (a config string, mask
     * directives or reserve MACs) is a bad argument (error 2), as in vblade. Returns null after
     * answering such a frame.
     */
    private AoeMessage decode(ServedLink link, Export export, AoeFrame f, int headerLength, ReplySink sink) {
        try {
            return AoeCodec.decode(f.buffer().duplicate().position(f.base()));
        } catch (AoeProtocolException e) {
            sendError(link, export, f, headerLength, AoeError.BAD_ARGUMENT, sink);
            return null;
        }
    }

    private static AoeHeader replyHeader(ServedLink link, Export export, AoeHeader request) {
        return request.reply(link.mac(), export.address().shelf(), export.address().slot());
    }

    /**
     * An AoE error reply in a new buffer: the request's first {@code headerLength} bytes (its
     * command header, echoed as vblade does, but never its data) with R, E and the code.
     */
    private void sendError(ServedLink link, Export export, AoeFrame f, int headerLength, AoeError error, ReplySink sink) {
        counters.countError(error);
        int length = Math.min(f.length(), headerLength);
        ByteBuffer out = ByteBuffer.allocate(Math.max(MIN_FRAME, length));
        out.put(0, f.buffer(), f.base(), length);
        out.limit(length);
        AoeFrame reply;
        try {
            reply = AoeFrame.wrap(out);
        } catch (AoeProtocolException e) {
            throw new IllegalStateException("a copied AoE header stopped being one", e);
        }
        reply.prepareReply(link.mac(), export.address().shelf(), export.address().slot());
        reply.setError(error);
        reply.padToMinimum();
        send(out, sink);
    }

    private void send(ByteBuffer reply, ReplySink sink) {
        try {
            sink.send(reply);
            counters.count(TargetEvent.REPLY_OUT);
        } catch (IOException e) {
            counters.count(TargetEvent.SEND_FAILED);
        }
    }
}
