package org.rankcoding.examples.cli;

import org.rankcoding.data.Augmentation;
import org.rankcoding.data.AugmentedSource;
import org.rankcoding.data.BatchSource;
import org.rankcoding.data.InMemorySequences;
import org.rankcoding.data.LabeledSequence;
import org.rankcoding.data.SequenceBatch;
import org.rankcoding.data.StratifiedFolds;
import org.rankcoding.data.StratifiedSplit;
import org.rankcoding.eval.Evaluation;
import org.rankcoding.eval.OperatingGoal;
import org.rankcoding.eval.ThresholdCalibrator;
import org.rankcoding.eval.ThresholdSweep;
import org.rankcoding.examples.run.TimedEvaluation;
import org.rankcoding.nn.NetworkConfig;
import org.rankcoding.nn.NetworkEnsemble;
import org.rankcoding.nn.RankCodingNetwork;
import org.rankcoding.rc.DecisionRuleSpec;
import org.rankcoding.rc.LossMode;
import org.rankcoding.rc.ThresholdSchedule;
import org.rankcoding.train.Trainer;
import org.rankcoding.train.TrainerConfig;
import org.rankcoding.train.TrainingResult;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;

/**
 * One run of {@code early-classify} for one seed: a stratified validation split of the training file (by the seed), an
 * RC model and an EOS model trained with the same budget on the rest (weights and order by the seed; each model a single
 * network or an ensemble of several averaged into one; with several candidate augmentations, trained once per candidate),
 * an operating point chosen for each on the validation split ({@link ThresholdCalibrator}, over every swept threshold,
 * consecutive count and threshold shape; the candidate of the best point kept), and the test set evaluated once per
 * model at its point, plus each model's accuracy-vs-earliness curve on the test set for the report.
 */
final class EarlyPipeline {

    /** Rows per evaluation batch. */
    private static final int EVAL_BATCH = 512;

    /**
     * Distance between the seeds of an ensemble's members: member {@code j} of the run with seed {@code s} is trained
     * with seed {@code s + j * MEMBER_SEED_STRIDE}, so member 0 is the single network of that seed and no two runs of
     * fewer than this many consecutive seeds share a member.
     */
    static final long MEMBER_SEED_STRIDE = 1_000_003L;

    /**
     * What is the same for every seed.
     *
     * @param network            the network's shape
     * @param base               training settings; the seed, budget, validation interval, loss mode and beta are set here
     *                           (its threads also run the sweeps and the test evaluation); its prefix-loss weight is RC's
     * @param eosPrefixLoss      the EOS model's prefix-loss weight (0: the paper's end-of-sequence loss)
     * @param epochs             passes over the training part
     * @param validationFraction share of each class taken for validation, in (0, 1)
     * @param ensemble           networks trained per model on the validation split's training part (seeds {@code seed + j *
     *                           MEMBER_SEED_STRIDE}) and averaged into one ({@link NetworkEnsemble#averaged}); 1 for a
     *                           single network; 1 with folds
     * @param folds              0 for a single validation split of {@code validationFraction}; {@code k >= 2} for
     *                           cross-fitting: the training file cut into {@code k} stratified folds, one network per fold
     *                           trained on the others (seed {@code seed + f * MEMBER_SEED_STRIDE}), the operating point
     *                           chosen on every training series as decided by the network that did not train on it, and
     *                           the test set decided by the average of the {@code k} networks
     * @param augmentations      the candidate augmentations of the training batches, at least one
     *                           ({@link Augmentation#NONE} for nothing): with several, each model is trained with each
     *                           and the one whose operating point serves the goal best on the validation data (with
     *                           folds: out of fold) is kept ({@link #better}); the test set is evaluated for that one only
     * @param thresholds         the thresholds of the operating-point grid
     * @param consecutive        the consecutive counts of the operating-point grid
     * @param schedules          the threshold shapes of the operating-point grid: for each value {@code q}, the threshold
     *                           changes linearly from its value at step 1 to the one whose log-odds are {@code q} times
     *                           as large at input step {@code steps} ({@code q = 1}: constant; {@code q < 1}: lower
     *                           later, so that late decisions need less confidence than early ones)
     * @param steps              input steps of the longest training series (where a shaped threshold ends)
     * @param goal               what the operating point optimises on the validation split
     * @param bars               whether to draw progress bars
     */
    record Settings(NetworkConfig network, TrainerConfig base, double eosPrefixLoss, int epochs, double validationFraction, int ensemble,
                    int folds, List<Augmentation> augmentations,
                    double[] thresholds, int[] consecutive, double[] schedules, int steps, OperatingGoal goal, boolean bars) {
    }

