package org.rankcoding.io;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankcoding.data.SequenceBatch;
import org.rankcoding.kernel.ReferenceKernels;
import org.rankcoding.nn.ConvFrontEndConfig;
import org.rankcoding.nn.HeadType;
import org.rankcoding.nn.NetworkConfig;
import org.rankcoding.nn.ParameterHandle;
import org.rankcoding.nn.ParameterLayout;
import org.rankcoding.nn.Parameters;
import org.rankcoding.nn.RankCodingNetwork;
import org.rankcoding.rc.LossMode;
import org.rankcoding.rc.RankCodingLoss;
import org.rankcoding.rc.RankCodingPass;
import org.rankcoding.rc.RcTestSupport;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The one parameter layout is the one everything uses: for 1 to 3 LSTM layers, every head, without a front end and with
 * a one- or two-stage front end, the layout's names, shapes and order equal PyTorch's (written out here by hand), the
 * network's parameters, the tensors of a saved model file, and the gradients written back by the training pass, each of
 * which lands in its own tensor (checked against central finite differences of the loss).
 */
class ParameterLayoutConsistencyTest {

    private static final ConvFrontEndConfig ONE_STAGE = ConvFrontEndConfig.conv(2, 3, 2, 4, 4);
    private static final ConvFrontEndConfig TWO_STAGES = ConvFrontEndConfig.conv(2, 3, 2, 4, 4).withSecondStage(3);
    private static final double THETA = 0.999999;

    @TempDir
    Path dir;

    @Test
    void layoutNetworkModelFileAndGradientsAgree() throws IOException {
        long seed = 11;
        int cases = 0;
        for (int layers = 1; layers <= 3; layers++) {
            for (HeadType head : HeadType.values()) {
                for (ConvFrontEndConfig fe : List.of(ConvFrontEndConfig.NONE, ONE_STAGE, TWO_STAGES)) {
                    checkCase(layers, head, fe, seed++);
                    cases++;
                }
            }
        }
        assertEquals(27, cases);
    }

    private void checkCase(int layers, HeadType head, ConvFrontEndConfig fe, long seed) throws IOException {
        int classes = head == HeadType.BINARY_SIGMOID ? 2 : 3;
        int hidden = 3;
        RankCodingNetwork net = fe.isNone()
                ? RcTestSupport.network(5, hidden, layers, head, classes, seed, 0.8)
                : RcTestSupport.network(fe, hidden, layers, head, classes, seed, 0.8);
        NetworkConfig config = net.config();
        String where = config.toString();
        ParameterLayout layout = ParameterLayout.of(config);
        List<ParameterLayout.Spec> expected = pytorchTensors(config);

        assertEquals(expected, layout.specs(), "layout vs PyTorch's names and shapes; " + where);
        assertEquals(layout, net.layout(), where);
        assertEquals(ParameterLayout.tensorCount(layers, fe), layout.size(), where);
        networkFollowsLayout(net, layout, where);
        modelFileFollowsLayout(net, layout, where);
        gradientsFollowLayout(net, layout, where, seed);
    }

    /** PyTorch's module: nn.LSTM(num_layers), nn.Linear, then nn.Conv2d stage(s); written out independently. */
    private static List<ParameterLayout.Spec> pytorchTensors(NetworkConfig c) {
        List<ParameterLayout.Spec> s = new ArrayList<>();
        long h = c.hiddenSize();
        for (int l = 0; l < c.layers(); l++) {
            long in = l == 0 ? (c.frontEnd().isNone() ? c.inputSize() : c.frontEnd().outputSize()) : h;
            s.add(new ParameterLayout.Spec("lstm.weight_ih_l" + l, new long[]{4 * h, in}, ""));
            s.add(new ParameterLayout.Spec("lstm.weight_hh_l" + l, new long[]{4 * h, h}, ""));
            s.add(new ParameterLayout.Spec("lstm.bias_ih_l" + l, new long[]{4 * h}, ""));
            s.add(new ParameterLayout.Spec("lstm.bias_hh_l" + l, new long[]{4 * h}, ""));
        }
        long k = c.head() == HeadType.BINARY_SIGMOID ? 1 : c.numClasses();
        s.add(new ParameterLayout.Spec("readout.weight", new long[]{k, h}, ""));
        s.add(new ParameterLayout.Spec("readout.bias", new long[]{k}, ""));
        ConvFrontEndConfig f = c.frontEnd();
        if (!f.isNone()) {
            s.add(new ParameterLayout.Spec("frontend.weight", new long[]{f.channels(), 1, f.kernel(), f.kernel()}, ""));
            s.add(new ParameterLayout.Spec("frontend.bias", new long[]{f.channels()}, ""));
        }
        if (f.channels2() > 0) {
            s.add(new ParameterLayout.Spec("frontend.weight2", new long[]{f.channels2(), f.channels(), f.kernel(), f.kernel()}, ""));
            s.add(new ParameterLayout.Spec("frontend.bias2", new long[]{f.channels2()}, ""));
        }
        return s;
    }

