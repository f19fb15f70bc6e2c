/**
 * The {@code aoemigrate} command on picocli: {@code aoemigrate VM HOST} and the subcommands
 * {@code migrate}, {@code check}, {@code status}, {@code abort}, {@code history}, {@code exports},
 * {@code daemon}, {@code generate-completion}. Every command but {@code daemon} is a client of the
 * daemon's API ({@link org.aoemigrate.orchestrator.api}); {@code --json} prints the API's result
 * as is. Exit statuses: {@link org.aoemigrate.orchestrator.cli.ExitStatus}, listed in every
 * {@code --help}.
 */
package org.aoemigrate.orchestrator.cli;