    /**
     * Both models of one seed.
     *
     * @param trainSize      series the (first) network of a model trained on
     * @param validationSize series the operating point was chosen on (with folds: every training series)
     */
    record SeedOutcome(long seed, int trainSize, int validationSize, EarlyModelOutcome rc, EarlyModelOutcome eos) {
    }

    private final Settings settings;
    private final List<LabeledSequence> training;
    private final List<SequenceBatch> test;
    private final String label;

    /**
     * @param settings what is the same for every seed
     * @param training the (normalised) series of the training file
     * @param test     the (normalised) series of the test file
     * @param label    the data set's name, for progress bars
     */
    EarlyPipeline(Settings settings, List<LabeledSequence> training, InMemorySequences test, String label) {
        this.settings = settings;
        this.training = List.copyOf(training);
        this.test = test.batches(EVAL_BATCH);
        this.label = label;
    }

    /**
     * Runs the whole pipeline with {@code seed}: split (or folds), both models' training, calibration and test.
     */
    SeedOutcome run(long seed) {
        int classes = settings.network().numClasses();
        List<Member> members = new ArrayList<>();
        int validationSize;
        if (settings.folds() > 1) {
            StratifiedFolds folds = StratifiedFolds.of(training, settings.folds(), seed);
            for (int f = 0; f < folds.count(); f++) {
                StratifiedSplit split = folds.split(f);
                members.add(member(seed, f, split, split.validationSet(classes).batches(EVAL_BATCH)));
            }
            validationSize = training.size();
        } else {
            StratifiedSplit split = StratifiedSplit.of(training, settings.validationFraction(), seed);
            List<SequenceBatch> validation = split.validationSet(classes).batches(EVAL_BATCH); // shared by the members
            for (int j = 0; j < settings.ensemble(); j++) {
                members.add(member(seed, j, split, validation));
            }
            validationSize = split.validation().size();
        }
        EarlyModelOutcome rc = model("RC", members, c -> c.toBuilder().lossMode(LossMode.RANK_CODING).build());
        EarlyModelOutcome eos = model("EOS", members, c -> c.toBuilder().lossMode(LossMode.END_OF_SEQUENCE).beta(0)
                .prefixLossWeight(settings.eosPrefixLoss()).build());
        return new SeedOutcome(seed, members.get(0).train().size(), validationSize, rc, eos);
    }

    /**
     * Network {@code j} of a model of the run with {@code seed}: trained on its own copy of the split's training part
     * (a source keeps its place in the epoch), validated on {@code validation}.
     */
    private Member member(long seed, int j, StratifiedSplit split, List<SequenceBatch> validation) {
        InMemorySequences train = split.trainSet(settings.network().numClasses());
        TrainerConfig config = settings.base().toBuilder().seed(seed + j * MEMBER_SEED_STRIDE)
                .trainSequences((long) settings.epochs() * train.size()).validateEverySequences(train.size()).build();
        return new Member(config, train, validation);
    }

    /**
     * One network of a model: its configuration (seed, budget), its training part and the validation batches it is
     * validated on during training (and, without folds, the model's operating point is chosen on).
     */
    private record Member(TrainerConfig config, InMemorySequences train, List<SequenceBatch> validation) {
    }