    private static void networkFollowsLayout(RankCodingNetwork net, ParameterLayout layout, String where) {
        Parameters p = net.parameters();
        assertEquals(layout.names(), p.names(), where);
        for (ParameterHandle h : layout.handles()) {
            ParameterLayout.Spec spec = layout.spec(h);
            DMatrixRMaj m = p.get(h);
            assertSame(p.get(spec.name()), m, spec.name() + ": handle and name address the same matrix; " + where);
            assertEquals(spec.rows(), m.numRows, spec.name() + " rows; " + where);
            assertEquals(spec.cols(), m.numCols, spec.name() + " cols; " + where);
        }
        for (int l = 0; l < net.layers().size(); l++) {
            ParameterLayout.LstmLayer handles = layout.lstm(l);
            assertSame(net.layers().get(l).weightIh(), p.get(handles.inputWeights()), where);
            assertSame(net.layers().get(l).weightHh(), p.get(handles.recurrentWeights()), where);
            assertSame(net.layers().get(l).biasIh(), p.get(handles.inputBias()), where);
            assertSame(net.layers().get(l).biasHh(), p.get(handles.recurrentBias()), where);
        }
        assertSame(net.readout().weight(), p.get(layout.readout().weights()), where);
        assertSame(net.readout().bias(), p.get(layout.readout().bias()), where);
        assertEquals(net.hasFrontEnd() ? net.config().frontEnd().channels2() > 0 ? 2 : 1 : 0, layout.frontEndStages(), where);
        if (net.hasFrontEnd()) {
            assertSame(net.frontEnd().weight(), p.get(layout.frontEndStage(0).weights()), where);
            assertSame(net.frontEnd().bias(), p.get(layout.frontEndStage(0).bias()), where);
        }
    }

    private void modelFileFollowsLayout(RankCodingNetwork net, ParameterLayout layout, String where) throws IOException {
        Path file = dir.resolve("m" + net.seed() + ".safetensors");
        ModelFiles.save(net, 0.9, file, SaveOptions.DEFAULT.withDtype(TensorDType.F64));
        SafetensorsHeader header;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            header = SafetensorsHeader.read(file, ch, ModelFiles.MAX_HEADER_BYTES, ModelFiles.MAX_TENSORS,
                    ModelFiles.MAX_METADATA_ENTRIES);
        }
        assertEquals(layout.size(), header.entries().size(), where);
        for (int i = 0; i < layout.size(); i++) {
            SafetensorsHeader.Entry e = header.entries().get(i);
            assertEquals(layout.specs().get(i).name(), e.name(), "file order; " + where);
            assertArrayEquals(layout.specs().get(i).shape(), e.shape(), e.name() + " file shape; " + where);
        }
        Parameters loaded = ModelFiles.load(file).network().parameters();
        for (ParameterHandle h : layout.handles()) {
            assertArrayEquals(net.parameters().get(h).data, loaded.get(h).data, h + " round trip; " + where);
        }
    }

    /** Every gradient tensor the pass writes by handle is the derivative of the loss by that tensor's weights. */
    private static void gradientsFollowLayout(RankCodingNetwork net, ParameterLayout layout, String where, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int in = net.config().inputSize();
        int classes = net.config().numClasses();
        SequenceBatch batch = RcTestSupport.batch(rng, in, new int[]{3, 2, 4}, classes, 1.0, 0.0);
        RankCodingPass pass = new RankCodingPass(net, ReferenceKernels.INSTANCE);
        RankCodingLoss loss = new RankCodingLoss(LossMode.END_OF_SEQUENCE, 0.1);
        Parameters grads = net.parameters().zerosLike();
        Parameters scratch = net.parameters().zerosLike();
        pass.gradients(batch, THETA, loss, RankCodingPass.UNLIMITED_HORIZON, grads);
        assertEquals(layout, grads.layout(), where);
        for (ParameterHandle h : layout.handles()) {
            double[] g = grads.get(h).data;
            int at = largest(g);
            assertTrue(Math.abs(g[at]) > 1e-9, h + ": no gradient reached this tensor; " + where);
            double[] w = net.parameters().get(h).data;
            double saved = w[at];
            double eps = 1e-6;
            w[at] = saved + eps;
            double up = pass.gradients(batch, THETA, loss, RankCodingPass.UNLIMITED_HORIZON, scratch);
            w[at] = saved - eps;
            double down = pass.gradients(batch, THETA, loss, RankCodingPass.UNLIMITED_HORIZON, scratch);
            w[at] = saved;
            double numeric = (up - down) / (2 * eps);
            assertEquals(numeric, g[at], 1e-5 + 1e-4 * Math.abs(numeric),
                    h + "[" + at + "]: the gradient written to this tensor is not its derivative; " + where);
        }
    }

    private static int largest(double[] g) {
        int at = 0;
        for (int i = 1; i < g.length; i++) {
            if (Math.abs(g[i]) > Math.abs(g[at])) {
                at = i;
            }
        }
        return at;
    }
}
