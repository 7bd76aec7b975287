package org.rankcoding.examples.cli;

import org.rankcoding.data.BatchSource;
import org.rankcoding.data.SequenceBatch;
import org.rankcoding.eval.Evaluation;
import org.rankcoding.eval.ThresholdSweep;
import org.rankcoding.rc.DecisionRuleSpec;
import org.rankcoding.examples.report.Plots;
import org.rankcoding.examples.report.SweepPlots;
import org.rankcoding.examples.report.TextFiles;
import org.rankcoding.kernel.Kernels;
import org.rankcoding.nn.RankCodingNetwork;
import org.rankcoding.rc.InferencePass;
import org.rankcoding.rc.LossMode;
import org.rankcoding.rc.RowOutcomes;
import org.rankcoding.train.Trainer;
import org.rankcoding.train.TrainerConfig;
import org.rankcoding.train.TrainingGrid;
import org.rankcoding.train.TrainingListener;
import org.rankcoding.train.TrainingResult;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.DoubleStream;

/**
 * Runs a {@code sweep} for one task: the RC grid ({@link TrainingGrid}), an EOS model with the same budget and seed,
 * a {@link ThresholdSweep} of every model, then the comparison at equal mean decision step, the beta-monotonicity
 * check, JSON, CSV and the pictures.
 *
 * <p>The sweep reports; it chooses nothing on the test set. Every grid model and every threshold is reported on the test
 * data, none is picked as "best" there; the one model drawn in the pictures is the grid point of the task's own
 * {@code --beta} and {@code --threshold}, fixed before training. The models validate during training on the task's
 * validation data (generated sequences, the data set's validation list, or held-out training digits), never on its test
 * data.
 */
final class SweepRunner {

    /** Standard errors a difference must exceed to count as one model beating another. */
    static final double SIGNIFICANT_SE = 2.0;

    private SweepRunner() {
    }

    /** A trained model with its validation history and its threshold sweep on the test set. */
    private record Model(String name, double beta, double trainTheta, TrainingResult training, List<ValidationPoint> history,
                         Evaluation atOwnTheta, List<Evaluation> sweep) {
    }

