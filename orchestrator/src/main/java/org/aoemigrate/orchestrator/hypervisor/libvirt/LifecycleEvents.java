package org.aoemigrate.orchestrator.hypervisor.libvirt;

import java.util.Optional;
import org.aoemigrate.orchestrator.hypervisor.LifecycleEvent;
import org.libvirt.event.DomainEvent;
import org.libvirt.event.DomainEventDetail;

/** libvirt-java's {@link DomainEvent} as the port's {@link LifecycleEvent}. */
final class LifecycleEvents {

    private LifecycleEvents() {
    }

    /** Empty for an event type newer than libvirt-java knows (it says UNKNOWN). */
    static Optional<LifecycleEvent> of(String host, String guest, DomainEvent event) {
        LifecycleEvent.Type type = switch (event.getType()) {
            case DEFINED -> LifecycleEvent.Type.DEFINED;
            case UNDEFINED -> LifecycleEvent.Type.UNDEFINED;
            case STARTED -> LifecycleEvent.Type.STARTED;
            case SUSPENDED -> LifecycleEvent.Type.SUSPENDED;
            case RESUMED -> LifecycleEvent.Type.RESUMED;
            case STOPPED -> LifecycleEvent.Type.STOPPED;
            case SHUTDOWN -> LifecycleEvent.Type.SHUTDOWN;
            case PMSUSPENDED -> LifecycleEvent.Type.PMSUSPENDED;
            case CRASHED -> LifecycleEvent.Type.CRASHED;
            case UNKNOWN -> null;
        };
        if (type == null) {
            return Optional.empty();
        }
        // every detail type is an enum named as in libvirt (StartedDetail.MIGRATED, ...)
        DomainEventDetail detail = event.getDetail();
        return Optional.of(new LifecycleEvent(host, guest, type, ((Enum<?>) detail).name()));
    }
}