    /**
     * Trains the model with each candidate augmentation ({@link #candidate}), keeps the candidate whose operating point
     * serves the goal best on the validation data ({@link #better}; the first of equals) and tests it once at that
     * point. The model's reported work and wall time are those of all candidates.
     */
    private EarlyModelOutcome model(String name, List<Member> members, UnaryOperator<TrainerConfig> mode) {
        List<Candidate> candidates = new ArrayList<>();
        int best = 0;
        for (Augmentation a : settings.augmentations()) {
            candidates.add(candidate(name, members, mode, a));
            if (better(candidates.get(candidates.size() - 1).point(), candidates.get(best).point())) {
                best = candidates.size() - 1;
            }
        }
        Candidate chosen = candidates.get(best);
        TrainerConfig config = chosen.result().config();
        TimedEvaluation tested = TimedEvaluation.of(chosen.result().network(), test, chosen.rule(), 1.0, config.threads(),
                rows -> { });
        List<Evaluation> curve = ThresholdSweep.sweep(chosen.result().network(), test, chosen.rule(), settings.thresholds(), 1.0,
                config.threads());
        TrainingResult training = candidates.size() == 1 ? chosen.result()
                : withWorkOf(chosen.result(), candidates.stream().map(Candidate::result).toList());
        return new EarlyModelOutcome(name, training, chosen.histories(), chosen.rule(), chosen.point().validation(),
                chosen.point().goalMet(), tested.evaluation(), tested.earlyExitSteps(), curve, best,
                candidates.stream().map(c -> c.point().validation()).toList());
    }

    /**
     * Whether operating point {@code a} serves its goal better than {@code b} (both chosen on the same validation
     * series for models trained alike but for their augmentation): a point that meets the goal before one that does
     * not; then for the harmonic mean the higher one, for an earliness budget the more accurate, for an accuracy
     * tolerance the earlier; equals are not better.
     */
    static boolean better(ThresholdCalibrator.OperatingPoint a, ThresholdCalibrator.OperatingPoint b) {
        if (a.goalMet() != b.goalMet()) {
            return a.goalMet();
        }
        Evaluation x = a.validation();
        Evaluation y = b.validation();
        if (a.goal() instanceof OperatingGoal.WithinEarliness) {
            return x.accuracyFirstSpike() > y.accuracyFirstSpike();
        }
        if (a.goal() instanceof OperatingGoal.WithinAccuracy) {
            return x.earliness() < y.earliness();
        }
        return x.harmonicMean() > y.harmonicMean();
    }

    /**
     * Trains one network per member (configured by {@code mode}) on batches augmented by {@code augmentation}, averages
     * them when there are several, and chooses the operating point (on the shared validation split, or with folds on
     * every training series, each evaluated by the member that did not train on it).
     */
    private Candidate candidate(String name, List<Member> members, UnaryOperator<TrainerConfig> mode, Augmentation augmentation) {
        TrainerConfig config = mode.apply(members.get(0).config());
        int workers = Math.min(config.threads(), members.size());
        int threadsEach = Math.max(1, config.threads() / workers);
        boolean bars = settings.bars() && workers == 1; // bars of networks trained at once would overwrite each other
        List<Callable<Trained>> tasks = new ArrayList<>();
        for (int j = 0; j < members.size(); j++) {
            Member m = members.get(j);
            TrainerConfig member = mode.apply(m.config()).toBuilder().threads(threadsEach).build();
            BatchSource source = augmentation.isNone() ? m.train() : new AugmentedSource(m.train(), augmentation);
            String title = label + " " + name + (members.size() == 1 ? "" : " " + (j + 1) + "/" + members.size())
                    + (settings.augmentations().size() == 1 ? "" : " (" + AugmentationSpecs.text(augmentation) + ")");
            tasks.add(() -> {
                try (TrainingConsole console = new TrainingConsole(title, member.trainSequences(), bars)) {
                    TrainingResult r = new Trainer(member).train(settings.network(), source, m.validation(), console);
                    return new Trained(r, console.history());
                }
            });
        }
        long start = System.nanoTime();
        List<Trained> trained = ParallelTasks.run(tasks, workers, "rankcoding-train");
        double wall = (System.nanoTime() - start) / 1e9;
        List<TrainingResult> results = trained.stream().map(Trained::result).toList();
        List<List<ValidationPoint>> histories = trained.stream().map(Trained::history).toList();
        TrainingResult result = results.size() == 1 ? results.get(0) : combined(results, config, wall);
        List<RankCodingNetwork> networks = results.stream().map(TrainingResult::network).toList();
        List<List<SequenceBatch>> parts = members.stream().map(Member::validation).toList();
        List<Evaluation> evaluations = new ArrayList<>();
        List<DecisionRuleSpec> rules = new ArrayList<>();
        DecisionRuleSpec base = config.decisionRule();
        for (int k : settings.consecutive()) {
            for (double q : settings.schedules()) {
                DecisionRuleSpec r = shaped(base, q).withConsecutive(k);
                evaluations.addAll(settings.folds() > 1
                        ? ThresholdSweep.sweepOutOfFold(networks, parts, r, settings.thresholds(), 1.0, config.threads())
                        : ThresholdSweep.sweep(result.network(), parts.get(0), r, settings.thresholds(), 1.0, config.threads()));
                for (double theta : settings.thresholds()) {
                    rules.add(r.withThreshold(theta));
                }
            }
        }
        ThresholdCalibrator.OperatingPoint point = ThresholdCalibrator.choose(evaluations, settings.goal());
        return new Candidate(result, histories, rules.get(point.index()), point);
    }

