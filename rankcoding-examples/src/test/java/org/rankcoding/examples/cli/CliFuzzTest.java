package org.rankcoding.examples.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankcoding.examples.CliRun;
import org.rankcoding.examples.UcrData;
import org.rankcoding.examples.kws.ToneDataset;
import org.rankcoding.testing.Slow;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Random option values against every subcommand, from a fixed seed: numbers out of range, negative, 0, NaN, infinite,
 * huge and non-numeric; lists with bad members; paths that are a regular file, a directory or missing. Each run is kept
 * tiny by the base options of its command (or fails in validation before any work). Every run must end with exit
 * code 0, 1 or 2; a refused run with at most four lines on standard error, the first a message without a stack trace,
 * no stack trace at all, and none of its outputs written (an output file that existed keeps its content). A case
 * giving an absurd real value (NaN, infinite, 1e10, 1e308) to any option must be refused as a usage error.
 * {@code target/cli-fuzz-cases.txt} lists every case with its exit code and first line of error.
 */
@Slow
class CliFuzzTest {

    private static final long SEED = 15;
    /** Values drawn for each option, besides the random pairs. */
    private static final int DRAWS_PER_OPTION = 3;
    /** Cases with two options changed at once, per command. */
    private static final int PAIRS_PER_COMMAND = 6;

    /** The kinds of option values, each with its pool of bad (or odd) values. */
    enum Kind {
        /** An int that sizes something cheap or is checked before use: huge values too. */
        INT("-1", "0", "NaN", "abc", "1.5", "", "99999999999", "2147483647", "-2147483648", "1000"),
        /**
         * An int or long that sizes the work (sequences, epochs, batches, threads of work) or the memory (hidden size,
         * layers, batch): no huge values, which would be valid and run for hours, or need a memory estimate up front
         * (not this check's: the network's memory estimate is the bounds' check).
         */
        BUDGET("-1", "0", "NaN", "abc", "1.5", "", "1e3", "99999999999999999999"),
        /** A long of any value (seeds). */
        ANY_LONG("-1", "abc", "NaN", "1.5", "", "99999999999999999999"),
        /** A double. */
        REAL("-1", "0", "NaN", "Infinity", "-Infinity", "1e308", "abc", "", "-0.0", "1e10"),
        /** A list of doubles. */
        REALS("", ",", "NaN", "0.9,abc", "2", "-1", "0.9,0.9", "1e308", "0.5", "1", "0.7,,0.8"),
        /** An enum or a named choice. */
        CHOICE("FOO", "", "constant", "1"),
        /** A list of words. */
        WORDS("low,low", ",", "", "low,,mid", "../etc", "low", "nope", "low,low,mid"),
        /** An input directory. */
        IN_DIR("@file", "@missing", "@emptydir", ""),
        /** An input file. */
        IN_FILE("@dir", "@missing", "@file", "@emptyfile", ""),
        /** An output file. */
        OUT_FILE("@dir", "@existing", "@nested"),
        /** An output directory. */
        OUT_DIR("@existing", "@nested", "@dir"),
        /** A flag: given or not. */
        FLAG("");

        final String[] values;

        Kind(String... values) {
            this.values = values;
        }
    }

    /**
     * Values that no option but a seed accepts (every numeric option declares a finite range, {@link Range}, and none
     * goes beyond 1e6 for a real number): a case
     * that gives one of them to any other option must be refused as a usage error (exit code 2), never run.
     */
    private static final Set<String> ABSURD = Set.of("1e308", "1e10", "Infinity", "-Infinity", "NaN");

    /** An option of a command and the kind of its values. */
    record Opt(String name, Kind kind) {
    }

    /** A subcommand, the options that keep its runs tiny, and its options to vary. */
    record Command(String[] prefix, String[] base, List<Opt> options) {
        String name() {
            return String.join(" ", prefix);
        }
    }

    @TempDir
    static Path tmp;
    static Path kws;
    static Path model;
    static Path wav;
    static Path regularFile;
    static Path emptyDir;
    static Path emptyFile;
    static Path ucr;

