package org.rankcoding.examples.cli;

import org.rankcoding.audio.spotter.KeywordEnsemble;
import org.rankcoding.audio.spotter.KeywordModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code keyword-ensemble}: writes one keyword model whose logits at every frame are the mean of several keyword models'
 * logits ({@link KeywordEnsemble}), e.g. the same recipe trained with other seeds; {@code keyword-detect},
 * {@code keyword-stream} and {@code keyword-evaluate} read it like any model.
 */
@Command(name = KeywordEnsembleCommand.NAME, mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Averages keyword models trained apart (keyword-spotting --save-model, e.g. other seeds) into one model "
                + "whose logits are the mean of theirs at every frame, for keyword-detect, keyword-stream and keyword-evaluate."})
public final class KeywordEnsembleCommand implements Callable<Integer> {

    /** The subcommand's name. */
    public static final String NAME = "keyword-ensemble";

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "FILE",
            description = "A member: a model file written by keyword-spotting --save-model; give two or more. The members must "
                    + "share words, front end, feature statistics (the same training data), decision rule and network shape.")
    List<Path> models;

    @Option(names = "--save-model", required = true, paramLabel = "FILE",
            description = "Where to write the ensemble (the model format of keyword-spotting --save-model; written atomically).")
    Path saveModel;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (models.size() < 2) {
            throw new ParameterException(spec.commandLine(), "--model given " + models.size() + " time, expected two or more members");
        }
        Optional<List<KeywordModel>> read = KeywordModelLoader.loadAll(NAME, models, err);
        if (read.isEmpty()) {
            return 1;
        }
        List<KeywordModel> members = read.get();
        KeywordModel ensemble;
        try {
            ensemble = KeywordEnsemble.averaged(members);
        } catch (IllegalArgumentException e) {
            err.println(NAME + ": " + e.getMessage());
            err.flush();
            return 1;
        }
        try {
            KeywordModel.save(ensemble.model().network(), ensemble.model().decisionRule(), ensemble.words(), ensemble.frontEnd(),
                    ensemble.normalizer(), saveModel);
        } catch (IOException e) {
            err.println(NAME + ": " + CliErrors.describe(saveModel, e));
            err.flush();
            return 1;
        }
        out.printf("%s: %d models of hidden %d averaged into %s (hidden %d, %,d parameters; %d words, decision rule %s)%n", NAME,
                members.size(), members.get(0).model().config().hiddenSize(), saveModel, ensemble.model().config().hiddenSize(),
                ensemble.model().network().parameters().count(), ensemble.words().size(), ensemble.model().decisionRule());
        out.flush();
        return 0;
    }
}
