package org.rankcoding.nn;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rankcoding.testing.Refusals.assertIllegalArgument;

/** {@link ConvFrontEndConfig}: derived sizes, the text form and its parser, and the refusal of bad shapes. */
class ConvFrontEndConfigTest {

    @Test
    void sizesFollowFromTheShape() {
        ConvFrontEndConfig c = ConvFrontEndConfig.conv(4, 3, 2, 5, 7);
        assertEquals(35, c.inputSize());
        assertEquals(2, c.pooledHeight());
        assertEquals(3, c.pooledWidth());
        assertEquals(4 * 2 * 3, c.outputSize());
        assertEquals(4 * 9 + 4, c.parameterCount());
        assertFalse(c.isNone());
        assertTrue(ConvFrontEndConfig.NONE.isNone());
        assertEquals(0, ConvFrontEndConfig.NONE.outputSize());
        assertEquals(0, ConvFrontEndConfig.NONE.inputSize());
        assertEquals(0, ConvFrontEndConfig.NONE.parameterCount());
        assertEquals(3, ConvFrontEndConfig.conv(3, 1, 4, 4, 4).outputSize(), "pool = side: one value per channel");
        assertEquals(1, ConvFrontEndConfig.conv(1, 1, 1, 1, 1).outputSize());
    }

    @Test
    void parseReadsBackToString() {
        List<ConvFrontEndConfig> configs = List.of(ConvFrontEndConfig.NONE, ConvFrontEndConfig.conv(1, 1, 1, 1, 1),
                ConvFrontEndConfig.conv(16, 5, 2, 28, 28), ConvFrontEndConfig.conv(3, 3, 3, 3, 5),
                ConvFrontEndConfig.conv(7, 9, 1, 2, 40), ConvFrontEndConfig.conv(2, 3, 4, 13, 4),
                ConvFrontEndConfig.conv(16, 5, 2, 28, 28).withIntegration(true),
                ConvFrontEndConfig.conv(16, 5, 2, 28, 28).withSecondStage(32).withIntegration(true));
        for (ConvFrontEndConfig c : configs) {
            String text = c.toString();
            assertEquals(c, ConvFrontEndConfig.parse(text), text);
            assertEquals(c, ConvFrontEndConfig.parse("  " + text + "\n"), "surrounding blanks are ignored: " + text);
        }
        assertEquals("none", ConvFrontEndConfig.NONE.toString());
        assertSame(ConvFrontEndConfig.NONE, ConvFrontEndConfig.parse("none"));
        assertEquals("conv:channels=16,kernel=5,pool=2,height=28,width=28", ConvFrontEndConfig.conv(16, 5, 2, 28, 28).toString());
        assertEquals(new ConvFrontEndConfig(6, 3, 2, 8, 10), ConvFrontEndConfig.parse("conv:channels=6,kernel=3,pool=2,height=8,width=10"));
        assertEquals("conv:channels=16,kernel=5,pool=2,height=28,width=28,channels2=32,integrate=true",
                ConvFrontEndConfig.conv(16, 5, 2, 28, 28).withSecondStage(32).withIntegration(true).toString());
        assertEquals(new ConvFrontEndConfig(6, 3, 2, 8, 10, 0, true),
                ConvFrontEndConfig.parse("conv:channels=6,kernel=3,pool=2,height=8,width=10,integrate=true"), "channels2 may be left out");
        assertEquals(new ConvFrontEndConfig(6, 3, 2, 8, 10, 0, false),
                ConvFrontEndConfig.parse("conv:channels=6,kernel=3,pool=2,height=8,width=10,integrate=false"));
        assertEquals(ConvFrontEndConfig.conv(6, 3, 2, 8, 10).withIntegration(true).withSecondStage(2),
                ConvFrontEndConfig.conv(6, 3, 2, 8, 10).withSecondStage(2).withIntegration(true), "the two withers commute");
    }

