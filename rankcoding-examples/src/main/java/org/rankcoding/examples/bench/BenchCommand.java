package org.rankcoding.examples.bench;

import org.rankcoding.nn.compute.LstmSteps;
import org.rankcoding.data.SequenceBatch;
import org.rankcoding.eval.Evaluation;
import org.rankcoding.eval.Evaluator;
import org.rankcoding.examples.toy.NoiseVsSignalSource;
import org.rankcoding.infer.Decision;
import org.rankcoding.infer.RankCodingModel;
import org.rankcoding.infer.StreamingSession;
import org.rankcoding.kernel.Kernels;
import org.rankcoding.kernel.MatrixKernels;
import org.rankcoding.kernel.impl.VectorKernels;
import org.rankcoding.nn.Linear;
import org.rankcoding.nn.Lstm;
import org.rankcoding.nn.compute.LstmBackwardStep;
import org.rankcoding.nn.compute.LstmGradients;
import org.rankcoding.nn.compute.LstmStep;
import org.rankcoding.nn.compute.LstmWeights;
import org.rankcoding.nn.NetworkConfig;
import org.rankcoding.nn.RankCodingNetwork;
import org.rankcoding.rc.DecisionRuleSpec;
import org.rankcoding.rc.LossMode;
import org.rankcoding.rc.StepObserver;
import org.rankcoding.train.Trainer;
import org.rankcoding.train.TrainerConfig;
import org.rankcoding.train.TrainingListener;
import org.rankcoding.train.TrainingResult;
import org.rankcoding.examples.cli.Range;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * End-to-end benchmark on the reference noise-vs-signal task: training throughput (RC vs EOS, from the same
 * initial weights, on batches generated beforehand), example-steps computed per sequence, early-exit and
 * full-sequence batch inference, batch-1 streaming latency, and the arithmetic rate of the LSTM step and of a
 * large matrix product with the library's kernels.
 *
 * <p>Every figure is the median of {@code --repetitions} timed repetitions after a warm-up, timed with
 * {@link System#nanoTime()}. Training throughput is what {@link Trainer} measures itself (gradient, Adam
 * update and divergence check per batch, on {@code --threads} threads; batch preparation excluded), over
 * {@code --bench-batches} batches per repetition, every repetition starting again from the same weights.
 * Inference, streaming and kernel figures are single-threaded unless a row says otherwise.
 */
@Command(name = "bench", defaultValueProvider = BenchCommand.Defaults.class, mixinStandardHelpOptions = true, sortOptions = false,
        description = {"End-to-end benchmark on noise vs signal (reference settings: 1 layer, batch 128, T = 40, binary head, "
                + "theta 0.95, Adam 3e-4).",
                "Trains one RC model to decide early, then measures training and inference throughput, streaming latency "
                        + "and kernel GFLOP/s. Prints a table; --json writes every figure."})
public final class BenchCommand implements Callable<Integer> {

    /** Longest repetition of a kernel measurement, in seconds. */
    static final double MAX_KERNEL_SECONDS = 600;
    /** Mixed into the seed for the generator of the timed training batches. */
    static final long BENCH_STREAM = 0x632BE59BD9B4E019L;
    /** Mixed into the seed for the generator of the test sequences. */
    static final long TEST_STREAM = 0x2545F4914F6CDD1DL;

    @Spec
    CommandSpec spec;

    /** The options the benchmarks share, with this benchmark's defaults. */
    @Mixin
    BenchOptions bench;

    /** This benchmark's defaults of the shared options. */
    static final class Defaults extends BenchOptions.Defaults {
        /** The defaults. */
        Defaults() {
            super("125", "128", "2", "3e-4", "5");
        }
    }

    @Range(min = 0.5, max = 1, above = true, below = true)
    @Option(names = "--threshold", defaultValue = "0.95", paramLabel = "THETA", description = "Spike threshold (default: ${DEFAULT-VALUE}).")
    double threshold;

