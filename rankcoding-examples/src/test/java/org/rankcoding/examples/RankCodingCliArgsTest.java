package org.rankcoding.examples;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RankCodingCliArgsTest {

    @Test
    void prependsTheDefaultSubcommandOnlyWhenNoneIsNamed() {
        assertArrayEquals(new String[] {"noise-vs-signal"}, RankCodingCli.withDefaultSubcommand(new String[0]));
        assertArrayEquals(new String[] {"noise-vs-signal", "--hidden", "8"},
                RankCodingCli.withDefaultSubcommand(new String[] {"--hidden", "8"}));
        assertArrayEquals(new String[] {"sequence-of-five", "--hidden", "8"},
                RankCodingCli.withDefaultSubcommand(new String[] {"sequence-of-five", "--hidden", "8"}));
        assertArrayEquals(new String[] {"--help"}, RankCodingCli.withDefaultSubcommand(new String[] {"--help"}));
        // a word that is not an option names a subcommand, even a misspelt one: the CLI then says it is unknown
        assertArrayEquals(new String[] {"sequence-of-fiv"}, RankCodingCli.withDefaultSubcommand(new String[] {"sequence-of-fiv"}));
        assertArrayEquals(new String[] {"noise-vs-signal", "--verbose", "--hidden", "8"},
                RankCodingCli.withDefaultSubcommand(new String[] {"--verbose", "--hidden", "8"}));
        assertArrayEquals(new String[] {"--verbose", "sweep"}, RankCodingCli.withDefaultSubcommand(new String[] {"--verbose", "sweep"}));
    }

    @Test
    void theVersionComesFromTheBuild() {
        String version = BuildVersion.version();
        assertTrue(version.matches("\\d+\\.\\d+.*"), "the filtered build.properties gives the project's version, got " + version);
        CliRun r = CliRun.of("--version");
        assertEquals(0, r.code(), r.err());
        assertEquals("rankcoding examples " + version, r.out().strip());
    }
}
