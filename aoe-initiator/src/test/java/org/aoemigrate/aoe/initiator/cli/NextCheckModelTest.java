package org.aoemigrate.aoe.initiator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class NextCheckModelTest {

    private final NextCheckModel models = new NextCheckModel();

    @Test
    void eachCheckGetsAModelThatNoRequestUsedBefore() {
        models.prepare();
        CommandLine first = models.take("check", "e1.0", "--expect-id", "vm1");
        CommandLine second = models.take("check", "e1.0", "--expect-id", "vm1");
        models.prepare();
        CommandLine third = models.take("check", "e1.0", "--expect-id", "vm1");

        assertThat(first).isNotSameAs(second).isNotSameAs(third);
        assertThat(second).isNotSameAs(third);
        for (CommandLine model : new CommandLine[] {first, second, third}) {
            assertThat(model.getSubcommands()).containsOnlyKeys("check");
        }
    }

    /** The agent is asked only for checks; anything else (a malformed request's usage text) gets its own tree. */
    @Test
    void aCommandLineOtherThanACheckGetsItsOwnTreeAndTheNextCheckIsBuiltAfresh() {
        models.prepare();
        assertThat(models.take("discover", "-i", "lo").getSubcommands()).containsOnlyKeys("discover");
        assertThat(models.take("check", "e1.0").getSubcommands()).containsOnlyKeys("check");
    }

    /** The prepared model parses a check's arguments as a new one would. */
    @Test
    void thePreparedModelParsesACheck() {
        models.prepare();
        CommandLine.ParseResult parsed = models.take("check", "e1.0", "--expect-id", "vm1", "-i", "lo")
                .parseArgs("check", "e1.0", "--expect-id", "vm1", "-i", "lo");
        CheckCommand check = (CheckCommand) parsed.subcommand().commandSpec().userObject();

        assertThat(check.id).isEqualTo("vm1");
        assertThat(check.address).hasToString("e1.0");
    }
}