    @Range(min = 1, max = 1e12)
    @Option(names = "--train-sequences", defaultValue = "200000", paramLabel = "N",
            description = "Training budget of the model trained to decide early (default: ${DEFAULT-VALUE}).")
    long trainSequences;

    @Range(min = 1, max = 1e8)
    @Option(names = "--test-sequences", defaultValue = "10000", paramLabel = "N",
            description = "Fresh test sequences for accuracy and batch inference (default: ${DEFAULT-VALUE}).")
    int testSequences;

    @Range(min = 1, max = 1e7)
    @Option(names = "--bench-batches", defaultValue = "40", paramLabel = "N",
            description = "Timed training batches per repetition (default: ${DEFAULT-VALUE}).")
    int benchBatches;

    @Range(min = 0, max = 1e7)
    @Option(names = "--warmup-batches", defaultValue = "10", paramLabel = "N",
            description = "Untimed training batches before each training measurement (default: ${DEFAULT-VALUE}).")
    int warmupBatches;

    @Range(min = 1, max = 1e8)
    @Option(names = "--stream-sequences", defaultValue = "2000", paramLabel = "N",
            description = "Test sequences streamed one step at a time per repetition (default: ${DEFAULT-VALUE}).")
    int streamSequences;

    @Range(min = 0, max = MAX_KERNEL_SECONDS, above = true, note = "seconds per repetition")
    @Option(names = "--kernel-seconds", defaultValue = "0.3", paramLabel = "S",
            description = "Approximate duration of one repetition of a kernel measurement (default: ${DEFAULT-VALUE}).")
    double kernelSeconds;

    @Range(min = 1, max = 16384)
    @Option(names = "--gemm-size", defaultValue = "1024", paramLabel = "N",
            description = "Size of the square reference matrix product (default: ${DEFAULT-VALUE}).")
    int gemmSize;

    private PrintWriter out;

