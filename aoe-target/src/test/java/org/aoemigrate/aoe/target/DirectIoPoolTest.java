package org.aoemigrate.aoe.target;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.aoemigrate.aoe.link.MemoryHub;
import org.aoemigrate.aoe.wire.AoeCodec;
import org.aoemigrate.aoe.wire.AoeCommand;
import org.aoemigrate.aoe.wire.AoeFrame;
import org.aoemigrate.aoe.wire.AoeHeader;
import org.aoemigrate.aoe.wire.AtaMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pool's threads against a performer that blocks until the test lets each request finish:
 * what runs at the same time, what waits, and that the pool is bounded.
 */
class DirectIoPoolTest {

    /** How long a request that should not start is given to start anyway. */
    private static final long NOT_STARTED_MILLIS = 300;

    @TempDir
    Path dir;
    private Export export;
    private ServedLink link;
    private AoeFrame frame;
    private final BlockingQueue<IoRequest> started = new LinkedBlockingQueue<>();
    private final Semaphore finish = new Semaphore(0);
    private DirectIoPool pool;

    @BeforeEach
    void open() throws Exception {
        Path image = HubTarget.image(dir, "disk.img", 64, 3);
        export = Export.open(ExportSpec.builder(new ExportAddress(1, 0), image, "t0").build(), ExportStateStore.inMemory());
        link = new ServedLink(new MemoryHub().port("t0", HubTarget.targetMac(0), 1500), 8, List.of(export));
        AoeHeader h = AoeHeader.request(HubTarget.targetMac(0), HubTarget.INITIATOR, 1, 0, AoeCommand.ATA, 1);
        frame = AoeFrame.wrap(AoeCodec.toFrame(AtaMessage.read(h, 0, 1)));
    }

    private void startPool(int threads, int requests) {
        pool = new DirectIoPool(threads, requests);
        pool.start(r -> {
            started.add(r);
            finish.acquireUninterruptibly();
        });
    }

    @AfterEach
    void close() throws IOException {
        finish.release(1_000);
        if (pool != null) {
            pool.close();
        }
        export.close();
    }

    /** Submits one request as a batch of its own. */
    private void submit(IoRequest.Kind kind, long lba, int count) {
        submitInBatch(kind, lba, count);
        pool.endBatch();
    }

    private void submitInBatch(IoRequest.Kind kind, long lba, int count) {
        assertThat(pool.submit(link, export, frame, kind, lba, count)).isTrue();
    }

    /** The started request and the rest of its run, as "lba+count" strings. */
    private static List<String> run(IoRequest first) {
        List<String> members = new java.util.ArrayList<>();
        for (IoRequest r = first; r != null; r = r.nextInRun) {
            members.add(r.lba + "+" + r.count);
        }
        return members;
    }

    private IoRequest nextStarted() throws InterruptedException {
        IoRequest r = started.poll(5, TimeUnit.SECONDS);
        assertThat(r).as("a request started").isNotNull();
        return r;
    }

    @Test
    void readsOfTheSameSectorsRunAtTheSameTime() throws Exception {
        startPool(4, 8);
        submit(IoRequest.Kind.READ, 0, 8);
        submit(IoRequest.Kind.READ, 0, 8);
        submit(IoRequest.Kind.READ, 4, 2);
        for (int i = 0; i < 3; i++) {
            assertThat(nextStarted().kind).isEqualTo(IoRequest.Kind.READ);
        }
    }

    @Test
    void anOverlappingReadStartsOnlyAfterTheWriteBeforeItFinished() throws Exception {
        startPool(4, 8);
        submit(IoRequest.Kind.WRITE, 2, 2);
        submit(IoRequest.Kind.READ, 3, 1);
        submit(IoRequest.Kind.READ, 10, 1);
        assertThat(nextStarted().kind).isEqualTo(IoRequest.Kind.WRITE);
        assertThat(nextStarted().lba).as("the read elsewhere").isEqualTo(10);
        assertThat(started.poll(NOT_STARTED_MILLIS, TimeUnit.MILLISECONDS)).as("the held read").isNull();
        finish.release(); // lets one of the two running requests finish
        finish.release();
        assertThat(nextStarted().lba).isEqualTo(3);
    }

