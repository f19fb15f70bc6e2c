package org.aoemigrate.aoe.initiator;

/**
 * One request in flight: a slot of the {@link TagTable} and the state its owner needs to match
 * the reply and to resend. The objects are created once with the table and reused, so sending a
 * frame allocates nothing. Fields other than {@link #sink} are guarded by the owner's lock.
 */
final class Exchange {

    /** Position in the tag table; the low bits of every tag this slot issues. */
    final int index;

    /** The owner while the slot is taken, null while free. */
    volatile ReplySink sink;

    /** Sequence number of the first and of the latest tag issued for this request. */
    int firstSequence;
    int sequence;

    /** What is being sent: frame {@link #frame} of {@link #transfer}. */
    Transfer<?> transfer;
    int frame;

    DevicePath path;
    /** The path of the first transmission, whose window a premature timeout collapsed. */
    DevicePath firstPath;
    int attempts;
    /** Bit i set: the request was sent on path i of the device (for the timeout message). */
    long pathsTried;
    long firstSentNanos;
    long lastSentNanos;
    long retransmitAtNanos;

    /** Where the owner keeps this exchange in its list of outstanding ones, or -1. */
    int position = -1;

    Exchange(int index) {
        this.index = index;
    }

    void clearRequest() {
        transfer = null;
        path = null;
        firstPath = null;
        attempts = 0;
        pathsTried = 0;
        position = -1;
    }
}