    @Test
    void badShapesAreRefusedNamingTheValueAndTheRange() {
        assertIllegalArgument(() -> ConvFrontEndConfig.conv(2, 2, 1, 4, 4), "kernel = 2", "odd", ">= 1");
        assertIllegalArgument(() -> ConvFrontEndConfig.conv(2, 4, 1, 4, 4), "kernel = 4", "odd");
        assertIllegalArgument(() -> ConvFrontEndConfig.conv(2, 0, 1, 4, 4), "kernel = 0", ">= 1");
        assertIllegalArgument(() -> ConvFrontEndConfig.conv(2, -3, 1, 4, 4), "kernel = -3");
        assertIllegalArgument(() -> ConvFrontEndConfig.conv(2, 3, 4, 3, 5), "pool = 4", "1 .. 3", "3 x 5");
        assertIllegalArgument(() -> ConvFrontEndConfig.conv(2, 3, 6, 6, 5), "pool = 6", "1 .. 5");
        assertIllegalArgument(() -> ConvFrontEndConfig.conv(2, 3, 0, 4, 4), "pool = 0", "1 .. 4");
        assertIllegalArgument(() -> ConvFrontEndConfig.conv(2, 3, -1, 4, 4), "pool = -1");
        assertIllegalArgument(() -> new ConvFrontEndConfig(-1, 3, 1, 4, 4), "channels = -1", ">= 1");
        assertIllegalArgument(() -> ConvFrontEndConfig.conv(0, 3, 1, 4, 4), "channels = 0", ">= 1");
        assertIllegalArgument(() -> ConvFrontEndConfig.conv(0, 0, 0, 0, 0), "NONE");
        assertIllegalArgument(() -> ConvFrontEndConfig.conv(2, 3, 1, 0, 4), "0 x 4", ">= 1");
        assertIllegalArgument(() -> ConvFrontEndConfig.conv(2, 3, 1, 4, -2), "4 x -2", ">= 1");
        assertIllegalArgument(() -> ConvFrontEndConfig.conv(4096, 1, 1, 2000, 2000), "features", "too many");
    }

    @Test
    void everySizeHasAMaximumNamedInTheMessage() {
        assertIllegalArgument(() -> ConvFrontEndConfig.conv(100_000, 1, 1, 2000, 2000), "channels = 100000", "<= 4096");
        assertIllegalArgument(() -> ConvFrontEndConfig.conv(2, 257, 1, 4, 4), "kernel = 257", "<= 255");
        assertIllegalArgument(() -> ConvFrontEndConfig.conv(2, 3, 1, 1 << 20, 4), "1048576 x 4", "<= 4096");
        assertIllegalArgument(() -> ConvFrontEndConfig.conv(2, 3, 1, 4, 4).withSecondStage(5000), "channels2 = 5000", "<= 4096");
        // sides within bounds whose product would overflow an int as 65536 x 65536 did before
        assertIllegalArgument(() -> ConvFrontEndConfig.conv(1, 1, 1, 65_536, 65_536), "65536 x 65536", "<= 4096");
        // every size in range, but a buffer beyond a Java array: 4096 x 4096 pixels x 2048 channels pooled by 64
        assertIllegalArgument(() -> ConvFrontEndConfig.conv(2048, 1, 64, 4096, 4096), "channels = 2048",
                "pre-activation map", "more than a Java array holds");
        assertIllegalArgument(() -> ConvFrontEndConfig.conv(64, 255, 8, 4096, 4096).withSecondStage(4096),
                "channels2 = 4096", "second-stage");
    }

    @Test
    void aNetworkConfigChecksTheFrontEndAgainstItsInputSize() {
        ConvFrontEndConfig c = ConvFrontEndConfig.conv(3, 3, 2, 4, 4);
        NetworkConfig net = new NetworkConfig(16, 5, 2, HeadType.SOFTMAX, 3, c);
        assertEquals(3 * 2 * 2, net.lstmInputSize());
        assertEquals(c, net.frontEnd());
        NetworkConfig plain = new NetworkConfig(16, 5, 2, HeadType.SOFTMAX, 3);
        assertEquals(ConvFrontEndConfig.NONE, plain.frontEnd());
        assertEquals(16, plain.lstmInputSize());
        assertEquals(net, plain.withFrontEnd(c));
        assertEquals(plain, net.withFrontEnd(ConvFrontEndConfig.NONE));
        assertIllegalArgument(() -> new NetworkConfig(15, 5, 2, HeadType.SOFTMAX, 3, c), "inputSize = 15", "4 x 4 = 16");
        assertIllegalArgument(() -> plain.withFrontEnd(ConvFrontEndConfig.conv(1, 3, 1, 3, 5)), "inputSize = 16", "3 x 5 = 15");
        assertIllegalArgument(() -> new NetworkConfig(16, 5, 2, HeadType.SOFTMAX, 3, null), "frontEnd is null", "NONE");
    }