    static int run(SweepCommand sweep, Experiment task, ReportOptions report, PrintWriter out) throws IOException {
        double[] thetas = sweep.thetas(task.base().threshold());
        double[] evalThresholds = sweep.evalThresholds.clone();
        boolean bars = report.progressBars();
        long testExamples = task.test().stream().mapToLong(SequenceBatch::batchSize).sum();
        out.printf(Locale.ROOT, "sweep %s: RC grid betas %s x thetas %s and an EOS baseline, %,d training sequences each "
                        + "(seed %d, %d thread%s, %s kernels); every model evaluated at %d thresholds on %,d test sequences%n",
                task.name(), Arrays.toString(sweep.betas), Arrays.toString(thetas), task.base().trainSequences(), task.base().seed(),
                task.base().threads(), task.base().threads() == 1 ? "" : "s", Kernels.best().name(), evalThresholds.length, testExamples);
        out.flush();

        List<List<ValidationPoint>> histories = new ArrayList<>();
        TrainingConsole[] console = new TrainingConsole[1];
        List<TrainingGrid.Point> grid = TrainingGrid.run(task.base(), task.network(), sweep.betas, thetas, task.sources(),
                task.validation(), task.test(), new TrainingGrid.Listener() {
                    @Override
                    public TrainingListener starting(int index, int total, TrainerConfig config) {
                        console[0] = new TrainingConsole(String.format(Locale.ROOT, "%s RC %d/%d beta %s theta %s", task.name(), index + 1,
                                total, config.beta(), config.threshold()), config.trainSequences(), bars);
                        return console[0];
                    }

                    @Override
                    public void finished(int index, int total, TrainingGrid.Point point) {
                        console[0].close();
                        histories.add(console[0].history());
                        out.printf(Locale.ROOT, "  RC beta %-6s theta %-6s: accuracy at first spike %.4f, mean step %.2f, %.1f s%n",
                                point.beta(), point.threshold(), point.test().accuracyFirstSpike(), point.test().meanDecisionStep(),
                                point.training().seconds());
                        out.flush();
                    }
                });
        List<Model> rc = new ArrayList<>();
        for (int i = 0; i < grid.size(); i++) {
            TrainingGrid.Point p = grid.get(i);
            rc.add(new Model("RC beta " + p.beta() + " theta " + p.threshold(), p.beta(), p.threshold(), p.training(), histories.get(i),
                    p.test(), ThresholdSweep.sweep(p.training().network(), task.test(), task.base().decisionRule(), evalThresholds,
                    task.base().timingWindow(), task.base().threads())));
        }
        TrainerConfig eosConfig = task.base().toBuilder().lossMode(LossMode.END_OF_SEQUENCE).beta(0).build();
        TrainingResult eosResult;
        List<ValidationPoint> eosHistory;
        try (TrainingConsole c = new TrainingConsole(task.name() + " EOS", eosConfig.trainSequences(), bars)) {
            BatchSource source = task.sources().get();
            source.reset();
            eosResult = new Trainer(eosConfig).train(task.network(), source, task.validation(), c);
            eosHistory = c.history();
        }
        // one pass: the EOS model at the evaluation thresholds, at its own and at the reference RC model's threshold
        Model ref = reference(rc, task);
        Map<Double, Evaluation> eosAt = evaluateAt(eosResult.network(), task.test(), task.base().decisionRule(),
                task.base().timingWindow(), task.base().threads(), evalThresholds,
                eosConfig.threshold(), ref.trainTheta());
        List<Evaluation> eosSweep = Arrays.stream(evalThresholds).mapToObj(eosAt::get).toList();
        Model eos = new Model("EOS", 0, eosConfig.threshold(), eosResult, eosHistory, eosAt.get(eosConfig.threshold()), eosSweep);
        out.printf(Locale.ROOT, "  EOS: accuracy at first spike %.4f, mean step %.2f at theta %s, %.1f s%n",
                eos.atOwnTheta().accuracyFirstSpike(), eos.atOwnTheta().meanDecisionStep(), eosConfig.threshold(), eosResult.seconds());

        List<Comparison> comparisons = compare(rc, eos);
        out.println();
        printGrid(out, task, rc, eos, comparisons);
        out.println();
        printEosCurve(out, eos);
        out.println();
        List<Monotonicity> mono = monotonicity(rc, thetas);
        printMonotonicity(out, mono);
        out.flush();

        Path csv = sweep.csvFile(report, task.name());
        writeCsv(csv, rc, eos);
        out.println("wrote " + csv);
        if (report.json != null) {
            writeJson(report.json, task, sweep, thetas, rc, eos, comparisons, mono);
            out.println("wrote " + report.json);
        }
        if (!report.noPlots) {
            List<Path> files = writePlots(report.plotsDir(), task, sweep, rc, ref, eos, eosAt.get(ref.trainTheta()));
            out.println("wrote " + String.join(", ", files.stream().map(Path::toString).toList()));
        }
        out.flush();
        return 0;
    }

    // ------------------------------------------------------------------ comparisons

    /**
     * An RC grid model against the EOS early-exit curve at the RC model's mean decision step.
     *
     * @param eosAccuracy EOS accuracy interpolated linearly along its threshold sweep at the same mean step, NaN outside the curve
     * @param standardError standard error of the difference (two independent binomial proportions on {@code n} examples)
     */
    record Comparison(Model model, double eosAccuracy, double standardError) {

        double difference() {
            return model.atOwnTheta().accuracyFirstSpike() - eosAccuracy;
        }

        String verdict() {
            if (!Double.isFinite(eosAccuracy)) {
                return "outside the EOS curve";
            }
            double d = difference();
            return d > SIGNIFICANT_SE * standardError ? "RC above" : d < -SIGNIFICANT_SE * standardError ? "RC below" : "within noise";
        }
    }

    private static List<Comparison> compare(List<Model> rc, Model eos) {
        List<Comparison> out = new ArrayList<>();
        for (Model m : rc) {
            Evaluation e = m.atOwnTheta();
            double b = interpolate(eos.sweep(), e.meanDecisionStep());
            double a = e.accuracyFirstSpike();
            double n = e.examples();
            double se = Double.isFinite(b) ? Math.sqrt(a * (1 - a) / n + b * (1 - b) / n) : Double.NaN;
            out.add(new Comparison(m, b, se));
        }
        return out;
    }