    @BeforeAll
    static void data() throws IOException {
        System.setProperty("java.awt.headless", "true");
        kws = tmp.resolve("kws");
        ToneDataset.write(kws, 4, 4, 7);
        regularFile = Files.writeString(tmp.resolve("not-data.txt"), "not data\n");
        emptyDir = Files.createDirectories(tmp.resolve("empty"));
        emptyFile = Files.createFile(tmp.resolve("empty.bin"));
        ucr = UcrData.writeSynthetic(tmp, "Ramps", 6, 4, 10);
        model = tmp.resolve("kws.safetensors");
        CliRun trained = CliRun.of("keyword-spotting", "--data", kws.toString(), "--words", "low,mid,high", "--epochs", "1", "--hidden", "2",
                "--eval-thresholds", "0.9", "--no-progress", "--no-plots", "--save-model", model.toString());
        assertEquals(0, trained.code(), trained.err());
        wav = Files.write(tmp.resolve("clip.wav"), ToneDataset.wav(ToneDataset.tone(1200, 200, 500, new SplittableRandom(1))));
    }

    private static List<Opt> training(Kind... extra) {
        List<Opt> o = new ArrayList<>(List.of(new Opt("--hidden", Kind.BUDGET), new Opt("--layers", Kind.BUDGET),
                new Opt("--lr-schedule", Kind.CHOICE), new Opt("--step-warmup", Kind.INT), new Opt("--threshold", Kind.REAL),
                new Opt("--beta", Kind.REAL), new Opt("--seed", Kind.ANY_LONG), new Opt("--horizon", Kind.INT),
                new Opt("--clip", Kind.REAL), new Opt("--threads", Kind.BUDGET), new Opt("--checkpoint-dir", Kind.IN_DIR),
                new Opt("--checkpoint-every", Kind.INT), new Opt("--checkpoint-every-sequences", Kind.INT),
                new Opt("--checkpoint-keep", Kind.INT), new Opt("--resume", Kind.FLAG), new Opt("--batch", Kind.BUDGET),
                new Opt("--lr", Kind.REAL), new Opt("--json", Kind.OUT_FILE), new Opt("--plots", Kind.OUT_DIR),
                new Opt("--weight-decay", Kind.REAL), new Opt("--dropout", Kind.REAL), new Opt("--input-dropout", Kind.REAL),
                new Opt("--patience", Kind.INT), new Opt("--stopping-metric", Kind.CHOICE)));
        return o;
    }

    private static List<Opt> toy(Opt... own) {
        List<Opt> o = training();
        o.addAll(List.of(new Opt("--train-sequences", Kind.BUDGET), new Opt("--test-sequences", Kind.BUDGET),
                new Opt("--validation-sequences", Kind.BUDGET), new Opt("--validate-every", Kind.INT), new Opt("--length", Kind.BUDGET)));
        o.addAll(List.of(own));
        return o;
    }

    private static final String[] TOY_BASE = {"--train-sequences", "256", "--test-sequences", "40", "--validation-sequences", "0",
            "--hidden", "2", "--length", "12", "--no-progress", "--no-plots", "--json", "@out/result.json"};

