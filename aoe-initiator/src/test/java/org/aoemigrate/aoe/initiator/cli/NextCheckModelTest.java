package org.aoemigrate.aoe.initiator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.aoemigrate.aoe.initiator.cli.CheckAgentCommand.RequestKind;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class NextCheckModelTest {

    private final NextCheckModel models = new NextCheckModel();

    @Test
    void eachCheckGetsAModelThatNoRequestUsedBefore() {
        models.prepareAfter(RequestKind.CHECK);
        CommandLine first = models.take("check", "e1.0", "--expect-id", "vm1");
        CommandLine second = models.take("check", "e1.0", "--expect-id", "vm1");
        models.prepareAfter(RequestKind.CHECK);
        CommandLine third = models.take("check", "e1.0", "--expect-id", "vm1");

        assertThat(first).isNotSameAs(second).isNotSameAs(third);
        assertThat(second).isNotSameAs(third);
        for (CommandLine model : new CommandLine[] {first, second, third}) {
            assertThat(model.getSubcommands()).containsOnlyKeys("check");
        }
    }

    /** A prepare's check follows within milliseconds: after a prepare nothing is built while a model is left for it. */
    @Test
    void afterAPrepareAModelIsBuiltOnlyIfNoneIsLeft() {
        models.prepareAfter(RequestKind.CHECK);
        assertThat(models.ready()).isEqualTo(NextCheckModel.AHEAD);

        models.take("check", "e1.0", "--expect-id", "vm1");
        models.prepareAfter(RequestKind.PREPARE);
        assertThat(models.ready()).isEqualTo(1);

        models.take("check", "e1.0", "--expect-id", "vm1");
        models.prepareAfter(RequestKind.PREPARE);
        assertThat(models.ready()).isEqualTo(1);

        models.prepareAfter(RequestKind.CHECK);
        assertThat(models.ready()).isEqualTo(NextCheckModel.AHEAD);
    }

    /** The agent is asked only for checks; anything else (a malformed request's usage text) gets its own tree. */
    @Test
    void aCommandLineOtherThanACheckGetsItsOwnTreeAndTheNextCheckIsBuiltAfresh() {
        models.prepareAfter(RequestKind.CHECK);
        assertThat(models.take("discover", "-i", "lo").getSubcommands()).containsOnlyKeys("discover");
        assertThat(models.take("check", "e1.0").getSubcommands()).containsOnlyKeys("check");
    }

    /** The prepared model parses a check's arguments as a new one would. */
    @Test
    void thePreparedModelParsesACheck() {
        models.prepareAfter(RequestKind.CHECK);
        CommandLine.ParseResult parsed = models.take("check", "e1.0", "--expect-id", "vm1", "-i", "lo")
                .parseArgs("check", "e1.0", "--expect-id", "vm1", "-i", "lo");
        CheckCommand check = (CheckCommand) parsed.subcommand().commandSpec().userObject();

        assertThat(check.id).isEqualTo("vm1");
        assertThat(check.address).hasToString("e1.0");
    }
}