    @Test
    void garbageTextIsRefused() {
        String expected = "expected 'none' or 'conv:channels=C,kernel=K,pool=P,height=H,width=W'";
        assertIllegalArgument(() -> ConvFrontEndConfig.parse(null), "null", expected);
        for (String bad : new String[]{"", " ", "None", "NONE", "conv", "conv:", "CONV:channels=2,kernel=3,pool=1,height=4,width=4",
                "conv;channels=2,kernel=3,pool=1,height=4,width=4", "3x3", "{\"channels\":2}"}) {
            assertIllegalArgument(() -> ConvFrontEndConfig.parse(bad), expected);
        }
        assertIllegalArgument(() -> ConvFrontEndConfig.parse("conv:channels=2,kernel=3,pool=1,height=4"), "has 4 fields", expected);
        assertIllegalArgument(() -> ConvFrontEndConfig.parse("conv:channels=2,kernel=3,pool=1,height=4,width=4,stride=1"), "field 6 is 'stride=1'");
        assertIllegalArgument(() -> ConvFrontEndConfig.parse("conv:channels=2,kernel=3,pool=1,height=4,width=4,"), "field 6 is ''");
        assertIllegalArgument(() -> ConvFrontEndConfig.parse("conv:channels=2,kernel=3,pool=1,height=4,width=4,channels2=2,x=1"), "field 7 is 'x=1'");
        assertIllegalArgument(() -> ConvFrontEndConfig.parse("conv:channels=2,kernel=3,pool=1,height=4,width=4,channels2=2,integrate=true,x=1"),
                "has 8 fields");
        assertIllegalArgument(() -> ConvFrontEndConfig.parse("conv:channels=2,kernel=3,pool=1,height=4,width=4,integrate=yes"),
                "integrate is 'yes', expected true or false");
        assertIllegalArgument(() -> ConvFrontEndConfig.parse("conv:channels=2,kernel=3,pool=1,height=4,width=4,integrate=true,channels2=2"),
                "field 7 is 'channels2=2'");
        assertIllegalArgument(() -> ConvFrontEndConfig.NONE.withIntegration(true), "integrate = true needs a front end");
        assertIllegalArgument(() -> ConvFrontEndConfig.parse("conv:channels=2,kernel=3,pool=3,height=4,width=4,channels2=2"),
                "too large for a second stage");
        assertEquals(ConvFrontEndConfig.conv(2, 3, 2, 8, 8).withSecondStage(4),
                ConvFrontEndConfig.parse("conv:channels=2,kernel=3,pool=2,height=8,width=8,channels2=4"));
        assertEquals(4 * 2 * 2, ConvFrontEndConfig.conv(2, 3, 2, 8, 8).withSecondStage(4).outputSize());
        assertIllegalArgument(() -> ConvFrontEndConfig.parse("conv:kernel=3,channels=2,pool=1,height=4,width=4"), "field 1 is 'kernel=3'");
        assertIllegalArgument(() -> ConvFrontEndConfig.parse("conv:channels=2, kernel=3,pool=1,height=4,width=4"), "field 2 is ' kernel=3'");
        assertIllegalArgument(() -> ConvFrontEndConfig.parse("conv:channels=two,kernel=3,pool=1,height=4,width=4"), "channels is not an integer");
        assertIllegalArgument(() -> ConvFrontEndConfig.parse("conv:channels=2,kernel=3.0,pool=1,height=4,width=4"), "kernel is not an integer");
        assertIllegalArgument(() -> ConvFrontEndConfig.parse("conv:channels=2,kernel=3,pool=1,height=99999999999,width=4"),
                "height is not an integer");
        assertIllegalArgument(() -> ConvFrontEndConfig.parse("conv:channels=2,kernel=3,pool=1,height=,width=4"), "height is not an integer");
        // well-formed text of a bad shape: the shape's own message
        assertIllegalArgument(() -> ConvFrontEndConfig.parse("conv:channels=2,kernel=4,pool=1,height=4,width=4"), "kernel = 4", "odd");
        assertIllegalArgument(() -> ConvFrontEndConfig.parse("conv:channels=2,kernel=3,pool=5,height=4,width=4"), "pool = 5", "1 .. 4");
        assertIllegalArgument(() -> ConvFrontEndConfig.parse("conv:channels=0,kernel=0,pool=0,height=0,width=0"), "NONE");
        assertIllegalArgument(() -> ConvFrontEndConfig.parse("conv:channels=-1,kernel=3,pool=1,height=4,width=4"), "channels = -1");
    }
}