    private static List<Command> commands() {
        List<Opt> mnist = training();
        mnist.addAll(List.of(new Opt("--data", Kind.IN_DIR), new Opt("--bins", Kind.INT), new Opt("--epochs", Kind.BUDGET),
                new Opt("--train-limit", Kind.BUDGET), new Opt("--test-limit", Kind.BUDGET), new Opt("--validation-limit", Kind.BUDGET),
                new Opt("--head", Kind.CHOICE), new Opt("--eos", Kind.FLAG), new Opt("--dense-input", Kind.FLAG),
                new Opt("--spike-coding", Kind.CHOICE), new Opt("--conv-channels", Kind.BUDGET), new Opt("--conv-channels2", Kind.BUDGET),
                new Opt("--conv-kernel", Kind.INT), new Opt("--conv-pool", Kind.INT), new Opt("--conv-integrate", Kind.FLAG),
                new Opt("--shift", Kind.INT), new Opt("--elastic-alpha", Kind.REAL), new Opt("--elastic-sigma", Kind.REAL),
                new Opt("--eval-thresholds", Kind.REALS), new Opt("--save-model", Kind.OUT_FILE), new Opt("--plot-digit", Kind.INT)));
        List<Opt> spotting = training();
        spotting.addAll(List.of(new Opt("--data", Kind.IN_DIR), new Opt("--words", Kind.WORDS), new Opt("--mels", Kind.INT),
                new Opt("--epochs", Kind.BUDGET), new Opt("--eval-thresholds", Kind.REALS), new Opt("--save-model", Kind.OUT_FILE)));
        List<Opt> sweep = List.of(new Opt("--betas", Kind.REALS), new Opt("--thetas", Kind.REALS), new Opt("--eval-thresholds", Kind.REALS),
                new Opt("--csv", Kind.OUT_FILE), new Opt("--raster-rows", Kind.INT));
        List<Opt> benchShared = List.of(new Opt("--hidden", Kind.BUDGET), new Opt("--batch", Kind.BUDGET), new Opt("--threads", Kind.BUDGET),
                new Opt("--lr", Kind.REAL), new Opt("--seed", Kind.ANY_LONG), new Opt("--repetitions", Kind.BUDGET),
                new Opt("--json", Kind.OUT_FILE));
        List<Opt> bench = new ArrayList<>(benchShared);
        bench.addAll(List.of(new Opt("--threshold", Kind.REAL), new Opt("--train-sequences", Kind.BUDGET),
                new Opt("--test-sequences", Kind.BUDGET), new Opt("--bench-batches", Kind.BUDGET), new Opt("--warmup-batches", Kind.BUDGET),
                new Opt("--stream-sequences", Kind.BUDGET), new Opt("--kernel-seconds", Kind.REAL), new Opt("--gemm-size", Kind.BUDGET)));
        List<Opt> frontEnd = new ArrayList<>(benchShared);
        frontEnd.addAll(List.of(new Opt("--data", Kind.IN_DIR), new Opt("--layers", Kind.BUDGET), new Opt("--channels", Kind.BUDGET),
                new Opt("--channels2", Kind.BUDGET), new Opt("--steps", Kind.INT), new Opt("--batches", Kind.BUDGET),
                new Opt("--warmup", Kind.BUDGET), new Opt("--integrate", Kind.FLAG)));
        List<Opt> kwsBench = new ArrayList<>(benchShared);
        kwsBench.addAll(List.of(new Opt("--mels", Kind.INT), new Opt("--steps", Kind.INT), new Opt("--classes", Kind.INT),
                new Opt("--threshold", Kind.REAL), new Opt("--batches", Kind.BUDGET), new Opt("--warmup", Kind.BUDGET)));
        List<Opt> early = training();
        early.addAll(List.of(new Opt("--data", Kind.IN_DIR), new Opt("--normalisation", Kind.CHOICE), new Opt("--epochs", Kind.BUDGET),
                new Opt("--seeds", Kind.BUDGET), new Opt("--goal", Kind.CHOICE), new Opt("--eval-thresholds", Kind.REALS),
                new Opt("--eval-consecutive", Kind.REALS), new Opt("--steps-per-input", Kind.INT),
                new Opt("--validation-fraction", Kind.REAL), new Opt("--jitter", Kind.REAL), new Opt("--scaling", Kind.REAL),
                new Opt("--warp-window", Kind.REAL), new Opt("--warp-factor", Kind.REAL), new Opt("--folds", Kind.INT),
                new Opt("--ensemble", Kind.INT), new Opt("--slice", Kind.REAL), new Opt("--crop", Kind.REAL), new Opt("--augmentations", Kind.CHOICE), new Opt("--eval-schedules", Kind.REALS)));
        String[] sweepTask = concat(new String[] {"noise-vs-signal", "--train-sequences", "256", "--test-sequences", "40", "--validation-sequences", "0",
                "--hidden", "2", "--length", "12", "--no-progress", "--no-plots", "--json", "@out/sweep.json"});
        return List.of(
                new Command(new String[] {"noise-vs-signal"}, TOY_BASE, toy(new Opt("--mean", Kind.REAL), new Opt("--sigma-min", Kind.REAL),
                        new Opt("--sigma-max", Kind.REAL), new Opt("--change-point", Kind.INT))),
                new Command(new String[] {"sequence-of-five"}, TOY_BASE, toy(new Opt("--run-length", Kind.INT),
                        new Opt("--bit-probability", Kind.REAL))),
                // the CLI's MNIST loader wants the real sizes: with an empty --data every valid case ends in a data error
                new Command(new String[] {"temporal-mnist"}, new String[] {"--data", "@empty", "--epochs", "1", "--hidden", "2",
                        "--no-progress", "--no-plots", "--json", "@out/result.json"}, mnist),
                new Command(new String[] {"keyword-spotting"}, new String[] {"--data", "@kws", "--words", "low,mid,high", "--epochs", "1",
                        "--hidden", "2", "--eval-thresholds", "0.9", "--no-progress", "--no-plots", "--json", "@out/result.json"}, spotting),
                new Command(new String[] {"early-classify"}, new String[] {"--data", "@ucr", "--epochs", "1", "--hidden", "2",
                        "--no-progress", "--no-plots", "--json", "@out/result.json"}, early),
                new Command(new String[] {"keyword-stream"}, new String[] {"--model", "@model", "@wav"},
                        List.of(new Opt("--model", Kind.IN_FILE), new Opt("--threshold", Kind.REAL), new Opt("", Kind.IN_FILE))),
                // the sweep's options come before the task's name and options, which the base ends with
                new Command(new String[] {"sweep"}, concat(new String[] {"--betas", "0", "--eval-thresholds", "0.9", "--csv",
                        "@out/sweep.csv"}, sweepTask), sweep),
                new Command(new String[] {"bench"}, new String[] {"--train-sequences", "256", "--test-sequences", "40", "--bench-batches", "1",
                        "--warmup-batches", "0", "--stream-sequences", "4", "--kernel-seconds", "0.001", "--gemm-size", "8",
                        "--repetitions", "1", "--hidden", "2", "--batch", "16", "--json", "@out/bench.json"}, bench),
                new Command(new String[] {"bench-frontend"}, new String[] {"--data", "@empty", "--hidden", "2", "--batch", "4",
                        "--repetitions", "1", "--batches", "1", "--warmup", "0", "--json", "@out/bench.json"}, frontEnd),
                new Command(new String[] {"bench-kws"}, new String[] {"--hidden", "2", "--mels", "3", "--steps", "4", "--batch", "4",
                        "--repetitions", "1", "--batches", "1", "--warmup", "0", "--json", "@out/bench.json"}, kwsBench));
    }