    @Override
    public Integer call() throws IOException {
        out = spec.commandLine().getOut();
        validate();
        MatrixKernels kernels = Kernels.best();
        NoiseVsSignalSource source = new NoiseVsSignalSource();
        NetworkConfig network = NetworkConfig.binary(source.inputSize(), bench.hidden);
        int length = source.length();
        Map<String, Object> j = new LinkedHashMap<>();
        Table table = new Table();

        out.printf(Locale.ROOT, "bench: noise vs signal (T = %d), LSTM 1 layer hidden %d, batch %d, theta %s, Adam %s, %d thread%s, "
                        + "%s kernels, %d repetitions (median)%n", length, bench.hidden, bench.batch, threshold, bench.learningRate, bench.threads,
                bench.threads == 1 ? "" : "s", kernels.name(), bench.repetitions);
        out.println(environment());
        out.flush();

        j.put("task", "noise-vs-signal");
        j.put("hidden", bench.hidden);
        j.put("layers", 1);
        j.put("batch", bench.batch);
        j.put("sequence_length", length);
        j.put("threshold", threshold);
        j.put("learning_rate", bench.learningRate);
        j.put("threads", bench.threads);
        j.put("seed", bench.seed);
        j.put("kernels", kernels.name());
        j.put("repetitions", bench.repetitions);
        j.put("bench_batches", benchBatches);
        j.put("warmup_batches", warmupBatches);
        j.put("train_sequences", trainSequences);
        j.put("test_sequences", testSequences);
        j.put("stream_sequences", Math.min(streamSequences, testSequences));

        // ---- the model trained to decide early
        progress(out, String.format(Locale.ROOT, "training the RC model on %,d sequences", trainSequences));
        TrainerConfig rcTrain = config(LossMode.RANK_CODING, trainSequences);
        long start = System.nanoTime();
        TrainingResult trainedRun = new Trainer(rcTrain, kernels).train(network, source, List.of(), TrainingListener.NONE);
        double trainWall = (System.nanoTime() - start) / 1e9;
        RankCodingNetwork trained = trainedRun.network();
        List<SequenceBatch> test = generate(source, testSequences, new SplittableRandom(bench.seed ^ TEST_STREAM));
        Evaluation eval = Evaluator.evaluate(trained, test, DecisionRuleSpec.thresholdCrossing(threshold), 1.0, bench.threads);

        // ---- training throughput from the same initial weights, on batches generated beforehand
        progress(out, "measuring training throughput");
        List<SequenceBatch> benchData = generate(source, (warmupBatches + benchBatches) * bench.batch,
                new SplittableRandom(bench.seed ^ BENCH_STREAM));
        ReplaySource warm = new ReplaySource(benchData.subList(0, Math.max(1, warmupBatches)), 2);
        ReplaySource timed = new ReplaySource(benchData.subList(warmupBatches, warmupBatches + benchBatches), 2);
        Supplier<RankCodingNetwork> fresh = () -> new RankCodingNetwork(network, bench.seed);
        Supplier<RankCodingNetwork> fromTrained = () -> {
            RankCodingNetwork n = new RankCodingNetwork(network, bench.seed);
            n.parameters().setTo(trained.parameters());
            return n;
        };
        TrainThroughput rcFresh = trainThroughput(LossMode.RANK_CODING, fresh, warm, timed, kernels);
        TrainThroughput eosFresh = trainThroughput(LossMode.END_OF_SEQUENCE, fresh, warm, timed, kernels);
        TrainThroughput rcTrained = trainThroughput(LossMode.RANK_CODING, fromTrained, warm, timed, kernels);
        TrainThroughput eosTrained = trainThroughput(LossMode.END_OF_SEQUENCE, fromTrained, warm, timed, kernels);

        // ---- batch inference of the trained model
        progress(out, "measuring batch inference");
        SplitInference.Part earlyExit = (pass, part) -> pass.earlyExit(part, threshold).forwardExampleSteps();
        SplitInference.Part toEnd = (pass, part) -> pass.runToEnd(part, threshold, StepObserver.NONE).forwardExampleSteps();
        Stats exit1 = inferThroughput(trained, kernels, test, 1, earlyExit);
        Stats full1 = inferThroughput(trained, kernels, test, 1, toEnd);
        Stats exitN = bench.threads > 1 ? inferThroughput(trained, kernels, test, bench.threads, earlyExit) : exit1;
        Stats fullN = bench.threads > 1 ? inferThroughput(trained, kernels, test, bench.threads, toEnd) : full1;

        // ---- streaming, batch 1
        progress(out, "measuring streaming inference");
        Streaming stream = streaming(new RankCodingModel(trained, threshold, kernels), test);

        // ---- kernels (single thread; last, so that the JIT has long compiled them)
        progress(out, "measuring the LSTM step and the " + gemmSize + "^3 matrix product");
        Stats fwd = lstmGflops(kernels, true);
        Stats bwd = lstmGflops(kernels, false);
        Stats readout = readoutNanos();
        Stats gemm = gemmGflops(kernels);

        // ---- table
        String tag = bench.threads + " thread" + (bench.threads == 1 ? "" : "s");
        table.section("training (" + tag + ", " + benchBatches + " batches of " + bench.batch + " per rep, data generated beforehand; "
                + "example-steps per sequence of T = " + length + ")");
        table.row("RC training, fresh weights", rcFresh.seqPerS.format(0), "seq/s", steps(rcFresh) + "; " + rcFresh.seqPerS.range(0));
        table.row("EOS training, fresh weights", eosFresh.seqPerS.format(0), "seq/s", steps(eosFresh) + "; " + eosFresh.seqPerS.range(0));
        table.row("RC training, trained weights", rcTrained.seqPerS.format(0), "seq/s",
                String.format(Locale.ROOT, "%s; x%.2f EOS fresh; %s", steps(rcTrained),
                        rcTrained.seqPerS.median() / eosFresh.seqPerS.median(), rcTrained.seqPerS.range(0)));
        table.row("EOS training, trained weights", eosTrained.seqPerS.format(0), "seq/s",
                steps(eosTrained) + "; " + eosTrained.seqPerS.range(0));
        table.section(String.format(Locale.ROOT, "trained RC model (%,d sequences, %.1f s wall) on %,d fresh test sequences",
                trainSequences, trainWall, testSequences));
        table.row("accuracy at first spike", String.format(Locale.ROOT, "%.4f", eval.accuracyFirstSpike()), "",
                String.format(Locale.ROOT, "at last step %.4f", eval.accuracyLastStep()));
        table.row("mean decision step", String.format(Locale.ROOT, "%.2f", eval.meanDecisionStep()), "step",
                String.format(Locale.ROOT, "no spike %.2f%%", 100 * eval.noSpikeFraction()));
        table.section("batch inference of the trained model (batches of " + bench.batch + ")");
        table.row("early exit, 1 thread", exit1.format(0), "seq/s", exit1.range(0));
        table.row("full sequence, 1 thread", full1.format(0), "seq/s",
                String.format(Locale.ROOT, "early exit x%.2f; %s", exit1.median() / full1.median(), full1.range(0)));
        if (bench.threads > 1) {
            table.row("early exit, batch split over " + tag, exitN.format(0), "seq/s", exitN.range(0));
            table.row("full sequence, batch split over " + tag, fullN.format(0), "seq/s", fullN.range(0));
        }
        table.section("streaming, batch 1 (StreamingSession.feed, " + stream.sequences + " sequences per rep)");
        table.row("time per step", stream.usPerStep.format(2), "us", stream.usPerStep.range(2));
        table.row("time to decision (first feed to decision)", stream.usPerDecision.format(1), "us",
                String.format(Locale.ROOT, "mean decision step %.2f; %s", stream.meanDecisionStep, stream.usPerDecision.range(1)));
        table.section("kernels (1 thread, batch " + bench.batch + ", input 1, hidden " + bench.hidden + ")");
        table.row("LSTM step forward (LstmSteps.forward)", fwd.format(1), "GFLOP/s", fwd.range(1));
        table.row("LSTM step backward (LstmSteps.backward)", bwd.format(1), "GFLOP/s", bwd.range(1));
        table.row("readout (Linear.forward)", readout.format(0), "ns/call", readout.range(0));
        table.row("GEMM " + gemmSize + "^3 (multAdd)", gemm.format(1), "GFLOP/s", gemm.range(1));
        out.println();
        table.print(out);
        out.flush();

        // ---- JSON
        j.put("rc_train_seq_per_s", rcFresh.seqPerS.median());
        j.put("eos_train_seq_per_s", eosFresh.seqPerS.median());
        j.put("rc_train_seq_per_s_trained", rcTrained.seqPerS.median());
        j.put("eos_train_seq_per_s_trained", eosTrained.seqPerS.median());
        putSteps(j, "rc", "fresh", rcFresh);
        putSteps(j, "eos", "fresh", eosFresh);
        putSteps(j, "rc", "trained", rcTrained);
        putSteps(j, "eos", "trained", eosTrained);
        j.put("trained_accuracy_first_spike", eval.accuracyFirstSpike());
        j.put("trained_accuracy_last_step", eval.accuracyLastStep());
        j.put("trained_mean_decision_step", eval.meanDecisionStep());
        j.put("trained_no_spike_fraction", eval.noSpikeFraction());
        j.put("trained_train_seconds", trainedRun.seconds());
        j.put("early_exit_infer_seq_per_s", exit1.median());
        j.put("full_infer_seq_per_s", full1.median());
        j.put("early_exit_infer_seq_per_s_split_threads", exitN.median());
        j.put("full_infer_seq_per_s_split_threads", fullN.median());
        j.put("stream_us_per_step", stream.usPerStep.median());
        j.put("stream_us_per_decision", stream.usPerDecision.median());
        j.put("stream_mean_decision_step", stream.meanDecisionStep);
        j.put("lstm_forward_gflops", fwd.median());
        j.put("lstm_backward_gflops", bwd.median());
        j.put("readout_forward_ns", readout.median());
        j.put("gemm_size", gemmSize);
        j.put("gemm_" + gemmSize + "_gflops", gemm.median());
        j.put("vector_api", Kernels.vectorAvailable());
        j.put("vector_lanes", Kernels.vectorAvailable() ? VectorKernels.lanes() : 0);
        j.put("java_version", System.getProperty("java.version"));
        j.put("java_vm", System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"));
        j.put("jvm_args", new ArrayList<>(ManagementFactory.getRuntimeMXBean().getInputArguments()));
        j.put("available_processors", Runtime.getRuntime().availableProcessors());
        j.put("os_arch", System.getProperty("os.arch"));
        j.put("os_name", System.getProperty("os.name"));
        j.put("cpu_model", cpuModel());
        Map<String, Object> spread = new LinkedHashMap<>();
        spread.put("rc_train_seq_per_s", range(rcFresh.seqPerS));
        spread.put("eos_train_seq_per_s", range(eosFresh.seqPerS));
        spread.put("rc_train_seq_per_s_trained", range(rcTrained.seqPerS));
        spread.put("early_exit_infer_seq_per_s", range(exit1));
        spread.put("full_infer_seq_per_s", range(full1));
        spread.put("stream_us_per_step", range(stream.usPerStep));
        spread.put("stream_us_per_decision", range(stream.usPerDecision));
        spread.put("lstm_forward_gflops", range(fwd));
        spread.put("lstm_backward_gflops", range(bwd));
        spread.put("gemm_" + gemmSize + "_gflops", range(gemm));
        j.put("min_max", spread);
        bench.writeJson(j, out);
        out.flush();
        return 0;
    }

    private void validate() {
        List<String> bad = new ArrayList<>();
        bench.validate(bad);
        BenchOptions.atLeast(bad, "--train-sequences", trainSequences, 1);
        BenchOptions.atLeast(bad, "--test-sequences", testSequences, 1);
        BenchOptions.atLeast(bad, "--bench-batches", benchBatches, 1);
        BenchOptions.atLeast(bad, "--warmup-batches", warmupBatches, 0);
        BenchOptions.atLeast(bad, "--stream-sequences", streamSequences, 1);
        BenchOptions.atLeast(bad, "--gemm-size", gemmSize, 1);
        if (!(kernelSeconds > 0 && kernelSeconds <= MAX_KERNEL_SECONDS)) {
            bad.add("--kernel-seconds = " + kernelSeconds + ", expected in (0, " + MAX_KERNEL_SECONDS + "] seconds per repetition");
        }
        bench.reject(spec.commandLine(), bad, () -> config(LossMode.RANK_CODING, 1));
    }

    private TrainerConfig config(LossMode mode, long sequences) {
        return bench.configBuilder(sequences).lossMode(mode).threshold(threshold).build();
    }

    /** Says on {@code out} that a measurement starts. */
    static void progress(PrintWriter out, String what) {
        out.println("  " + what + " ...");
        out.flush();
    }

    /** {@code count} fresh sequences in batches of {@code --batch} rows (the last one may be smaller). */
    private List<SequenceBatch> generate(NoiseVsSignalSource source, int count, SplittableRandom rng) {
        List<SequenceBatch> list = new ArrayList<>();
        for (int done = 0; done < count; done += bench.batch) {
            list.add(source.nextBatch(Math.min(bench.batch, count - done), rng));
        }
        return list;
    }

    // ------------------------------------------------------------------ training

    /** Sequences per second (median over repetitions) and example-steps per sequence of one training setting. */
    private record TrainThroughput(Stats seqPerS, double forwardPerSeq, double backwardPerSeq) {
    }

    private TrainThroughput trainThroughput(LossMode mode, Supplier<RankCodingNetwork> start, ReplaySource warm,
                                            ReplaySource timed, MatrixKernels kernels) {
        if (warmupBatches > 0) {
            new Trainer(config(mode, (long) warmupBatches * bench.batch), kernels).continueTraining(start.get(), warm, List.of(),
                    TrainingListener.NONE);
        }
        Trainer trainer = new Trainer(config(mode, (long) benchBatches * bench.batch), kernels);
        double[] rate = new double[bench.repetitions];
        TrainingResult last = null;
        for (int r = 0; r < bench.repetitions; r++) {
            last = trainer.continueTraining(start.get(), timed, List.of(), TrainingListener.NONE);
            rate[r] = last.sequences() / last.seconds();
        }
        return new TrainThroughput(Stats.of(rate), (double) last.forwardExampleSteps() / last.sequences(),
                (double) last.backwardExampleSteps() / last.sequences());
    }

    private static String steps(TrainThroughput t) {
        return String.format(Locale.ROOT, "steps fwd %.2f, bwd %.2f", t.forwardPerSeq, t.backwardPerSeq);
    }

    private static void putSteps(Map<String, Object> j, String mode, String weights, TrainThroughput t) {
        j.put("example_steps_per_seq_" + mode + "_" + weights + "_forward", t.forwardPerSeq);
        j.put("example_steps_per_seq_" + mode + "_" + weights + "_backward", t.backwardPerSeq);
    }

    // ------------------------------------------------------------------ inference

    private Stats inferThroughput(RankCodingNetwork network, MatrixKernels kernels, List<SequenceBatch> test, int parts,
                                  SplitInference.Part how) {
        List<SequenceBatch[]> split = new ArrayList<>();
        long sequences = 0;
        for (SequenceBatch b : test) {
            split.add(SplitInference.split(b, parts, 2));
            sequences += b.batchSize();
        }
        double[] rate = new double[bench.repetitions];
        try (SplitInference inference = new SplitInference(network, kernels, parts)) {
            inference.run(split, how); // warm-up
            for (int r = 0; r < bench.repetitions; r++) {
                long t0 = System.nanoTime();
                inference.run(split, how);
                rate[r] = sequences / ((System.nanoTime() - t0) / 1e9);
            }
        }
        return Stats.of(rate);
    }

    /** Streaming figures: per step, per decision (both in microseconds), and the mean decision step. */
    private record Streaming(Stats usPerStep, Stats usPerDecision, double meanDecisionStep, int sequences) {
    }

    private Streaming streaming(RankCodingModel model, List<SequenceBatch> test) {
        int n = Math.min(streamSequences, testSequences);
        double[][][] seqs = new double[n][][];
        int k = 0;
        for (SequenceBatch b : test) {
            for (int r = 0; r < b.batchSize() && k < n; r++, k++) {
                double[][] steps = new double[b.length(r)][b.inputSize()];
                for (int t = 0; t < steps.length; t++) {
                    System.arraycopy(b.inputArray(), b.inputOffset(t, r), steps[t], 0, b.inputSize());
                }
                seqs[k] = steps;
            }
        }
        StreamingSession session = model.newSession();
        long totalSteps = 0;
        for (double[][] s : seqs) {
            totalSteps += s.length;
        }
        // warm-up: both loops once
        streamAll(session, seqs);
        decideAll(session, seqs, new long[1]);
        double[] perStep = new double[bench.repetitions];
        double[] perDecision = new double[bench.repetitions];
        long decisionSteps = 0;
        for (int r = 0; r < bench.repetitions; r++) {
            long t0 = System.nanoTime();
            streamAll(session, seqs);
            perStep[r] = (System.nanoTime() - t0) / 1e3 / totalSteps;
            long[] stepSum = new long[1];
            perDecision[r] = decideAll(session, seqs, stepSum) / 1e3 / n;
            decisionSteps = stepSum[0];
        }
        return new Streaming(Stats.of(perStep), Stats.of(perDecision), (double) decisionSteps / n, n);
    }

    /** Feeds every step of every sequence (ignoring decisions). */
    private static void streamAll(StreamingSession session, double[][][] seqs) {
        for (double[][] s : seqs) {
            session.reset();
            for (double[] x : s) {
                session.feed(x);
            }
        }
    }

    /**
     * Feeds every sequence until its decision (or its end, then {@link StreamingSession#finish()}).
     *
     * @return the sum over sequences of the nanoseconds from the first feed to the decision
     */
    private static long decideAll(StreamingSession session, double[][][] seqs, long[] stepSum) {
        long nanos = 0;
        long steps = 0;
        for (double[][] s : seqs) {
            session.reset();
            long t0 = System.nanoTime();
            Decision d = StreamingSession.UNDECIDED;
            for (int t = 0; t < s.length && d == StreamingSession.UNDECIDED; t++) {
                d = session.feed(s[t]);
            }
            if (d == StreamingSession.UNDECIDED) {
                d = session.finish();
            }
            nanos += System.nanoTime() - t0;
            steps += d.step();
        }
        stepSum[0] = steps;
        return nanos;
    }

    // ------------------------------------------------------------------ kernels

    /** GFLOP/s of {@link LstmSteps#forward} or {@link LstmSteps#backward} at batch {@code --batch}, input 1. */
    private Stats lstmGflops(MatrixKernels kernels, boolean forward) {
        int in = 1;
        int h = bench.hidden;
        int n = bench.batch;
        SplittableRandom rng = new SplittableRandom(bench.seed);
        Lstm lstm = new Lstm(in, h, rng);
        LstmWeights w = new LstmWeights(lstm, kernels);
        LstmStep step = new LstmStep(n, in, h);
        System.arraycopy(random(rng, n * in), 0, step.x(), 0, n * in);
        System.arraycopy(random(rng, n * h), 0, step.hPrev(), 0, n * h);
        System.arraycopy(random(rng, n * h), 0, step.cPrev(), 0, n * h);
        step.continueFromPreviousState();
        double[] c = new double[n * h];
        double[] hOut = new double[n * h];
        LstmSteps.forward(kernels, n, step, w, c, hOut);
        double flops = 2.0 * n * (in + h) * 4 * h;
        if (forward) {
            return gflops(flops, () -> LstmSteps.forward(kernels, n, step, w, c, hOut));
        }
        LstmBackwardStep b = LstmBackwardStep.withoutInputGradient(n, in, h);
        b.selectAll(n);
        b.gatherInputs(step);
        System.arraycopy(random(rng, n * h), 0, b.dh(), 0, n * h);
        System.arraycopy(random(rng, n * h), 0, b.dc(), 0, n * h);
        LstmGradients g = new LstmGradients(in, h);
        return gflops(2 * flops, () -> LstmSteps.backward(kernels, step, b, w, g));
    }

    /** Nanoseconds per {@link Linear#forward} call of the binary readout at batch {@code --batch}. */
    private Stats readoutNanos() {
        SplittableRandom rng = new SplittableRandom(bench.seed);
        Linear readout = new Linear(bench.hidden, 1, rng);
        double[] h = random(rng, bench.batch * bench.hidden);
        double[] z = new double[bench.batch];
        double[] seconds = time(() -> readout.forward(bench.batch, h, z));
        double[] nanos = new double[seconds.length];
        for (int i = 0; i < nanos.length; i++) {
            nanos[i] = seconds[i] * 1e9;
        }
        return Stats.of(nanos);
    }

    private Stats gemmGflops(MatrixKernels kernels) {
        int s = gemmSize;
        SplittableRandom rng = new SplittableRandom(bench.seed);
        double[] a = random(rng, s * s);
        double[] b = random(rng, s * s);
        double[] c = new double[s * s];
        return gflops(2.0 * s * s * s, () -> kernels.multAdd(s, s, s, a, 0, b, 0, c, 0));
    }

    private Stats gflops(double flopsPerCall, Runnable call) {
        double[] seconds = time(call);
        double[] rate = new double[seconds.length];
        for (int i = 0; i < rate.length; i++) {
            rate[i] = flopsPerCall / seconds[i] / 1e9;
        }
        return Stats.of(rate);
    }

    /**
     * Seconds per call, one value per repetition: after a warm-up of at least 0.5 s (and 5 calls), each
     * repetition times as many back-to-back calls as fit in about {@code --kernel-seconds}.
     */
    private double[] time(Runnable call) {
        long warmEnd = System.nanoTime() + (long) Math.max(5e8, kernelSeconds * 1e9);
        long t0 = System.nanoTime();
        int warm = 0;
        while (warm < 5 || System.nanoTime() < warmEnd) {
            call.run();
            warm++;
        }
        double perCall = (System.nanoTime() - t0) / 1e9 / warm;
        int calls = (int) Math.max(1, Math.min(Integer.MAX_VALUE, kernelSeconds / perCall));
        double[] seconds = new double[bench.repetitions];
        for (int r = 0; r < bench.repetitions; r++) {
            long s = System.nanoTime();
            for (int i = 0; i < calls; i++) {
                call.run();
            }
            seconds[r] = (System.nanoTime() - s) / 1e9 / calls;
        }
        return seconds;
    }

    private static double[] random(SplittableRandom rng, int n) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = rng.nextDouble() - 0.5;
        }
        return a;
    }

    // ------------------------------------------------------------------ reporting

    private static Map<String, Object> range(Stats s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("min", s.min());
        m.put("max", s.max());
        return m;
    }

    /** One line on the JVM, processors, operating system, CPU model and Vector API. */
    static String environment() {
        return String.format(Locale.ROOT, "JVM %s (%s), %d processors, %s %s%s, Vector API %s", System.getProperty("java.version"),
                System.getProperty("java.vm.name"), Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"),
                System.getProperty("os.arch"), cpuModel() == null ? "" : ", " + cpuModel(),
                Kernels.vectorAvailable() ? VectorKernels.lanes() + " doubles per vector" : "unavailable (add --add-modules jdk.incubator.vector)");
    }

    private static String cpuModel() {
        Path info = Path.of("/proc/cpuinfo");
        if (!Files.isReadable(info)) {
            return null;
        }
        try {
            for (String line : Files.readAllLines(info, StandardCharsets.UTF_8)) {
                if (line.startsWith("model name")) {
                    int colon = line.indexOf(':');
                    return colon < 0 ? null : line.substring(colon + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }

    /** A plain-text table in sections: measurement, value, unit, detail (also used by {@link FrontEndBenchCommand}). */
    static final class Table {
        private final List<String[]> rows = new ArrayList<>();

        void section(String title) {
            rows.add(new String[]{title});
        }

        void row(String name, String value, String unit, String detail) {
            rows.add(new String[]{name, value, unit, detail});
        }

        void print(PrintWriter out) {
            int w0 = 0;
            int w1 = 0;
            int w2 = 0;
            for (String[] r : rows) {
                if (r.length == 4) {
                    w0 = Math.max(w0, r[0].length());
                    w1 = Math.max(w1, r[1].length());
                    w2 = Math.max(w2, r[2].length());
                }
            }
            boolean first = true;
            for (String[] r : rows) {
                if (r.length == 1) {
                    if (!first) {
                        out.println();
                    }
                    out.println(r[0]);
                } else {
                    String line = "  " + r[0] + " ".repeat(w0 - r[0].length()) + "  " + " ".repeat(w1 - r[1].length()) + r[1]
                            + " " + r[2] + " ".repeat(w2 - r[2].length()) + (r[3].isEmpty() ? "" : "   " + r[3]);
                    out.println(line.stripTrailing());
                }
                first = false;
            }
        }
    }
}