    /** Accuracy along a threshold sweep at mean decision step {@code step}, linearly between the two nearest points; NaN outside. */
    static double interpolate(List<Evaluation> sweep, double step) {
        List<Evaluation> sorted = new ArrayList<>(sweep);
        sorted.sort((x, y) -> Double.compare(x.meanDecisionStep(), y.meanDecisionStep()));
        for (int i = 0; i + 1 < sorted.size(); i++) {
            double x0 = sorted.get(i).meanDecisionStep();
            double x1 = sorted.get(i + 1).meanDecisionStep();
            if (step >= x0 && step <= x1) {
                double y0 = sorted.get(i).accuracyFirstSpike();
                double y1 = sorted.get(i + 1).accuracyFirstSpike();
                return x1 == x0 ? Math.max(y0, y1) : y0 + (y1 - y0) * (step - x0) / (x1 - x0);
            }
        }
        if (!sorted.isEmpty() && sorted.get(0).meanDecisionStep() == step) {
            return sorted.get(0).accuracyFirstSpike();
        }
        return Double.NaN;
    }

    /**
     * Whether raising beta at a fixed theta moves decisions later and accuracy up, within noise: each step between
     * neighbouring betas may go the wrong way by at most {@link #SIGNIFICANT_SE} standard errors.
     *
     * @param theta      the grid threshold
     * @param betas      betas ascending
     * @param meanSteps  mean decision step at each beta
     * @param accuracies accuracy at first spike at each beta
     * @param stepsUp    whether the mean step never falls by more than the noise
     * @param accuracyUp whether the accuracy never falls by more than the noise
     */
    record Monotonicity(double theta, double[] betas, double[] meanSteps, double[] accuracies, boolean stepsUp, boolean accuracyUp) {
    }

    private static List<Monotonicity> monotonicity(List<Model> rc, double[] thetas) {
        List<Monotonicity> out = new ArrayList<>();
        for (double theta : thetas) {
            List<Model> row = new ArrayList<>(rc.stream().filter(m -> m.trainTheta() == theta).toList());
            row.sort((x, y) -> Double.compare(x.beta(), y.beta()));
            int n = row.size();
            double[] b = new double[n];
            double[] s = new double[n];
            double[] a = new double[n];
            boolean stepsUp = true;
            boolean accUp = true;
            for (int i = 0; i < n; i++) {
                Evaluation e = row.get(i).atOwnTheta();
                b[i] = row.get(i).beta();
                s[i] = e.meanDecisionStep();
                a[i] = e.accuracyFirstSpike();
                if (i > 0) {
                    Evaluation p = row.get(i - 1).atOwnTheta();
                    double stepSe = Math.sqrt(stepVariance(e) / e.examples() + stepVariance(p) / p.examples());
                    double accSe = Math.sqrt(a[i] * (1 - a[i]) / e.examples() + a[i - 1] * (1 - a[i - 1]) / p.examples());
                    stepsUp &= s[i] - s[i - 1] >= -SIGNIFICANT_SE * stepSe;
                    accUp &= a[i] - a[i - 1] >= -SIGNIFICANT_SE * accSe;
                }
            }
            out.add(new Monotonicity(theta, b, s, a, stepsUp, accUp));
        }
        return out;
    }

    /** Variance of the decision step over the examples of an evaluation (from its histogram). */
    static double stepVariance(Evaluation e) {
        long[] h = e.decisionHistogram();
        double mean = e.meanDecisionStep();
        double sum = 0;
        long n = 0;
        for (int t = 0; t < h.length; t++) {
            sum += h[t] * (t - mean) * (t - mean);
            n += h[t];
        }
        return n == 0 ? 0 : sum / n;
    }

    // ------------------------------------------------------------------ tables

    private static void printGrid(PrintWriter out, Experiment task, List<Model> rc, Model eos, List<Comparison> comparisons) {
        ResultTable t = new ResultTable("RC grid (test set, each at its own theta)", "beta", "theta", "acc@spike", "mean step",
                "no spike", "HM", "train ex-steps fwd/bwd vs EOS", "EOS acc at same step", "RC - EOS", "verdict (2 SE)");
        for (int i = 0; i < rc.size(); i++) {
            Model m = rc.get(i);
            Comparison c = comparisons.get(i);
            Evaluation e = m.atOwnTheta();
            TrainingResult r = m.training();
            t.row(m.name(), ResultTable.fixed(m.beta(), 3), ResultTable.fixed(m.trainTheta(), 3), ResultTable.fixed(e.accuracyFirstSpike(), 4),
                    ResultTable.fixed(e.meanDecisionStep(), 2), ResultTable.fixed(e.noSpikeFraction(), 4), ResultTable.fixed(e.harmonicMean(), 4),
                    ResultTable.fixed((double) r.forwardExampleSteps() / eos.training().forwardExampleSteps(), 2) + " / "
                            + ResultTable.fixed((double) r.backwardExampleSteps() / eos.training().backwardExampleSteps(), 2),
                    ResultTable.fixed(c.eosAccuracy(), 4), ResultTable.fixed(c.difference(), 4) + " +- " + ResultTable.fixed(c.standardError(), 4),
                    c.verdict());
        }
        t.print(out);
    }

