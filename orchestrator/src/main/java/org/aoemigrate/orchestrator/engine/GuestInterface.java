package org.aoemigrate.orchestrator.engine;

/**
 * One {@code <interface>} of a domain: {@code type='network'} attaches to a libvirt network,
 * {@code type='bridge'} to a host bridge. Other types (user, direct, ...) name no such resource.
 */
public record GuestInterface(String type, String source) {
}