    private static String[] concat(String[]... parts) {
        return Arrays.stream(parts).flatMap(Arrays::stream).toArray(String[]::new);
    }

    /**
     * Values left out, each for a check that is not the CLI's messages: they would hang the test or run out of memory
     * instead of failing. Empty once the checks exist.
     */
    private static boolean excluded(Opt option, String value) {
        return false; // every case is drawn: outputs are checked before the work (OutputPlan)
    }

    @Test
    void everySubcommandRefusesBadValuesCleanly() throws IOException {
        SplittableRandom rng = new SplittableRandom(SEED);
        int cases = 0;
        int accepted = 0;
        List<String> failures = new ArrayList<>();
        List<String> log = new ArrayList<>();
        for (Command c : commands()) {
            List<List<String[]>> perCase = new ArrayList<>();
            for (Opt o : c.options()) {
                for (int k = 0; k < Math.min(DRAWS_PER_OPTION, o.kind().values.length); k++) {
                    perCase.add(List.<String[]>of(new String[] {o.name(), draw(o, rng)}));
                }
            }
            for (int k = 0; k < PAIRS_PER_COMMAND; k++) {
                Opt a = c.options().get(rng.nextInt(c.options().size()));
                Opt b = c.options().get(rng.nextInt(c.options().size()));
                perCase.add(List.of(new String[] {a.name(), draw(a, rng)}, new String[] {b.name(), draw(b, rng)}));
            }
            for (List<String[]> changes : perCase) {
                Path dir = Files.createDirectories(tmp.resolve("case-" + cases));
                String[] args = args(c, changes, dir);
                cases++;
                long start = System.nanoTime();
                CliRun r = CliRun.of(args);
                double seconds = (System.nanoTime() - start) / 1e9;
                String problem = problem(r, dir);
                boolean absurd = changes.stream().anyMatch(ch -> ABSURD.contains(ch[1]) && !ch[0].equals("--seed"));
                if (problem == null && absurd && r.code() != 2) {
                    problem = "an absurd value ended with exit code " + r.code() + " instead of a refusal (2)";
                }
                log.add(String.format(java.util.Locale.ROOT, "%d %5.1fs %s%n    %s", r.code(), seconds, String.join(" ", args).replace(tmp + "/", ""),
                        r.code() == 0 ? "" : r.err().strip().lines().findFirst().orElse("").replace(tmp + "/", "")));
                if (r.code() == 0) {
                    accepted++;
                }
                if (problem != null) {
                    failures.add(String.join(" ", args) + "\n  -> exit " + r.code() + ": " + problem + "\n" + r.err().lines().limit(6)
                            .map(l -> "     " + l).reduce("", (x, y) -> x + y + "\n"));
                }
                if (seconds > 20) {
                    failures.add(String.join(" ", args) + "\n  -> took " + Math.round(seconds) + " s");
                }
            }
        }
        Files.write(Path.of("target/cli-fuzz-cases.txt"), log);
        System.out.printf("CLI fuzz: %d cases, %d accepted (exit 0), %d refused, %d problems%n", cases, accepted, cases - accepted,
                failures.size());
        if (!failures.isEmpty()) {
            fail(failures.size() + " of " + cases + " cases misbehaved:\n" + String.join("\n", failures));
        }
        assertTrue(cases > 200, "cases: " + cases);
    }

