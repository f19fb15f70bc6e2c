package org.aoemigrate.aoe.link;

import static org.aoemigrate.aoe.wire.AoeConstants.BROADCAST_SHELF;
import static org.aoemigrate.aoe.wire.AoeConstants.BROADCAST_SLOT;
import static org.aoemigrate.aoe.wire.AoeConstants.ETHERTYPE;
import static org.aoemigrate.aoe.wire.AoeConstants.ETHERTYPE_AOE;
import static org.aoemigrate.aoe.wire.AoeConstants.FLAG_RESPONSE;
import static org.aoemigrate.aoe.wire.AoeConstants.SHELF;
import static org.aoemigrate.aoe.wire.AoeConstants.SLOT;
import static org.aoemigrate.aoe.wire.AoeConstants.VERSION_FLAGS;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Which AoE frames a socket should see, compiled to a classic-BPF program that the kernel runs
 * before a frame is queued ({@code SO_ATTACH_FILTER}), so a busy segment costs the receiver
 * nothing for frames it would throw away.
 *
 * <p>The program accepts a frame only when all of these hold:
 *
 * <ul>
 *   <li>its EtherType is 0x88A2;
 *   <li>its R flag (r11 2.1: bit 0x08 of byte 14) matches the direction: clear for
 *       {@link Direction#REQUESTS} (a target), set for {@link Direction#RESPONSES} (an initiator);
 *   <li>if addresses were given: for one of them, the frame's shelf is that shelf or 0xFFFF and its
 *       slot is that slot or 0xFF (r11 2.1 broadcast addresses), the test vblade's filter makes.
 * </ul>
 *
 * Frames too short to hold the tested fields are dropped (a classic-BPF load past the end of
 * the frame ends the program with 0). Instances are immutable.
 */
public final class AoeFilter {

    /** Which half of the conversation a socket wants. */
    public enum Direction {
        /** Frames with the R flag clear: what a target serves. */
        REQUESTS,
        /** Frames with the R flag set: what an initiator waits for. */
        RESPONSES
    }

    /** A shelf (major, 0..0xFFFE) and slot (minor, 0..0xFE) address. */
    public record Address(int shelf, int slot) implements Comparable<Address> {
        public Address {
            if (shelf < 0 || shelf >= BROADCAST_SHELF) {
                throw new IllegalArgumentException("shelf " + shelf + " cannot be filtered on; use 0..65534 (0xFFFF is broadcast)");
            }
            if (slot < 0 || slot >= BROADCAST_SLOT) {
                throw new IllegalArgumentException("slot " + slot + " cannot be filtered on; use 0..254 (0xFF is broadcast)");
            }
        }

        @Override
        public int compareTo(Address o) {
            return shelf != o.shelf ? Integer.compare(shelf, o.shelf) : Integer.compare(slot, o.slot);
        }

        @Override
        public String toString() {
            return "e" + shelf + "." + slot;
        }
    }

    /** The kernel refuses longer classic-BPF programs (BPF_MAXINSNS). */
    public static final int MAX_INSTRUCTIONS = 4096;

    /** Keep up to this many bytes of an accepted frame: more than any MTU allows, as tcpdump does. */
    private static final int ACCEPT = 262_144;
    private static final int DROP = 0;

    private final Direction direction;
    private final SortedSet<Address> addresses;

    private AoeFilter(Direction direction, SortedSet<Address> addresses) {
        this.direction = direction;
        this.addresses = addresses;
    }

    /** Every AoE request, whatever its address. */
    public static AoeFilter requests() {
        return new AoeFilter(Direction.REQUESTS, new TreeSet<>());
    }

    /** Every AoE response, whatever its address. */
    public static AoeFilter responses() {
        return new AoeFilter(Direction.RESPONSES, new TreeSet<>());
    }

    /**
     * This filter narrowed to frames for the given addresses (or their broadcast forms). Calling
     * it again adds to the set.
     */
    public AoeFilter addressedTo(Set<Address> more) {
        SortedSet<Address> all = new TreeSet<>(addresses);
        all.addAll(more);
        return new AoeFilter(direction, all);
    }

    public AoeFilter addressedTo(int shelf, int slot) {
        return addressedTo(Set.of(new Address(shelf, slot)));
    }

    public Direction direction() {
        return direction;
    }

    /** The addresses accepted; empty means every address. */
    public Set<Address> addresses() {
        return Collections.unmodifiableSortedSet(addresses);
    }

    /**
     * The compiled program. Long skips use the unconditional jump (32-bit offset); conditional
     * jumps only ever skip one instruction, so any number of addresses fits until
     * {@link #MAX_INSTRUCTIONS}.
     *
     * @throws IllegalStateException when the addresses need more than {@link #MAX_INSTRUCTIONS}
     */
    public List<BpfInstruction> program() {
        List<BpfInstruction> p = new ArrayList<>();
        p.add(BpfInstruction.loadHalfword(ETHERTYPE));
        p.add(BpfInstruction.skipIfEqual(ETHERTYPE_AOE, 1));
        p.add(BpfInstruction.ret(DROP));
        p.add(BpfInstruction.loadByte(VERSION_FLAGS));
        p.add(direction == Direction.REQUESTS
                ? BpfInstruction.skipUnlessAnyBit(FLAG_RESPONSE, 1)
                : BpfInstruction.skipIfAnyBit(FLAG_RESPONSE, 1));
        p.add(BpfInstruction.ret(DROP));
        if (addresses.isEmpty()) {
            p.add(BpfInstruction.ret(ACCEPT));
            return List.copyOf(p);
        }
        SortedMap<Integer, SortedSet<Integer>> slotsByShelf = new TreeMap<>();
        for (Address a : addresses) {
            slotsByShelf.computeIfAbsent(a.shelf(), s -> new TreeSet<>()).add(a.slot());
            slotsByShelf.computeIfAbsent(BROADCAST_SHELF, s -> new TreeSet<>()).add(a.slot());
        }
        p.add(BpfInstruction.loadHalfword(SHELF));
        slotsByShelf.forEach((shelf, slots) -> addShelfTest(p, shelf, slots));
        p.add(BpfInstruction.ret(DROP));
        if (p.size() > MAX_INSTRUCTIONS) {
            throw new IllegalStateException(addresses.size() + " addresses need a BPF program of " + p.size()
                    + " instructions, over the kernel's limit of " + MAX_INSTRUCTIONS
                    + "; filter on direction only and check the addresses in user space");
        }
        return List.copyOf(p);
    }

    /**
     * With A holding the frame's shelf: if it is {@code shelf}, accept when the slot is one of
     * {@code slots} or the broadcast slot, else drop; if not, fall through to the next test.
     */
    private static void addShelfTest(List<BpfInstruction> p, int shelf, SortedSet<Integer> slots) {
        List<BpfInstruction> block = new ArrayList<>();
        block.add(BpfInstruction.loadByte(SLOT));
        for (int slot : slots) {
            addAcceptIfEqual(block, slot);
        }
        addAcceptIfEqual(block, BROADCAST_SLOT);
        block.add(BpfInstruction.ret(DROP));

        p.add(BpfInstruction.skipIfEqual(shelf, 1));
        p.add(BpfInstruction.jump(block.size()));
        p.addAll(block);
    }

    private static void addAcceptIfEqual(List<BpfInstruction> p, int value) {
        p.add(BpfInstruction.skipUnlessEqual(value, 1));
        p.add(BpfInstruction.ret(ACCEPT));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AoeFilter f && f.direction == direction && f.addresses.equals(addresses);
    }

    @Override
    public int hashCode() {
        return Objects.hash(direction, addresses);
    }

    @Override
    public String toString() {
        return "AoE " + direction.name().toLowerCase(Locale.ROOT)
                + (addresses.isEmpty() ? "" : " to " + addresses + " or broadcast");
    }
}
