package org.aoemigrate.aoe.target;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.aoemigrate.aoe.wire.AoeError;

/** Counts of {@link TargetEvent}s since start, shared by all receive threads. Thread-safe. */
public final class TargetCounters {

    private final LongAdder[] counts = new LongAdder[TargetEvent.values().length];

    public TargetCounters() {
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new LongAdder();
        }
    }

    public void count(TargetEvent event) {
        counts[event.ordinal()].increment();
    }

    void countError(AoeError error) {
        count(switch (error) {
            case UNRECOGNIZED_COMMAND -> TargetEvent.AOE_ERROR_UNRECOGNIZED_COMMAND;
            case BAD_ARGUMENT -> TargetEvent.AOE_ERROR_BAD_ARGUMENT;
            case DEVICE_UNAVAILABLE -> TargetEvent.AOE_ERROR_DEVICE_UNAVAILABLE;
            case CONFIG_STRING_PRESENT -> TargetEvent.AOE_ERROR_CONFIG_STRING_PRESENT;
            case UNSUPPORTED_VERSION -> TargetEvent.AOE_ERROR_UNSUPPORTED_VERSION;
            case TARGET_RESERVED -> TargetEvent.AOE_ERROR_TARGET_RESERVED;
        });
    }

    public long get(TargetEvent event) {
        return counts[event.ordinal()].sum();
    }

    /** Every count, in enum order (zeros included), for {@code stat} output. */
    public Map<TargetEvent, Long> snapshot() {
        Map<TargetEvent, Long> m = new EnumMap<>(TargetEvent.class);
        for (TargetEvent e : TargetEvent.values()) {
            m.put(e, get(e));
        }
        return Collections.unmodifiableMap(m);
    }
}