    private static String draw(Opt o, SplittableRandom rng) {
        String[] pool = o.kind().values;
        String value;
        do {
            value = pool[rng.nextInt(pool.length)];
        } while (excluded(o, value));
        return value;
    }

    /** The command line of a case: the command's base with each changed option's value replaced or added. */
    private static String[] args(Command c, List<String[]> changes, Path dir) throws IOException {
        List<String> base = new ArrayList<>(Arrays.asList(c.base()));
        List<String> positional = new ArrayList<>();
        for (String[] change : changes) {
            String name = change[0];
            String value = resolve(change[1], name, dir);
            boolean flag = isFlag(c, name);
            if (name.isEmpty()) {
                positional.add(value);
                base.remove("@wav");
                continue;
            }
            if (name.equals("--plots")) {
                base.remove("--no-plots");
            }
            int at = base.indexOf(name);
            if (flag) {
                if (at < 0) {
                    base.add(0, name);
                }
            } else if (at >= 0 && at + 1 < base.size()) {
                base.set(at + 1, value);
            } else {
                base.add(0, value);
                base.add(0, name);
            }
        }
        List<String> all = new ArrayList<>(Arrays.asList(c.prefix()));
        for (String a : base) {
            all.add(resolve(a, "", dir));
        }
        all.addAll(positional);
        return all.toArray(new String[0]);
    }

    private static boolean isFlag(Command c, String name) {
        return c.options().stream().anyMatch(o -> o.name().equals(name) && o.kind() == Kind.FLAG);
    }

    /** A placeholder's path: {@code @out/...} in the case's output directory, the fixtures, the kinds of bad paths. */
    private static String resolve(String value, String option, Path dir) throws IOException {
        if (!value.startsWith("@")) {
            return value;
        }
        String file = option.replaceFirst("^-+", "") + ".out";
        return switch (value) {
            case "@kws" -> kws.toString();
            case "@ucr" -> ucr.toString();
            case "@model" -> model.toString();
            case "@wav" -> wav.toString();
            case "@empty", "@emptydir" -> emptyDir.toString();
            case "@file" -> regularFile.toString();
            case "@emptyfile" -> emptyFile.toString();
            case "@missing" -> dir.resolve("missing/nothing").toString();
            case "@dir" -> Files.createDirectories(dir.resolve("out/" + file + ".d")).toString();
            case "@existing" -> Files.writeString(Files.createDirectories(dir.resolve("out")).resolve("existing-" + file), "keep\n").toString();
            case "@nested" -> dir.resolve("out/a/b/" + file).toString();
            default -> {
                if (value.startsWith("@out/")) {
                    yield dir.resolve(value.substring(1)).toString();
                }
                throw new IllegalArgumentException(value);
            }
        };
    }

    /** What is wrong with a case's run, or null. */
    private static String problem(CliRun r, Path dir) throws IOException {
        if (!Set.of(0, 1, 2).contains(r.code())) {
            return "exit code " + r.code();
        }
        if (r.code() == 0) {
            return null;
        }
        List<String> lines = r.err().strip().lines().toList();
        if (lines.isEmpty() || lines.get(0).isBlank()) {
            return "no message";
        }
        if (lines.get(0).contains("Exception") || lines.stream().anyMatch(l -> l.startsWith("\tat "))) {
            return "a stack trace";
        }
        if (lines.size() > 4) {
            return lines.size() + " lines on standard error";
        }
        Path out = dir.resolve("out");
        if (Files.exists(out)) {
            try (Stream<Path> files = Files.walk(out)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    boolean kept = f.getFileName().toString().startsWith("existing-") && Files.readString(f).equals("keep\n");
                    if (!kept) {
                        return "refused, but wrote " + dir.relativize(f);
                    }
                }
            }
        }
        return null;
    }
}
