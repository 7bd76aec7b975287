package org.rankcoding.examples;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

class RankCodingCliArgsTest {

    @Test
    void prependsTheDefaultSubcommandOnlyWhenNoneIsNamed() {
        assertArrayEquals(new String[] {"noise-vs-signal"}, RankCodingCli.withDefaultSubcommand(new String[0]));
        assertArrayEquals(new String[] {"noise-vs-signal", "--hidden", "8"},
                RankCodingCli.withDefaultSubcommand(new String[] {"--hidden", "8"}));
        assertArrayEquals(new String[] {"sequence-of-five", "--hidden", "8"},
                RankCodingCli.withDefaultSubcommand(new String[] {"sequence-of-five", "--hidden", "8"}));
        assertArrayEquals(new String[] {"--help"}, RankCodingCli.withDefaultSubcommand(new String[] {"--help"}));
    }
}
