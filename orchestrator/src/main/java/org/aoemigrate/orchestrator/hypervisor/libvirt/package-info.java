/**
 * The hypervisor port over libvirt-java 0.5.4 (org.libvirt:libvirt, with JNA on the classpath and
 * libvirt0 on the host): {@link org.aoemigrate.orchestrator.hypervisor.libvirt.LibvirtHypervisors}
 * is the only public class.
 *
 * <p>What the binding needs around it, and where it is done:
 * <ul>
 * <li>libvirt's event loop registered before the first connection and run on a daemon thread, so
 * keepalives are answered during long migrations and events arrive ({@code LibvirtRuntime});</li>
 * <li>one connection per host, with keepalive, replaced when it dies ({@code HostConnection});
 * one libvirt listener per connection fanning out to the port's listeners on a delivery thread
 * ({@code LifecycleFanOut}), because libvirt-java's listener maps are not thread-safe and the
 * event-loop thread must never wait;</li>
 * <li>{@code virDomainMigrateToURI3} on a worker thread, since it blocks for the whole migration,
 * while other threads poll {@code virDomainGetJobStats} ({@code LibvirtHypervisor});</li>
 * <li>the calls 0.5.4 lacks — {@code virDomainMigrateStartPostCopy}, {@code virDomainGetState}
 * (post-copy shows as paused with reason POSTCOPY), {@code virConnectCompareCPU} and
 * {@code virConnectCompareHypervisorCPU} with FAIL_INCOMPATIBLE (for libvirt's reason) — bound with JNA ({@code NativeLibvirt}) over the
 * connection pointer a {@code Connect} subclass exposes ({@code LibvirtConnection});</li>
 * <li>libvirt's raw error codes kept in every {@link org.aoemigrate.orchestrator.hypervisor.HypervisorException}
 * message ({@code LibvirtErrors}).</li>
 * </ul>
 * Domain handles live for one call only and are freed explicitly (the binding relies on finalizers).
 */
package org.aoemigrate.orchestrator.hypervisor.libvirt;
