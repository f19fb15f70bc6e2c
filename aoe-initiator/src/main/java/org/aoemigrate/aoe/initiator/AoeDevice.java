package org.aoemigrate.aoe.initiator;

import static org.aoemigrate.aoe.wire.AoeConstants.SECTOR_SIZE;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.aoemigrate.aoe.wire.ConfigSubcommand;
import org.aoemigrate.aoe.wire.MacAddress;
import org.aoemigrate.aoe.wire.MaskDirective;
import org.aoemigrate.aoe.wire.MaskDirectiveCommand;
import org.aoemigrate.aoe.wire.ReserveCommand;

/**
 * An open AoE device ({@code eS.L}) reached over one or more paths.
 *
 * <p><b>Data.</b> {@link #readAsync} and {@link #writeAsync} move any number of whole sectors,
 * split into frames of {@link #sectorsPerFrame()} sectors and pipelined up to each path's
 * window; their futures complete on an internal thread, so continuations must not block. They
 * use the region between the buffer's position and limit and leave both alone; the buffer must
 * not be touched until the future completes. {@link #read} and {@link #write} wait, and then
 * advance the position as channels do.
 *
 * <p><b>Failures</b> are {@link AoeException}s naming the device and the operation:
 * {@link AtaErrorException} (ATA status ERR, e.g. IDNF past the end),
 * {@link AoeErrorException} and its {@link TargetReservedException} (the target refused),
 * {@link AoeTimeoutException} (no answer by the deadline).
 *
 * <p><b>Management.</b> Commands that change target state (config set, mask edits, reserve
 * changes) go to every target port of the device, because separate target processes (one
 * vblade per interface) keep separate state; they succeed only if every port accepts, and return
 * the first port's answer. Reads ask one port.
 */
public final class AoeDevice implements AutoCloseable {

    private final DeviceEngine engine;
    private final InitiatorOptions options;
    private volatile Identity identity;

    AoeDevice(DeviceEngine engine, InitiatorOptions options) {
        this.engine = engine;
        this.options = options;
    }

    public AoeAddress address() {
        return engine.address();
    }

    /** The paths, as discovered. */
    public List<TargetPath> paths() {
        return engine.paths().stream()
                .map(p -> new TargetPath(p.link.name(), p.target, p.bufferCount, p.sectorsPerFrame))
                .toList();
    }

    /** Sectors per request frame: the minimum over the paths. */
    public int sectorsPerFrame() {
        return engine.sectorsPerFrame();
    }

    /** This host's MACs on the device's paths: what a reservation for this host must list. */
    public List<MacAddress> localMacs() {
        return engine.paths().stream().map(p -> p.link.mac()).distinct().toList();
    }

    /** The distinct target MACs (target ports) of the device. */
    public List<MacAddress> targetMacs() {
        return engine.paths().stream().map(p -> p.target).distinct().toList();
    }

    /** The identity read when the device was opened, or by the latest {@link #identify()}. */
    public Identity identity() {
        return identity;
    }

    /** Capacity in sectors, from the identity. */
    public long sectors() {
        return identity.sectors();
    }

    public DeviceStats stats() {
        return engine.stats();
    }

    // ---- ATA ----

    public CompletableFuture<Identity> identifyAsync() {
        return engine.submit(new IdentifyTransfer(address())).thenApply(id -> {
            identity = id;
            return id;
        });
    }

    /** IDENTIFY DEVICE: size, model, serial, firmware. */
    public Identity identify() throws IOException {
        return await(identifyAsync());
    }

