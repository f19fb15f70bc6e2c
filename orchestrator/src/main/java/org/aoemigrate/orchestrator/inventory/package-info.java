/**
 * The inventory: hosts, the embedded target, its exports and the migration policy, read from YAML
 * by {@link org.aoemigrate.orchestrator.inventory.InventoryReader} into immutable records.
 */
package org.aoemigrate.orchestrator.inventory;
