/**
 * The hypervisor port: what the engine needs from each host's libvirt, in types of its own
 * ({@link org.aoemigrate.orchestrator.hypervisor.Hypervisor},
 * {@link org.aoemigrate.orchestrator.hypervisor.Hypervisors}). The libvirt-java adapter lives in
 * the {@code libvirt} subpackage; the unit tests use an in-memory fake cluster.
 */
package org.aoemigrate.orchestrator.hypervisor;
