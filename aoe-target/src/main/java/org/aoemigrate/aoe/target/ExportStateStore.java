package org.aoemigrate.aoe.target;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.aoemigrate.aoe.wire.MacAddress;

/**
 * Where export state lives: one small JSON file per export ({@code e1.0.json}) in a state
 * directory, or nowhere ({@link #inMemory()}: the state then lasts only as long as the process,
 * like vblade's, and the IDENTIFY serial is derived from the file's path instead of random).
 *
 * <p>A save is atomic and durable before it returns: the JSON goes to a temporary file, which is
 * fsynced, renamed over the old file, and the directory is fsynced so the rename survives a crash.
 * The target saves before it sends the reply that reports the change, so an initiator never sees
 * a reservation or mask that a crash could undo.
 *
 * <p>The file:
 * <pre>
 * {"format":1,"export":"e1.0","identity":"5f3a9c2e","configStringHex":"6869",
 *  "macMask":["02:00:00:00:00:0a"],"reservation":[]}
 * </pre>
 */
public final class ExportStateStore {

    private static final int FORMAT = 1;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path directory;

    private ExportStateStore(Path directory) {
        this.directory = directory;
    }

    /** State kept in {@code directory}, which is created if missing. */
    public static ExportStateStore inDirectory(Path directory) throws IOException {
        Files.createDirectories(directory);
        if (!Files.isWritable(directory)) {
            throw new IOException("state directory " + directory + " is not writable; fix its permissions or pick another");
        }
        return new ExportStateStore(directory);
    }

    /** State kept in memory only: lost on restart. */
    public static ExportStateStore inMemory() {
        return new ExportStateStore(null);
    }

    public boolean isPersistent() {
        return directory != null;
    }

    public Optional<Path> directory() {
        return Optional.ofNullable(directory);
    }

    /** The file that holds an export's state (whether or not it exists yet). */
    public Optional<Path> fileOf(ExportAddress address) {
        return directory().map(d -> d.resolve(address + ".json"));
    }

    /** The saved state of an export, or empty if it never saved any (or the store is in memory). */
    public Optional<ExportState> load(ExportAddress address) throws IOException {
        Optional<Path> file = fileOf(address);
        if (file.isEmpty()) {
            return Optional.empty();
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file.get());
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        try {
            return Optional.of(decode(address, JSON.readTree(bytes)));
        } catch (IOException | RuntimeException e) {
            throw new IOException("state file " + file.get() + " is damaged (" + e.getMessage()
                    + "); fix it, or move it away to start " + address + " with fresh state", e);
        }
    }

    private static ExportState decode(ExportAddress address, JsonNode root) {
        int format = root.path("format").asInt(-1);
        if (format != FORMAT) {
            throw new IllegalArgumentException("format " + root.path("format") + " is not " + FORMAT);
        }
        if (!address.toString().equals(root.path("export").asText())) {
            throw new IllegalArgumentException("it belongs to " + root.path("export").asText() + ", not " + address);
        }
        return new ExportState(
                text(root, "identity"),
                ConfigString.ofHex(text(root, "configStringHex")),
                new MaskList(macs(root, "macMask")),
                new ReservationTable(macs(root, "reservation")));
    }

    private static String text(JsonNode root, String field) {
        JsonNode n = root.get(field);
        if (n == null || !n.isTextual()) {
            throw new IllegalArgumentException("field '" + field + "' is missing or not a string");
        }
        return n.asText();
    }

    private static List<MacAddress> macs(JsonNode root, String field) {
        JsonNode n = root.get(field);
        if (n == null || !n.isArray()) {
            throw new IllegalArgumentException("field '" + field + "' is missing or not a list");
        }
        List<MacAddress> macs = new ArrayList<>();
        for (JsonNode m : n) {
            macs.add(MacAddress.parse(m.asText()));
        }
        return macs;
    }

    /**
     * Claims an export's state for this process until the returned handle is closed, so that two
     * target processes on one host cannot serve (and overwrite the state of) one export: the
     * network check before serving cannot see a second target on another segment. In memory:
     * nothing to claim.
     *
     * @throws IOException if another process holds the claim
     */
    public Closeable claim(ExportAddress address) throws IOException {
        if (directory == null) {
            return () -> { };
        }
        Path lockFile = directory.resolve("." + address + ".lock");
        FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw new IOException(address + " is served by another process using state directory " + directory
                        + " (it holds " + lockFile + "); stop that target first");
            }
            return channel::close;
        } catch (OverlappingFileLockException e) {
            channel.close();
            throw new IOException(address + " is already being served by this process", e);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Saves atomically and durably (see the class comment); a no-op in memory. */
    public void save(ExportAddress address, ExportState state) throws IOException {
        Optional<Path> file = fileOf(address);
        if (file.isEmpty()) {
            return;
        }
        byte[] bytes = JSON.writeValueAsBytes(encode(address, state));
        Path temporary = directory.resolve("." + address + ".json.tmp");
        try (FileChannel out = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) {
                out.write(b);
            }
            out.force(true);
        }
        try {
            Files.move(temporary, file.get(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("state directory " + directory + " cannot rename atomically; put it on a local file system", e);
        }
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        }
    }

    private static ObjectNode encode(ExportAddress address, ExportState state) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("export", address.toString());
        root.put("identity", state.identity());
        root.put("configStringHex", state.config().toHex());
        ArrayNode masks = root.putArray("macMask");
        state.masks().macs().forEach(m -> masks.add(m.toString()));
        ArrayNode holders = root.putArray("reservation");
        state.reservations().holders().forEach(m -> holders.add(m.toString()));
        return root;
    }

    @Override
    public String toString() {
        return directory == null ? "in-memory state" : "state in " + directory;
    }
}
