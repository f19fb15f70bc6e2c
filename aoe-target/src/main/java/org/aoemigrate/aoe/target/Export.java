package org.aoemigrate.aoe.target;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import org.aoemigrate.aoe.wire.ConfigSubcommand;
import org.aoemigrate.aoe.wire.IdentifyPage;
import org.aoemigrate.aoe.wire.MacAddress;
import org.aoemigrate.aoe.wire.MaskDirective;
import org.aoemigrate.aoe.wire.ReserveCommand;

/**
 * One export while it is served: its spec, its open {@link BackingStore}, and its state. Every
 * receive thread that serves it (one per link: multipath) shares this object.
 *
 * <p>The hot path reads the state without locking (it is an immutable value in a volatile
 * field). Changes are serialized, saved through the {@link ExportStateStore} and only then
 * published, so the reply that reports a change always follows its save.
 */
public final class Export implements Closeable {

    /** IDENTIFY model string (words 27-46). */
    public static final String MODEL = "aoemigrate aoe-target";

    private final ExportSpec spec;
    private final BackingStore store;
    private final ExportStateStore stateStore;
    private final Closeable claim;
    private final byte[] identifyPage;
    private final Object changes = new Object();
    private final IoOrder ioOrder = new IoOrder();
    private volatile ExportState state;

    private Export(ExportSpec spec, BackingStore store, ExportStateStore stateStore, Closeable claim, ExportState state) {
        this.spec = spec;
        this.store = store;
        this.stateStore = stateStore;
        this.claim = claim;
        this.state = state;
        this.identifyPage = IdentifyPage.of(store.sectors(), MODEL, state.serial(spec.address()),
                TargetVersion.FIRMWARE_STRING).toBytes();
    }

    /**
     * Claims the export's state (one process per export and state directory), opens the backing
     * file and loads the saved state, or creates and saves the initial state of a new export (so
     * its random identity, and thus its serial, is fixed from now on).
     */
    public static Export open(ExportSpec spec, ExportStateStore stateStore) throws IOException {
        return open(spec, stateStore, BackingStore::open);
    }

    /** Opens the backing store with {@code opener} once the state is claimed: tests pass a store that fails on cue. */
    static Export open(ExportSpec spec, ExportStateStore stateStore, StoreOpener opener) throws IOException {
        Closeable claim = stateStore.claim(spec.address());
        BackingStore store = null;
        try {
            store = opener.open(spec);
            ExportState state = stateStore.load(spec.address()).orElse(null);
            if (state == null) {
                state = ExportState.initial(spec, stateStore.isPersistent());
                stateStore.save(spec.address(), state);
            }
            return new Export(spec, store, stateStore, claim, state);
        } catch (IOException | RuntimeException e) {
            if (store != null) {
                store.close();
            }
            claim.close();
            throw e;
        }
    }

    public ExportSpec spec() {
        return spec;
    }

    public ExportAddress address() {
        return spec.address();
    }

    public BackingStore store() {
        return store;
    }

    /** The current state: a consistent snapshot. */
    public ExportState state() {
        return state;
    }

    /** The order rules for this export's data commands in the {@link DirectIoPool}. */
    IoOrder ioOrder() {
        return ioOrder;
    }

    /** The 512-byte IDENTIFY DEVICE page; callers copy from it and must not change it. */
    byte[] identifyPage() {
        return identifyPage;
    }

    /** Applies a Query Config subcommand (r11 3.2); a stored change is saved first. */
    public ConfigString.Decision config(ConfigSubcommand command, ConfigString request) throws IOException {
        if (command == ConfigSubcommand.READ || command == ConfigSubcommand.TEST || command == ConfigSubcommand.TEST_PREFIX) {
            return state.config().apply(command, request);
        }
        synchronized (changes) {
            ConfigString.Decision d = state.config().apply(command, request);
            if (d.outcome() == ConfigString.Outcome.ANSWER && !d.string().equals(state.config())) {
                publish(state.withConfig(d.string()));
            }
            return d;
        }
    }

    /** Applies mask directives (r11 3.3); the directives applied before a failing one stay, and are saved. */
    public MaskList.Edit editMasks(List<MaskDirective> directives, int capacity) throws IOException {
        synchronized (changes) {
            MaskList.Edit edit = state.masks().edit(directives, capacity);
            if (!edit.list().equals(state.masks())) {
                publish(state.withMasks(edit.list()));
            }
            return edit;
        }
    }

    /**
     * Sets the reserve list for {@code source} (r11 3.4) if it may; returns the list in force
     * afterwards and whether the request was allowed.
     */
    public Reservation reserve(ReserveCommand command, MacAddress source, List<MacAddress> holders) throws IOException {
        synchronized (changes) {
            ReservationTable current = state.reservations();
            if (command == ReserveCommand.READ) {
                return new Reservation(true, current);
            }
            if (!current.maySet(command, source)) {
                return new Reservation(false, current);
            }
            ReservationTable next = ReservationTable.of(holders);
            if (!next.equals(current)) {
                publish(state.withReservations(next));
            }
            return new Reservation(true, next);
        }
    }

    /** The outcome of a Reserve/Release request. */
    public record Reservation(boolean allowed, ReservationTable table) {
    }

    private void publish(ExportState next) throws IOException {
        stateStore.save(spec.address(), next);
        state = next;
    }

    /** Flushes and closes the backing store, then gives up the claim on the state. */
    @Override
    public void close() throws IOException {
        try {
            store.close();
        } finally {
            claim.close();
        }
    }

    @Override
    public String toString() {
        return spec.address() + " " + store;
    }

    /** How {@link #open(ExportSpec, ExportStateStore, StoreOpener)} gets the export's backing store. */
    @FunctionalInterface
    interface StoreOpener {
        BackingStore open(ExportSpec spec) throws IOException;
    }
}
