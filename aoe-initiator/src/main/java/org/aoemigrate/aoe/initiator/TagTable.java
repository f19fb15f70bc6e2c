package org.aoemigrate.aoe.initiator;

import java.security.SecureRandom;

/**
 * Allocates AoE tags and finds the request a reply belongs to.
 *
 * <p>Tags always have bit 31 set: the Linux aoe driver ignores such replies (they are reserved
 * for userland tools such as aoeping), so this initiator can run beside it on one host. The low
 * 31 bits hold a slot index and a per-slot sequence number, XORed with a key drawn once per
 * session, so tags are not predictable from outside (Linux's are, which lets anyone on the
 * segment forge completions). A slot belongs to one request until it is answered or abandoned;
 * a retransmission takes the slot's next sequence number, so it gets a new tag while the tags
 * of earlier copies still map to the same request. A slot's sequence wraps only after 2^19
 * sends, far beyond any plausible delay of a stale reply.
 */
final class TagTable {

    static final int INDEX_BITS = 12;
    static final int SIZE = 1 << INDEX_BITS;
    private static final int INDEX_MASK = SIZE - 1;
    private static final int SEQUENCE_BITS = 31 - INDEX_BITS;
    private static final int SEQUENCE_MASK = (1 << SEQUENCE_BITS) - 1;
    private static final int USERLAND_BIT = 0x8000_0000;

    private final Exchange[] slots = new Exchange[SIZE];
    private final int key;
    private final int[] free = new int[SIZE];
    private int freeCount;

    TagTable() {
        SecureRandom random = new SecureRandom();
        key = random.nextInt() & 0x7FFF_FFFF;
        for (int i = 0; i < SIZE; i++) {
            slots[i] = new Exchange(i);
            slots[i].sequence = random.nextInt() & SEQUENCE_MASK;
            free[i] = SIZE - 1 - i;
        }
        freeCount = SIZE;
    }

    /** Takes a free slot for {@code sink}, or returns null when every slot is in flight. */
    synchronized Exchange acquire(ReplySink sink) {
        if (freeCount == 0) {
            return null;
        }
        Exchange ex = slots[free[--freeCount]];
        ex.sink = sink;
        ex.firstSequence = (ex.sequence + 1) & SEQUENCE_MASK;
        return ex;
    }

    /** Gives the slot back; replies to any of its tags are ignored from now on. */
    synchronized void release(Exchange ex) {
        if (ex.sink == null) {
            return;
        }
        ex.sink = null;
        ex.clearRequest();
        free[freeCount++] = ex.index;
    }

    /** A new tag for the slot's next transmission (the owner's lock held). */
    int nextTag(Exchange ex) {
        ex.sequence = (ex.sequence + 1) & SEQUENCE_MASK;
        return tagOf(ex.index, ex.sequence);
    }

    /** The slot a tag points at, or null if the tag is not one of ours or the slot is free. */
    Exchange lookup(int tag) {
        if ((tag & USERLAND_BIT) == 0) {
            return null;
        }
        Exchange ex = slots[decode(tag) & INDEX_MASK];
        return ex.sink == null ? null : ex;
    }

    /**
     * True if {@code tag} is one this slot issued for its current request: the latest or an
     * earlier copy (a late answer to an earlier copy is as good as any). The owner's lock held.
     */
    boolean owns(Exchange ex, int tag) {
        int x = decode(tag);
        if ((x & INDEX_MASK) != ex.index) {
            return false;
        }
        int sequence = x >>> INDEX_BITS;
        int age = (ex.sequence - sequence) & SEQUENCE_MASK;
        int issued = (ex.sequence - ex.firstSequence) & SEQUENCE_MASK;
        return age <= issued;
    }

    /** True if {@code tag} is the one the slot's current request was first sent with. */
    boolean isFirst(Exchange ex, int tag) {
        return tag == tagOf(ex.index, ex.firstSequence);
    }

    /** Slots in flight, for statistics and tests. */
    synchronized int inFlight() {
        return SIZE - freeCount;
    }

    private int tagOf(int index, int sequence) {
        return USERLAND_BIT | ((sequence << INDEX_BITS | index) ^ key);
    }

    private int decode(int tag) {
        return (tag ^ key) & 0x7FFF_FFFF;
    }
}