    /** Reads {@code dst.remaining()} bytes (whole sectors) starting at {@code lba}; see the class comment. */
    public CompletableFuture<Void> readAsync(long lba, ByteBuffer dst) {
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException(address() + ": cannot read into a read-only buffer");
        }
        return engine.submit(new DataTransfer(address(), false, checkRange(lba, dst), dst, sectorsPerFrame()));
    }

    /** Writes {@code src.remaining()} bytes (whole sectors) starting at {@code lba}; see the class comment. */
    public CompletableFuture<Void> writeAsync(long lba, ByteBuffer src) {
        return engine.submit(new DataTransfer(address(), true, checkRange(lba, src), src, sectorsPerFrame()));
    }

    /** Reads into {@code dst} from its position to its limit, then moves the position to the limit. */
    public void read(long lba, ByteBuffer dst) throws IOException {
        await(readAsync(lba, dst));
        dst.position(dst.limit());
    }

    /** Writes {@code src} from its position to its limit, then moves the position to the limit. */
    public void write(long lba, ByteBuffer src) throws IOException {
        await(writeAsync(lba, src));
        src.position(src.limit());
    }

    public CompletableFuture<Void> flushAsync() {
        return engine.submit(new FlushTransfer(address()));
    }

    /** FLUSH CACHE: returns once the target has every acknowledged write on its medium. */
    public void flush() throws IOException {
        await(flushAsync());
    }

    private long checkRange(long lba, ByteBuffer buffer) {
        if (buffer.remaining() % SECTOR_SIZE != 0) {
            throw new IllegalArgumentException(address() + ": transfers are whole 512-byte sectors; "
                    + buffer.remaining() + " bytes is not a multiple of 512");
        }
        long sectors = buffer.remaining() / SECTOR_SIZE;
        if (lba < 0 || lba + sectors > (1L << 48)) {
            throw new IllegalArgumentException(address() + ": LBA " + lba + " + " + sectors
                    + " sectors is outside the 48-bit address range");
        }
        return lba;
    }

    // ---- Query Config (r11 3.2) ----

    /** The config string and the target's figures. */
    public ConfigInfo configRead() throws IOException {
        return await(engine.submit(ManagementRequests.config(address(), ConfigSubcommand.READ, null,
                null, null))).orElseThrow();
    }

    /** The config answer of each target port (see {@link #reserveReadEachPort()} for why). */
    public Map<MacAddress, ConfigInfo> configReadEachPort() throws IOException {
        Map<MacAddress, Optional<ConfigInfo>> answers = byPort(
                target -> ManagementRequests.config(address(), ConfigSubcommand.READ, null, target, null));
        Map<MacAddress, ConfigInfo> result = new LinkedHashMap<>();
        answers.forEach((port, info) -> result.put(port, info.orElseThrow()));
        return result;
    }

    /** The target's answer if its string equals {@code string} exactly; empty if it stays silent (no match). */
    public Optional<ConfigInfo> configTest(byte[] string) throws IOException {
        return configTest(ConfigSubcommand.TEST, string);
    }

    public Optional<ConfigInfo> configTest(String string) throws IOException {
        return configTest(utf8(string));
    }

    /** The target's answer if {@code prefix} is a prefix of its string; empty if it stays silent. */
    public Optional<ConfigInfo> configTestPrefix(byte[] prefix) throws IOException {
        return configTest(ConfigSubcommand.TEST_PREFIX, prefix);
    }

    public Optional<ConfigInfo> configTestPrefix(String prefix) throws IOException {
        return configTestPrefix(utf8(prefix));
    }

    private Optional<ConfigInfo> configTest(ConfigSubcommand test, byte[] string) throws IOException {
        return await(engine.submit(ManagementRequests.config(address(), test, string, null, null),
                options.silenceTimeout().toNanos()));
    }

    /**
     * Stores {@code string} if the target holds none (or the same one).
     *
     * @throws ConfigStringPresentException if a target port holds a different string
     */
    public ConfigInfo configSet(byte[] string) throws IOException {
        return everyPort(target -> ManagementRequests.config(address(), ConfigSubcommand.SET, string, target, null))
                .orElseThrow();
    }

    public ConfigInfo configSet(String string) throws IOException {
        return configSet(utf8(string));
    }

    /** Stores {@code string} whatever the target holds; an empty string clears it. */
    public ConfigInfo configForceSet(byte[] string) throws IOException {
        return everyPort(target -> ManagementRequests.config(address(), ConfigSubcommand.FORCE_SET, string, target,
                null)).orElseThrow();
    }

    public ConfigInfo configForceSet(String string) throws IOException {
        return configForceSet(utf8(string));
    }

    // ---- Mac Mask List (r11 3.3) ----

    /** The mask list; empty means every initiator is admitted. */
    public List<MacAddress> maskRead() throws IOException {
        return await(engine.submit(ManagementRequests.mask(address(), List.of(), null)));
    }

    /**
     * Applies the directives in order and returns the list after them.
     *
     * @throws MaskEditException if a directive fails (the earlier ones stay applied)
     */
    public List<MacAddress> maskEdit(List<MaskDirective> directives) throws IOException {
        if (directives.isEmpty()) {
            throw new IllegalArgumentException("a mask edit needs at least one directive; use maskRead() to read");
        }
        return everyPort(target -> ManagementRequests.mask(address(), directives, target));
    }

    public List<MacAddress> maskAdd(MacAddress... macs) throws IOException {
        return maskEdit(directives(MaskDirectiveCommand.ADD, macs));
    }

    public List<MacAddress> maskDelete(MacAddress... macs) throws IOException {
        return maskEdit(directives(MaskDirectiveCommand.DELETE, macs));
    }

    private static List<MaskDirective> directives(MaskDirectiveCommand command, MacAddress... macs) {
        return Arrays.stream(macs).map(m -> MaskDirective.of(command, m)).toList();
    }

    // ---- Reserve/Release (r11 3.4) ----

    /**
     * The reserve list of each target port. Targets that run one process per interface (vblade)
     * keep one list per port, so a fence is only certain when every port shows it.
     */
    public Map<MacAddress, List<MacAddress>> reserveReadEachPort() throws IOException {
        return byPort(target -> ManagementRequests.reserve(address(), ReserveCommand.READ, List.of(), target));
    }

    /** The reserve list; empty means the target is not reserved. */
    public List<MacAddress> reserveRead() throws IOException {
        return await(engine.submit(ManagementRequests.reserve(address(), ReserveCommand.READ, List.of(), null)));
    }

    /**
     * Reserves the target to {@code macs}; allowed if it is unreserved or this host is on its
     * list. A port that refuses because it already holds exactly {@code macs} counts as success:
     * a target that shares one reservation across its ports has then been set through another.
     *
     * @throws TargetReservedException if other initiators hold it (error 6), with their MACs
     */
    public List<MacAddress> reserveSet(List<MacAddress> macs) throws IOException {
        return everyPort(target -> ManagementRequests.reserve(address(), ReserveCommand.SET, macs, target));
    }

    /** Reserves the target to {@code macs} whoever holds it: the fence at a migration's cutover. */
    public List<MacAddress> reserveForceSet(List<MacAddress> macs) throws IOException {
        return everyPort(target -> ManagementRequests.reserve(address(), ReserveCommand.FORCE_SET, macs, target));
    }

    /** Releases this host's reservation (a set with no MACs; refused if others hold it). */
    public List<MacAddress> release() throws IOException {
        return reserveSet(List.of());
    }

    /** Releases the reservation whoever holds it. */
    public List<MacAddress> forceRelease() throws IOException {
        return reserveForceSet(List.of());
    }

    // ---- plumbing ----

    @FunctionalInterface
    private interface PerPort<T> {
        Transfer<T> transfer(MacAddress target);
    }

    /** Sends one transfer to each target port, waits for all, returns the first port's result. */
    private <T> T everyPort(PerPort<T> make) throws IOException {
        return byPort(make).values().iterator().next();
    }

    /** Sends one transfer to each target port and waits for all; the results in port order. */
    private <T> Map<MacAddress, T> byPort(PerPort<T> make) throws IOException {
        Map<MacAddress, CompletableFuture<T>> futures = new LinkedHashMap<>();
        for (MacAddress target : targetMacs()) {
            futures.put(target, engine.submit(make.transfer(target)));
        }
        Map<MacAddress, T> results = new LinkedHashMap<>();
        IOException failure = null;
        for (Map.Entry<MacAddress, CompletableFuture<T>> f : futures.entrySet()) {
            try {
                results.put(f.getKey(), await(f.getValue()));
            } catch (IOException e) {
                failure = failure == null ? e : failure;
            }
        }
        if (failure != null) {
            throw failure;
        }
        return results;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Waits for the future and rethrows its failure as the {@link IOException} it is. The
     * request keeps going if the wait is interrupted; it ends by itself at the deadline.
     */
    static <T> T await(CompletableFuture<T> future) throws IOException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for an AoE answer");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new AoeException("AoE request failed: " + cause, cause);
        }
    }

    /** Fails whatever is in flight and forgets the device; the initiator keeps running. */
    @Override
    public void close() {
        engine.close();
    }

    @Override
    public String toString() {
        return address() + " over " + paths().stream().map(TargetPath::label).toList();
    }
}
