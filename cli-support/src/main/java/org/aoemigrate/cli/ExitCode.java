package org.aoemigrate.cli;

/**
 * One exit status of a command line. Each tool lists its own in an enum implementing this (its
 * numbers are part of its interface: scripts and Ansible test them), and {@link CommandRunner}
 * prints them in every command's {@code --help}.
 */
public interface ExitCode {

    /** The process's exit status. */
    int code();

    /** What the status means, as {@code --help} says it. */
    String meaning();
}
