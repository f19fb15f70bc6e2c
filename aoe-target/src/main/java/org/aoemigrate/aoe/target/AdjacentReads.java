package org.aoemigrate.aoe.target;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.aoemigrate.aoe.wire.AoeCommand;
import org.aoemigrate.aoe.wire.AoeConstants;
import org.aoemigrate.aoe.wire.AoeFrame;
import org.aoemigrate.aoe.wire.AoeProtocolException;
import org.aoemigrate.aoe.wire.AtaOpcode;

/**
 * Merges adjacent reads: before a received batch is handled, finds the runs of ATA reads that
 * follow each other on the disk (a sequential reader's window arrives in order) and reads each
 * run with one system call ({@link BackingStore#readAhead}), so the batch's reads copy from
 * memory. Only a hint: the handler still checks and answers every request itself, and a frame
 * this scan misreads costs at most a useless read. Used by one receive thread.
 */
final class AdjacentReads {

    private final AoeFrame view = new AoeFrame();
    private final List<BackingStore> readAhead = new ArrayList<>();

    private Export runExport;
    private long runLba;
    private int runSectors;
    private int runRequests;

    // the read the last plausibleRead call found
    private Export export;
    private long lba;
    private int count;

    /** Reads ahead the runs of two or more adjacent reads among {@code frames[0..n)}. */
    void readAhead(ServedLink link, ByteBuffer[] frames, int n) {
        runExport = null;
        for (int i = 0; i < n; i++) {
            if (!plausibleRead(link, frames[i])) {
                continue;
            }
            if (export == runExport && lba == runLba + runSectors
                    && runSectors + count <= ReadAhead.CAPACITY_SECTORS) {
                runSectors += count;
                runRequests++;
            } else {
                finishRun();
                runExport = export;
                runLba = lba;
                runSectors = count;
                runRequests = 1;
            }
        }
        finishRun();
    }

    /** Ends the batch's read-ahead: later batches read afresh. */
    void forget() {
        for (BackingStore store : readAhead) {
            store.forgetReadAhead();
        }
        readAhead.clear();
    }

    private void finishRun() {
        if (runExport == null || runRequests < 2) {
            return;
        }
        BackingStore store = runExport.store();
        try {
            if (store.readAhead(runLba, runSectors) && !readAhead.contains(store)) {
                readAhead.add(store);
            }
        } catch (IOException e) {
            // the requests read one by one, and each reports the error in its own reply
        }
        runExport = null;
    }

    /** Whether the frame looks like an ATA read for an export on this link; if so, sets export, lba and count. */
    private boolean plausibleRead(ServedLink link, ByteBuffer frame) {
        try {
            view.reset(frame);
        } catch (AoeProtocolException e) {
            return false;
        }
        if (view.isResponse() || view.command() != AoeCommand.ATA.code() || !view.hasAtaHeader()) {
            return false;
        }
        int code = view.cmdStatus();
        boolean lba48 = code == AtaOpcode.READ_EXT.code();
        if (!lba48 && code != AtaOpcode.READ.code()) {
            return false;
        }
        count = view.sectorCount();
        export = link.exportAt(view.shelf(), view.slot());
        lba = lba48 ? view.lba() : view.lba() & 0x0FFF_FFFFL;
        return export != null && count > 0 && count <= link.sectorsPerFrame()
                && count <= ReadAhead.CAPACITY_SECTORS && AoeConstants.VERSION == view.version();
    }
}
