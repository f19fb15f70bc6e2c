package org.aoemigrate.orchestrator.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The inventory's {@code rebalance:} section: schedule, hold time, pins and anti-affinity. */
class RebalanceInventoryTest {

    private static final String BASE = """
            hosts:
              hostA: {libvirtUri: 'test:///a', exec: 'true', aoe: [{interface: aoe0, mac: '02:00:00:00:00:0a'}]}
              hostB: {libvirtUri: 'test:///b', exec: 'true', aoe: [{interface: aoe0, mac: '02:00:00:00:00:0b'}]}
            storage: {stateDir: /tmp/x, interfaces: [{interface: st0, mac: '02:00:00:00:00:01'}]}
            """;

    private static Inventory parse(String rebalance) throws InventoryException {
        return InventoryReader.parse("inv.yaml", BASE + rebalance);
    }

    @Test
    void withoutTheSectionNothingIsScheduledAndTheDefaultsHold() throws Exception {
        RebalanceSettings r = parse("").rebalance();
        assertThat(r.schedule()).isEmpty();
        assertThat(r.holdTime()).isEqualTo(Duration.ofHours(1));
        assertThat(r.pinned()).isEmpty();
        assertThat(r.antiAffinity()).isEmpty();
    }

    @Test
    void readsScheduleHoldPinsAndGroups() throws Exception {
        RebalanceSettings r = parse("""
                rebalance:
                  schedule: {intervalMinutes: 30, window: '22:00-06:00', maxMoves: 3}
                  holdMinutes: 15
                  pinned: [db1]
                  antiAffinity: {web: [vm1, vm2], dns: [ns1, ns2, vm1]}
                """).rebalance();
        RebalanceSchedule s = r.schedule().orElseThrow();
        assertThat(s.interval()).isEqualTo(Duration.ofMinutes(30));
        assertThat(s.window()).hasValue(new TimeWindow(LocalTime.of(22, 0), LocalTime.of(6, 0)));
        assertThat(s.maxMoves()).isEqualTo(3);
        assertThat(r.holdTime()).isEqualTo(Duration.ofMinutes(15));
        assertThat(r.pinned()).containsExactly("db1");
        assertThat(r.groupsOf("vm1")).containsExactlyInAnyOrder("web", "dns");
        assertThat(r.groupsOf("db1")).isEmpty();
    }

    @Test
    void maxMovesDefaultsAndTheWindowIsOptional() throws Exception {
        RebalanceSchedule s = parse("rebalance: {schedule: {intervalMinutes: 60}}\n").rebalance().schedule().orElseThrow();
        assertThat(s.maxMoves()).isEqualTo(InventoryReader.DEFAULT_SCHEDULED_MOVES);
        assertThat(s.window()).isEmpty();
    }

    @Test
    void anUnknownKeyIsRefusedWithFileLineAndKey() {
        assertThatThrownBy(() -> parse("""
                rebalance:
                  schedule:
                    intervalMinutes: 60
                    every: 5
                """)).hasMessage("inv.yaml line 8: unknown key 'every' in rebalance.schedule;"
                + " known keys: intervalMinutes, maxMoves, window");
    }

    @Test
    void badValuesNameFileLineAndKey() {
        assertThatThrownBy(() -> parse("""
                rebalance:
                  schedule:
                    intervalMinutes: 60
                    window: '25:00-03:00'
                """)).hasMessageStartingWith("inv.yaml line 8: 'window' in rebalance.schedule: '25:00-03:00' is not a window"
                + " HH:MM-HH:MM");
        assertThatThrownBy(() -> parse("rebalance:\n  schedule: {maxMoves: 2}\n"))
                .hasMessage("inv.yaml line 6: rebalance.schedule has no 'intervalMinutes'; give the minutes from one run"
                        + " to the next, e.g. intervalMinutes: 60");
        assertThatThrownBy(() -> parse("rebalance:\n  schedule: {intervalMinutes: 0}\n"))
                .hasMessage("inv.yaml line 6: 'intervalMinutes' in rebalance.schedule must be 1 or more, not 0");
        assertThatThrownBy(() -> parse("rebalance:\n  antiAffinity: {web: [vm1]}\n"))
                .hasMessage("inv.yaml line 6: anti-affinity group web in rebalance.antiAffinity needs two guests or more"
                        + " (web: [vm1, vm2])");
    }

    @Test
    void aWindowOverMidnightContainsTheLateAndTheEarlyHoursOnly() {
        TimeWindow night = TimeWindow.parse("22:00-06:00");
        assertThat(night.contains(LocalTime.of(23, 30))).isTrue();
        assertThat(night.contains(LocalTime.of(5, 59))).isTrue();
        assertThat(night.contains(LocalTime.of(6, 0))).isFalse();
        assertThat(night.contains(LocalTime.of(12, 0))).isFalse();
        TimeWindow day = TimeWindow.parse("01:00-05:00");
        assertThat(day.contains(LocalTime.of(1, 0))).isTrue();
        assertThat(day.contains(LocalTime.of(5, 0))).isFalse();
        assertThatThrownBy(() -> TimeWindow.parse("03:00-03:00")).hasMessageContaining("is empty");
    }

    @Test
    void aRunIsDueOnceTheIntervalIsOverAndOnlyInsideTheWindow() {
        RebalanceSchedule s = new RebalanceSchedule(Duration.ofHours(1), Optional.of(TimeWindow.parse("01:00-05:00")), 2);
        Instant inside = Instant.parse("2026-11-25T02:00:00Z");
        assertThat(s.due(inside, Optional.empty(), ZoneOffset.UTC)).as("never ran").isTrue();
        assertThat(s.due(inside, Optional.of(inside.minus(Duration.ofMinutes(59))), ZoneOffset.UTC)).isFalse();
        assertThat(s.due(inside, Optional.of(inside.minus(Duration.ofMinutes(60))), ZoneOffset.UTC)).isTrue();
        assertThat(s.due(Instant.parse("2026-11-25T12:00:00Z"), Optional.empty(), ZoneOffset.UTC)).as("outside").isFalse();
        assertThat(s.due(Instant.parse("2026-11-25T12:00:00Z"), Optional.empty(), ZoneOffset.ofHours(-10)))
                .as("02:00 in that zone").isTrue();
    }
}
