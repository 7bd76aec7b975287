package org.rankcoding.examples.cli;

import org.rankcoding.data.Augmentation;
import org.rankcoding.data.AugmentedSource;
import org.rankcoding.data.BatchSource;
import org.rankcoding.data.InMemorySequences;
import org.rankcoding.data.LabeledSequence;
import org.rankcoding.data.SequenceBatch;
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
import org.rankcoding.train.Trainer;
import org.rankcoding.train.TrainerConfig;
import org.rankcoding.train.TrainingResult;

import java.util.ArrayList;
import java.util.List;

/**
 * One run of {@code early-classify} for one seed: a stratified validation split of the training file (by the seed), an
 * RC model and an EOS model trained with the same budget on the rest (weights and order by the seed; each model a single
 * network or an ensemble of several averaged into one), an operating point
 * chosen for each on the validation split ({@link ThresholdCalibrator}, over every swept threshold and consecutive count),
 * and the test set evaluated once per model at its point, plus each model's accuracy-vs-earliness curve on the test set
 * for the report.
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
     * @param ensemble           networks trained per model (seeds {@code seed + j * MEMBER_SEED_STRIDE}) and averaged into
     *                           one ({@link NetworkEnsemble#averaged}); 1 for a single network
     * @param augmentation       what is done to training batches ({@link Augmentation#NONE} for nothing)
     * @param thresholds         the thresholds of the operating-point grid
     * @param consecutive        the consecutive counts of the operating-point grid
     * @param goal               what the operating point optimises on the validation split
     * @param bars               whether to draw progress bars
     */
    record Settings(NetworkConfig network, TrainerConfig base, double eosPrefixLoss, int epochs, double validationFraction, int ensemble,
                    Augmentation augmentation,
                    double[] thresholds, int[] consecutive, OperatingGoal goal, boolean bars) {
    }

    /** Both models of one seed. */
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

    /** Runs the whole pipeline with {@code seed}: split, both models' training, calibration and test. */
    SeedOutcome run(long seed) {
        int classes = settings.network().numClasses();
        StratifiedSplit split = StratifiedSplit.of(training, settings.validationFraction(), seed);
        InMemorySequences train = split.trainSet(classes);
        List<SequenceBatch> validation = split.validationSet(classes).batches(EVAL_BATCH);
        TrainerConfig config = settings.base().toBuilder().seed(seed).trainSequences((long) settings.epochs() * train.size())
                .validateEverySequences(train.size()).build();
        EarlyModelOutcome rc = model("RC", config.toBuilder().lossMode(LossMode.RANK_CODING).build(), train, validation);
        EarlyModelOutcome eos = model("EOS", config.toBuilder().lossMode(LossMode.END_OF_SEQUENCE).beta(0)
                .prefixLossWeight(settings.eosPrefixLoss()).build(), train, validation);
        return new SeedOutcome(seed, train.size(), split.validation().size(), rc, eos);
    }

    private EarlyModelOutcome model(String name, TrainerConfig config, InMemorySequences train, List<SequenceBatch> validation) {
        BatchSource source = settings.augmentation().isNone() ? train : new AugmentedSource(train, settings.augmentation());
        List<TrainingResult> members = new ArrayList<>();
        List<List<ValidationPoint>> histories = new ArrayList<>();
        for (int j = 0; j < settings.ensemble(); j++) {
            TrainerConfig member = config.toBuilder().seed(config.seed() + j * MEMBER_SEED_STRIDE).build();
            String title = label + " " + name + (settings.ensemble() == 1 ? "" : " " + (j + 1) + "/" + settings.ensemble());
            try (TrainingConsole console = new TrainingConsole(title, member.trainSequences(), settings.bars())) {
                members.add(new Trainer(member).train(settings.network(), source, validation, console));
                histories.add(console.history());
            }
        }
        TrainingResult result = members.size() == 1 ? members.get(0) : combined(members, config);
        List<Evaluation> candidates = new ArrayList<>();
        List<DecisionRuleSpec> rules = new ArrayList<>();
        DecisionRuleSpec base = config.decisionRule();
        for (int k : settings.consecutive()) {
            DecisionRuleSpec r = base.withConsecutive(k);
            candidates.addAll(ThresholdSweep.sweep(result.network(), validation, r, settings.thresholds(), 1.0, config.threads()));
            for (double theta : settings.thresholds()) {
                rules.add(r.withThreshold(theta));
            }
        }
        ThresholdCalibrator.OperatingPoint point = ThresholdCalibrator.choose(candidates, settings.goal());
        DecisionRuleSpec chosen = rules.get(point.index());
        TimedEvaluation tested = TimedEvaluation.of(result.network(), test, chosen, 1.0, config.threads(), rows -> { });
        DecisionRuleSpec curveRule = base.withConsecutive(chosen.consecutive());
        List<Evaluation> curve = ThresholdSweep.sweep(result.network(), test, curveRule, settings.thresholds(), 1.0,
                config.threads());
        return new EarlyModelOutcome(name, result, histories, chosen, point.validation(), point.goalMet(), tested.evaluation(),
                tested.earlyExitSteps(), curve);
    }

    /**
     * The members' results as one: their ensemble ({@link NetworkEnsemble#averaged}), the work and wall time of all of
     * them, no single validation (each member's is in its history), stopped early if any member was.
     */
    private static TrainingResult combined(List<TrainingResult> members, TrainerConfig config) {
        long sequences = 0;
        long batches = 0;
        long forward = 0;
        long backward = 0;
        double seconds = 0;
        boolean stoppedEarly = false;
        List<RankCodingNetwork> networks = new ArrayList<>();
        for (TrainingResult m : members) {
            sequences += m.sequences();
            batches += m.batches();
            forward += m.forwardExampleSteps();
            backward += m.backwardExampleSteps();
            seconds += m.seconds();
            stoppedEarly |= m.stoppedEarly();
            networks.add(m.network());
        }
        return new TrainingResult(NetworkEnsemble.averaged(networks), config, sequences, batches, forward, backward, seconds,
                null, stoppedEarly);
    }
}
