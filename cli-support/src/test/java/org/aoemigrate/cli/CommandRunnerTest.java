package org.aoemigrate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

class CommandRunnerTest {

    enum Status implements ExitCode {
        OK(0, "It worked."),
        BUG(1, "A bug."),
        USAGE(2, "Bad arguments."),
        GONE(5, "The thing is gone.");

        private final int code;
        private final String meaning;

        Status(int code, String meaning) {
            this.code = code;
            this.meaning = meaning;
        }

        @Override
        public int code() {
            return code;
        }

        @Override
        public String meaning() {
            return meaning;
        }
    }

    @Command(name = "tool", mixinStandardHelpOptions = true, subcommands = Fetch.class)
    static final class Tool implements Runnable {
        @Option(names = "-v")
        boolean verbose;

        @Override
        public void run() {
        }
    }

    @Command(name = "fetch", mixinStandardHelpOptions = true)
    static final class Fetch implements Callable<Integer> {
        @Parameters(index = "0")
        String what;

        @Override
        public Integer call() throws Exception {
            switch (what) {
                case "gone" -> throw new CommandFailure(Status.GONE, "fetch: " + what + " is gone");
                case "state" -> throw new IllegalStateException("the list is empty");
                default -> {
                    return 0;
                }
            }
        }
    }

    private static final CommandRunner RUNNER = CommandRunner.of("tool", Status.values(), Status.USAGE, Status.BUG,
            e -> e instanceof CommandFailure f ? f : new CommandFailure(Status.BUG, "unexpected: " + e, e))
            .withStackTraceWhen(root -> ((Tool) root.getCommand()).verbose);

    private record Run(int status, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = RUNNER.run(new CommandLine(new Tool()), new PrintWriter(out), new PrintWriter(err), args);
        return new Run(status, out.toString(), err.toString());
    }

    @Test
    void aFailureIsOneLineWithItsStatus() {
        Run r = run("fetch", "gone");

        assertThat(r.status()).isEqualTo(5);
        assertThat(r.err()).isEqualTo("tool: fetch: gone is gone" + System.lineSeparator());
    }

    @Test
    void aBugGetsItsStackTrace() {
        Run r = run("fetch", "state");

        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).startsWith("tool: unexpected: java.lang.IllegalStateException: the list is empty")
                .contains("at org.aoemigrate.cli.CommandRunnerTest$Fetch.call");
    }

    @Test
    void verboseShowsTheStackTraceOfAForeseenFailureToo() {
        Run r = run("-v", "fetch", "gone");

        assertThat(r.status()).isEqualTo(5);
        assertThat(r.err()).startsWith("tool: fetch: gone is gone").contains("CommandFailure");
    }

    @Test
    void aBadArgumentPointsToTheCommandsHelp() {
        Run r = run("fetch", "a", "b");

        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).startsWith("tool: Unmatched argument").endsWith("(see tool fetch --help)" + System.lineSeparator());
    }

    @Test
    void everyCommandsHelpListsTheExitStatuses() {
        for (String[] help : new String[][] {{"--help"}, {"fetch", "--help"}}) {
            Run r = run(help);

            assertThat(r.status()).isZero();
            assertThat(r.out()).contains("Exit status:", "  5   The thing is gone.", "  2   Bad arguments.");
        }
    }

    @Test
    void success() {
        assertThat(run("fetch", "x")).isEqualTo(new Run(0, "", ""));
    }
}
