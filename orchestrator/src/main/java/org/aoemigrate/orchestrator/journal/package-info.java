/**
 * The migration journal: one entry per step, appended and forced to disk, so {@code history} can
 * show what happened and {@code recover} can find migrations that started and never ended.
 */
package org.aoemigrate.orchestrator.journal;
