/**
 * What the project's three command lines share: how they run picocli, report a failure in one
 * line, and list their exit statuses. Each tool keeps its own statuses ({@link
 * org.aoemigrate.cli.ExitCode} enums), its commands and its mapping of failures.
 */
package org.aoemigrate.cli;