    private static void printEosCurve(PrintWriter out, Model eos) {
        ResultTable t = new ResultTable("EOS-trained model with early exit", "threshold", "acc@spike", "mean step", "no spike",
                "acc@last", "HM");
        for (Evaluation e : eos.sweep()) {
            t.row("", ResultTable.fixed(e.threshold(), 3), ResultTable.fixed(e.accuracyFirstSpike(), 4), ResultTable.fixed(e.meanDecisionStep(), 2),
                    ResultTable.fixed(e.noSpikeFraction(), 4), ResultTable.fixed(e.accuracyLastStep(), 4), ResultTable.fixed(e.harmonicMean(), 4));
        }
        t.print(out);
    }

    private static void printMonotonicity(PrintWriter out, List<Monotonicity> mono) {
        for (Monotonicity m : mono) {
            if (m.betas().length < 2) {
                continue;
            }
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < m.betas().length; i++) {
                sb.append(String.format(Locale.ROOT, "%s beta %s: step %.2f acc %.4f", i == 0 ? "" : " ->", m.betas()[i], m.meanSteps()[i],
                        m.accuracies()[i]));
            }
            out.printf(Locale.ROOT, "raising beta at theta %s (%d values): %s%n  mean step later: %s, accuracy up: %s (within %.0f SE)%n",
                    m.theta(), m.betas().length, sb, m.stepsUp() ? "yes" : "NO", m.accuracyUp() ? "yes" : "NO", SIGNIFICANT_SE);
        }
    }

    // ------------------------------------------------------------------ files

    private static final String CSV_HEADER = "kind,model,loss_mode,beta,train_threshold,eval_threshold,accuracy_first_spike,"
            + "accuracy_last_step,mean_decision_step,median_decision_step,no_spike_fraction,earliness,harmonic_mean,test_examples,"
            + "early_exit_example_steps,train_example_steps_forward,train_example_steps_backward,train_seconds";

    private static void writeCsv(Path file, List<Model> rc, Model eos) throws IOException {
        StringBuilder sb = new StringBuilder(CSV_HEADER).append('\n');
        for (Model m : rc) {
            csvRow(sb, "rc_grid", m, m.atOwnTheta());
        }
        for (Model m : rc) {
            for (Evaluation e : m.sweep()) {
                csvRow(sb, "rc_threshold_sweep", m, e);
            }
        }
        for (Evaluation e : eos.sweep()) {
            csvRow(sb, "eos_threshold_sweep", eos, e);
        }
        TextFiles.write(file, sb.toString());
    }

    private static void csvRow(StringBuilder sb, String kind, Model m, Evaluation e) {
        TrainingResult r = m.training();
        sb.append(String.join(",", kind, '"' + m.name() + '"', r.config().lossMode().name(), num(m.beta()), num(m.trainTheta()),
                num(e.threshold()), num(e.accuracyFirstSpike()), num(e.accuracyLastStep()), num(e.meanDecisionStep()),
                num(e.medianDecisionStep()), num(e.noSpikeFraction()), num(e.earliness()), num(e.harmonicMean()),
                Long.toString(e.examples()), Long.toString(e.earlyExitExampleSteps()), Long.toString(r.forwardExampleSteps()),
                Long.toString(r.backwardExampleSteps()), num(r.seconds()))).append('\n');
    }

    private static String num(double v) {
        return Double.isFinite(v) ? Double.toString(v) : "";
    }

    private static void writeJson(Path file, Experiment task, SweepCommand sweep, double[] thetas, List<Model> rc, Model eos,
                                  List<Comparison> comparisons, List<Monotonicity> mono) throws IOException {
        Map<String, Object> top = ResultJson.header(task.name(), task.options(), task.batch(), task.learningRate(), task.base().threads(),
                task.length(), task.parameters());
        top.put("sweep_betas", sweep.betas.clone());
        top.put("sweep_thetas", thetas.clone());
        top.put("eval_thresholds", sweep.evalThresholds.clone());
        top.put("train_sequences", task.base().trainSequences());
        List<Object> grid = new ArrayList<>();
        for (int i = 0; i < rc.size(); i++) {
            Map<String, Object> m = modelJson(rc.get(i), task);
            Comparison c = comparisons.get(i);
            m.put("eos_accuracy_at_same_mean_step", c.eosAccuracy());
            m.put("difference_to_eos", c.difference());
            m.put("difference_standard_error", c.standardError());
            m.put("verdict", c.verdict());
            grid.add(m);
        }
        top.put("rc_grid", grid);
        top.put("eos", modelJson(eos, task));
        List<Object> monoJson = new ArrayList<>();
        for (Monotonicity m : mono) {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("theta", m.theta());
            j.put("betas", m.betas());
            j.put("mean_decision_steps", m.meanSteps());
            j.put("accuracies", m.accuracies());
            j.put("mean_step_later_within_noise", m.stepsUp());
            j.put("accuracy_up_within_noise", m.accuracyUp());
            monoJson.add(j);
        }
        top.put("beta_monotonicity", monoJson);
        ResultJson.write(file, top);
    }

    private static Map<String, Object> modelJson(Model m, Experiment task) {
        Map<String, Object> j = new LinkedHashMap<>();
        Evaluation e = m.atOwnTheta();
        TrainingResult r = m.training();
        j.put("name", m.name());
        j.put("loss_mode", r.config().lossMode().name());
        j.put("beta", m.beta());
        j.put("threshold", m.trainTheta());
        j.put("accuracy_first_spike", e.accuracyFirstSpike());
        j.put("accuracy_last_step", e.accuracyLastStep());
        j.put("mean_decision_step", e.meanDecisionStep());
        j.put("median_decision_step", e.medianDecisionStep());
        j.put("no_spike_fraction", e.noSpikeFraction());
        j.put("earliness", e.earliness());
        j.put("harmonic_mean", e.harmonicMean());
        j.put("decision_histogram", ResultJson.histogram(e, task.length()));
        j.put("train_example_steps_forward", r.forwardExampleSteps());
        j.put("train_example_steps_backward", r.backwardExampleSteps());
        j.put("train_seconds", r.seconds());
        List<Object> sw = new ArrayList<>();
        for (Evaluation s : m.sweep()) {
            sw.add(ResultJson.thresholdPoint(s));
        }
        j.put("threshold_sweep", sw);
        List<Object> hist = new ArrayList<>();
        for (ValidationPoint v : m.history()) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("sequences", v.sequences());
            p.put("accuracy_first_spike", v.accuracyFirstSpike());
            p.put("mean_decision_step", v.meanDecisionStep());
            p.put("mean_decision_step_per_class", v.perClassMeanDecisionStep());
            hist.add(p);
        }
        j.put("validation", hist);
        return j;
    }

    // ------------------------------------------------------------------ pictures

    /**
     * The pictures.
     *
     * @param ref      the RC model drawn in the dynamics, histogram and raster ({@link #reference})
     * @param eosAtRef the EOS model evaluated at {@code ref}'s threshold
     */
    private static List<Path> writePlots(Path dir, Experiment task, SweepCommand sweep, List<Model> rc, Model ref, Model eos, Evaluation eosAtRef)
            throws IOException {
        List<Path> files = new ArrayList<>();
        String n = task.name();
        List<SweepPlots.Curve> curves = new ArrayList<>();
        curves.add(curve("EOS-trained, early exit over thresholds", eos.sweep(), true, 1));
        double[] gx = rc.stream().mapToDouble(m -> m.atOwnTheta().meanDecisionStep()).toArray();
        double[] gy = rc.stream().mapToDouble(m -> m.atOwnTheta().accuracyFirstSpike()).toArray();
        curves.add(new SweepPlots.Curve("RC-trained grid (beta x theta), each at its theta", gx, gy, false, 0));
        curves.add(curve("RC (" + ref.name().substring(3) + "), early exit over thresholds", ref.sweep(), true, 2));
        files.addAll(SweepPlots.tradeoff(dir.resolve(n + "-sweep-tradeoff"), n + ": accuracy vs mean decision step, RC vs EOS early exit",
                task.length(), task.frontier(), curves));

        Model[] shown = {ref, eos};
        double[][] seq = new double[2][];
        double[][] acc = new double[2][];
        double[][][] perClass = new double[2][][];
        for (int i = 0; i < 2; i++) {
            List<ValidationPoint> h = shown[i].history();
            seq[i] = h.stream().mapToDouble(ValidationPoint::sequences).toArray();
            acc[i] = h.stream().mapToDouble(ValidationPoint::accuracyFirstSpike).toArray();
            perClass[i] = h.stream().map(ValidationPoint::perClassMeanDecisionStep).toArray(double[][]::new);
        }
        files.addAll(SweepPlots.dynamics(dir.resolve(n + "-sweep-dynamics"), n, task.length(), new String[] {"RC", "EOS"},
                task.classNames(), seq, acc, perClass));

        Path hist = dir.resolve(n + "-sweep-decision-histogram.png");
        Plots.decisionHistogram(hist, n + ": decision steps at threshold " + ref.trainTheta(), task.length(),
                new String[] {"RC-trained (" + ref.name().substring(3) + ")", "EOS-trained, early exit"},
                new long[][] {ref.atOwnTheta().decisionHistogram(), eosAtRef.decisionHistogram()});
        files.add(hist);
        files.add(Path.of(hist.toString().replaceAll("\\.png$", ".svg")));

        SequenceBatch first = task.test().get(0);
        if (first.hasOptimalSteps() && sweep.rasterRows > 0) {
            files.addAll(raster(dir.resolve(n + "-sweep-raster-rc"), n + ": RC-trained outputs and first spikes, " + ref.name().substring(3),
                    ref, first, sweep.rasterRows));
            files.addAll(raster(dir.resolve(n + "-sweep-raster-eos"), n + ": EOS-trained outputs and first spikes (early exit at theta "
                    + ref.trainTheta() + ")", new Model(eos.name(), 0, ref.trainTheta(), eos.training(), eos.history(), eosAtRef, eos.sweep()),
                    first, sweep.rasterRows));
        }
        return files;
    }

    /**
     * {@code network} deciding by {@code rule} moved to each of {@code thresholds} and {@code extra} (duplicates evaluated
     * once), from one pass over the test set, its batches run on {@code threads} threads.
     */
    static Map<Double, Evaluation> evaluateAt(RankCodingNetwork network, List<SequenceBatch> test, DecisionRuleSpec rule,
                                              double timingWindow, int threads, double[] thresholds, double... extra) {
        double[] all = DoubleStream.concat(Arrays.stream(thresholds), Arrays.stream(extra)).distinct().toArray();
        List<Evaluation> results = ThresholdSweep.sweep(network, test, rule, all, timingWindow, threads);
        Map<Double, Evaluation> byThreshold = new HashMap<>();
        for (int i = 0; i < all.length; i++) {
            byThreshold.put(all[i], results.get(i));
        }
        return byThreshold;
    }

    /** The grid model whose beta and theta are the task's own options, else the first. */
    private static Model reference(List<Model> rc, Experiment task) {
        for (Model m : rc) {
            if (m.beta() == task.base().beta() && m.trainTheta() == task.base().threshold()) {
                return m;
            }
        }
        return rc.get(0);
    }

    private static SweepPlots.Curve curve(String name, List<Evaluation> sweep, boolean joined, int color) {
        return SweepPlots.Curve.of(name, sweep, step -> step, joined, color);
    }

    /** The raster of the first {@code rows} sequences of {@code batch}: output probability of class 1 at every step. */
    private static List<Path> raster(Path base, String title, Model m, SequenceBatch batch, int rows) throws IOException {
        int n = Math.min(rows, batch.batchSize());
        int steps = batch.maxLength();
        double[][] prob = new double[n][steps];
        for (double[] row : prob) {
            Arrays.fill(row, Double.NaN);
        }
        InferencePass inference = new InferencePass(m.training().network(), Kernels.best());
        int outputs = m.training().network().head().outputs();
        RowOutcomes pass = inference.runToEnd(batch, m.trainTheta(), (step, row, p, off) -> {
            if (row < n) {
                prob[row][step - 1] = outputs == 1 ? p[off] : p[off + 1];
            }
        });
        int[] spikes = new int[n];
        int[] optimal = new int[n];
        for (int r = 0; r < n; r++) {
            spikes[r] = Math.max(0, pass.firstSpike(r));
            optimal[r] = Math.max(0, batch.optimalStep(r));
        }
        return SweepPlots.raster(base, title, prob, spikes, optimal, m.trainTheta());
    }
}
