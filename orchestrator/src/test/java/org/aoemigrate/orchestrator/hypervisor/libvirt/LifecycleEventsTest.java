package org.aoemigrate.orchestrator.hypervisor.libvirt;

import static org.assertj.core.api.Assertions.assertThat;

import org.aoemigrate.orchestrator.hypervisor.LifecycleEvent;
import org.junit.jupiter.api.Test;
import org.libvirt.event.DomainEvent;
import org.libvirt.event.DomainEventType;

class LifecycleEventsTest {

    @Test
    void aMigrationStartOnTheDestinationSaysMigrated() {
        // virDomainEventStartedDetailType: VIR_DOMAIN_EVENT_STARTED_MIGRATED = 1
        DomainEvent started = new DomainEvent(DomainEventType.STARTED, 1);

        assertThat(LifecycleEvents.of("hostB", "vm1", started))
                .contains(new LifecycleEvent("hostB", "vm1", LifecycleEvent.Type.STARTED, "MIGRATED"));
    }

    @Test
    void theSourceStopsWithMigrated() {
        // virDomainEventStoppedDetailType: VIR_DOMAIN_EVENT_STOPPED_MIGRATED = 3
        DomainEvent stopped = new DomainEvent(DomainEventType.STOPPED, 3);

        assertThat(LifecycleEvents.of("hostA", "vm1", stopped))
                .contains(new LifecycleEvent("hostA", "vm1", LifecycleEvent.Type.STOPPED, "MIGRATED"));
    }

    @Test
    void anEventTypeNewerThanLibvirtJavaIsDropped() {
        assertThat(LifecycleEvents.of("hostA", "vm1", new DomainEvent(DomainEventType.UNKNOWN, 0))).isEmpty();
    }
}
