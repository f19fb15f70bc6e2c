package org.aoemigrate.aoe.initiator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.aoemigrate.aoe.initiator.AoeAddress;
import org.aoemigrate.aoe.initiator.AoeException;
import org.aoemigrate.aoe.initiator.AoeInitiator;
import org.aoemigrate.aoe.initiator.InitiatorOptions;
import org.aoemigrate.aoe.initiator.check.CheckExpectation;
import org.aoemigrate.aoe.initiator.check.DestinationCheck;
import org.aoemigrate.aoe.initiator.check.RunningLookup;
import org.aoemigrate.aoe.initiator.sysfs.AoeSysfs;
import org.aoemigrate.aoe.link.MemoryHub;
import org.aoemigrate.aoe.wire.MacAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The check agent's lookup started by a prepare request: real lookups over an in-memory segment on
 * which nothing answers (each runs its whole wait), so that what is taken, closed or left running
 * can be seen.
 */
class PreparedLookupTest {

    /** An address no other test's lookup uses, so that its thread can be told apart. */
    private static final AoeAddress DEVICE = new AoeAddress(7, 3);
    private static final List<String> ARGS = List.of("check", "e7.3", "--expect-id", "vm1", "-i", "vI", "--json");
    private static final Duration LONG = Duration.ofSeconds(30);

    @TempDir
    Path tmp;
    private final MemoryHub hub = new MemoryHub();
    private final StringWriter log = new StringWriter();
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private PreparedLookup prepared(Duration maxAge) {
        PreparedLookup p = new PreparedLookup(maxAge, new PrintWriter(log, true));
        open.add(p);
        return p;
    }

    /** A lookup of e7.3 over an initiator of its own, as the check command starts it; nothing answers for 300 ms. */
    private RunningLookup lookup() {
        AoeInitiator initiator = AoeInitiator.over(List.of(hub.port("vI" + open.size(),
                MacAddress.parse("02:00:00:00:07:" + String.format("%02x", open.size())), 1500)), InitiatorOptions.DEFAULT);
        open.add(initiator);
        return new DestinationCheck(new AoeSysfs(tmp.resolve("sys"), tmp.resolve("dev")), Duration.ofMillis(300),
                Duration.ofSeconds(1)).startLookup(new CheckExpectation(DEVICE, "vm1", OptionalLong.empty(), List.of(),
                Optional.empty()), initiator);
    }

    private static boolean isClosed(RunningLookup lookup) {
        try {
            lookup.initiator().discover(DEVICE, Duration.ofMillis(1));
            return false;
        } catch (AoeException e) {
            return e.getMessage().contains("closed");
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void theCheckWithTheSameArgumentsTakesTheLookupOnce() {
        PreparedLookup prepared = prepared(LONG);
        RunningLookup lookup = lookup();
        prepared.keep(ARGS, lookup);

        assertThat(prepared.take(List.copyOf(ARGS))).containsSame(lookup);
        assertThat(prepared.take(ARGS)).isEmpty();
        assertThat(isClosed(lookup)).as("closed").isFalse();
    }

    /** Any other argument (another device, interface, expectation) is another check: it runs as without a prepare. */
    @Test
    void aCheckWithOtherArgumentsClosesTheKeptLookupAndGetsNone() {
        PreparedLookup prepared = prepared(LONG);
        RunningLookup lookup = lookup();
        prepared.keep(ARGS, lookup);

        assertThat(prepared.take(List.of("check", "e7.3", "--expect-id", "vm2", "-i", "vI", "--json"))).isEmpty();

        assertThat(isClosed(lookup)).as("closed").isTrue();
        assertThat(prepared.take(ARGS)).isEmpty();
    }

    @Test
    void aLookupOlderThanTheBoundIsNotUsedButClosed() throws Exception {
        PreparedLookup prepared = prepared(Duration.ofMillis(100));
        RunningLookup lookup = lookup();
        prepared.keep(ARGS, lookup);
        Thread.sleep(150);

        assertThat(prepared.take(ARGS)).isEmpty();
        assertThat(isClosed(lookup)).as("closed").isTrue();
    }

    /** No check comes (the move was refused after its prepare): the lookup closes its initiator, and its thread ends. */
    @Test
    void aLookupThatNoCheckTakesEndsByItself() throws Exception {
        PreparedLookup prepared = prepared(Duration.ofMillis(100));
        RunningLookup lookup = lookup();
        prepared.keep(ARGS, lookup);

        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while ((!isClosed(lookup) || lookupThreadRuns()) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }

        assertThat(isClosed(lookup)).as("closed").isTrue();
        assertThat(lookupThreadRuns()).as("its thread runs").isFalse();
        assertThat(log.toString()).isEmpty();
    }

    @Test
    void aNewPrepareClosesTheLookupKeptBefore() {
        PreparedLookup prepared = prepared(LONG);
        RunningLookup first = lookup();
        RunningLookup second = lookup();
        prepared.keep(ARGS, first);

        prepared.keep(ARGS, second);

        assertThat(isClosed(first)).as("first closed").isTrue();
        assertThat(prepared.take(ARGS)).containsSame(second);
    }

    @Test
    void closingClosesWhatIsKept() {
        PreparedLookup prepared = prepared(LONG);
        RunningLookup lookup = lookup();
        prepared.keep(ARGS, lookup);

        prepared.close();

        assertThat(isClosed(lookup)).as("closed").isTrue();
    }

    private static boolean lookupThreadRuns() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.isAlive() && t.getName().equals("check-lookup-" + DEVICE));
    }
}