    /**
     * {@code base} with a threshold that starts at 0.9 and changes linearly to the value whose log-odds are {@code q}
     * times as large at input step {@link Settings#steps()} (the sweep then moves its start, keeping that ratio); the
     * base itself for {@code q = 1} or series of one input step.
     */
    private DecisionRuleSpec shaped(DecisionRuleSpec base, double q) {
        if (q == 1 || settings.steps() < 2) {
            return base;
        }
        double start = 0.9;
        double end = 1 / (1 + Math.exp(-q * Math.log(start / (1 - start))));
        return new DecisionRuleSpec(ThresholdSchedule.linear(start, end, settings.steps()), base.consecutive(), base.minSteps(),
                base.abstaining(), base.undecided());
    }

    /** A model trained with one candidate augmentation, and its operating point chosen on validation. */
    private record Candidate(TrainingResult result, List<List<ValidationPoint>> histories, DecisionRuleSpec rule,
                             ThresholdCalibrator.OperatingPoint point) {
    }

    /** One trained network and its validations during training. */
    private record Trained(TrainingResult result, List<ValidationPoint> history) {
    }

    /** {@code chosen} with the work and wall time of all of {@code all} (the candidates trained to choose it). */
    private static TrainingResult withWorkOf(TrainingResult chosen, List<TrainingResult> all) {
        Work w = Work.of(all);
        double seconds = all.stream().mapToDouble(TrainingResult::seconds).sum();
        return new TrainingResult(chosen.network(), chosen.config(), w.sequences(), w.batches(), w.forward(), w.backward(),
                seconds, chosen.lastValidation(), chosen.stoppedEarly());
    }

    /**
     * The members' results as one: their ensemble ({@link NetworkEnsemble#averaged}), the work of all of them, no single
     * validation (each member's is in its history), stopped early if any member was, and as wall time {@code wall}, that
     * of training them all (several at once, or one after the other), their validations included.
     */
    private static TrainingResult combined(List<TrainingResult> members, TrainerConfig config, double wall) {
        Work w = Work.of(members);
        boolean stoppedEarly = members.stream().anyMatch(TrainingResult::stoppedEarly);
        List<RankCodingNetwork> networks = members.stream().map(TrainingResult::network).toList();
        return new TrainingResult(NetworkEnsemble.averaged(networks), config, w.sequences(), w.batches(), w.forward(),
                w.backward(), wall, null, stoppedEarly);
    }

    /** The training work of several results added up: sequences, batches and example-steps forward and backward. */
    private record Work(long sequences, long batches, long forward, long backward) {

        static Work of(List<TrainingResult> results) {
            long sequences = 0;
            long batches = 0;
            long forward = 0;
            long backward = 0;
            for (TrainingResult r : results) {
                sequences += r.sequences();
                batches += r.batches();
                forward += r.forwardExampleSteps();
                backward += r.backwardExampleSteps();
            }
            return new Work(sequences, batches, forward, backward);
        }
    }
}