    @Test
    void aFlushStartsAfterTheWritesBeforeIt() throws Exception {
        startPool(4, 8);
        submit(IoRequest.Kind.WRITE, 40, 1);
        submit(IoRequest.Kind.FLUSH, 0, 0);
        assertThat(nextStarted().kind).isEqualTo(IoRequest.Kind.WRITE);
        assertThat(started.poll(NOT_STARTED_MILLIS, TimeUnit.MILLISECONDS)).isNull();
        finish.release();
        assertThat(nextStarted().kind).isEqualTo(IoRequest.Kind.FLUSH);
    }

    @Test
    void adjacentReadsOfOneBatchRunAsOne() throws Exception {
        startPool(4, 8);
        submitInBatch(IoRequest.Kind.READ, 0, 2);
        submitInBatch(IoRequest.Kind.READ, 2, 2);
        submitInBatch(IoRequest.Kind.READ, 4, 2);
        submitInBatch(IoRequest.Kind.READ, 9, 1);
        assertThat(run(nextStarted())).as("ended by the read that does not follow on").containsExactly("0+2", "2+2", "4+2");
        assertThat(started.poll(NOT_STARTED_MILLIS, TimeUnit.MILLISECONDS)).as("the last read, before the batch ends").isNull();
        pool.endBatch();
        assertThat(run(nextStarted())).containsExactly("9+1");
    }

    @Test
    void aWriteBetweenReadsEndsTheirRunSoEveryoneEntersTheOrderAsTheyArrived() throws Exception {
        startPool(4, 8);
        submitInBatch(IoRequest.Kind.READ, 0, 2);
        submitInBatch(IoRequest.Kind.WRITE, 0, 1);
        submitInBatch(IoRequest.Kind.READ, 2, 2);
        pool.endBatch();
        assertThat(run(nextStarted())).containsExactly("0+2");
        assertThat(run(nextStarted())).containsExactly("2+2");
        assertThat(started.poll(NOT_STARTED_MILLIS, TimeUnit.MILLISECONDS)).as("the write, behind the read of sector 0").isNull();
        finish.release();
        finish.release();
        assertThat(nextStarted().kind).isEqualTo(IoRequest.Kind.WRITE);
    }

    @Test
    void aHeldReadSplitsTheRunAndRunsAloneWhenReleased() throws Exception {
        startPool(4, 8);
        submit(IoRequest.Kind.WRITE, 2, 2);
        assertThat(nextStarted().kind).isEqualTo(IoRequest.Kind.WRITE);
        submitInBatch(IoRequest.Kind.READ, 0, 2);
        submitInBatch(IoRequest.Kind.READ, 2, 2);
        submitInBatch(IoRequest.Kind.READ, 4, 2);
        pool.endBatch();
        List<List<String>> runs = List.of(run(nextStarted()), run(nextStarted()));
        assertThat(runs).containsExactlyInAnyOrder(List.of("0+2"), List.of("4+2"));
        finish.release(); // one of the three running finishes; the held read waits for the write only
        finish.release();
        finish.release();
        assertThat(run(nextStarted())).containsExactly("2+2");
    }

    @Test
    void submitWaitsWhileEveryPooledRequestIsInUse() throws Exception {
        startPool(4, 2);
        submit(IoRequest.Kind.READ, 0, 1);
        submit(IoRequest.Kind.READ, 1, 1);
        nextStarted();
        nextStarted();
        CompletableFuture<Void> third = CompletableFuture.runAsync(() -> submit(IoRequest.Kind.READ, 2, 1));
        assertThat(started.poll(NOT_STARTED_MILLIS, TimeUnit.MILLISECONDS)).isNull();
        assertThat(third).isNotDone();
        finish.release();
        third.get(5, TimeUnit.SECONDS);
        assertThat(nextStarted().lba).isEqualTo(2);
    }

    @Test
    void closeWaitsForTheRequestsInFlight() throws Exception {
        startPool(2, 4);
        submit(IoRequest.Kind.WRITE, 0, 1);
        nextStarted();
        CompletableFuture<Void> closing = CompletableFuture.runAsync(pool::close);
        Thread.sleep(NOT_STARTED_MILLIS);
        assertThat(closing).isNotDone();
        finish.release();
        closing.get(5, TimeUnit.SECONDS);
        pool = null;
    }
}
