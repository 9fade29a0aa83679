package io.ecap.lake;

import io.ecap.analytics.fraud.FraudTraining;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The options of {@code ecap lake train-fraud}, checked before Spark starts: the as-of day (not in the future), the
 * model family, the label maturity, the held-out share, the review capacity, the decline rates whose thresholds are
 * reported, the fraud weight and the trees' size. Shares are given in percent on the command line.
 */
record TrainFraudOptions(LocalDate asOf, FraudTraining.Kind kind, int maturityDays, double testShare,
    double reviewShare, List<Double> declineShares, double fraudWeight, int trees, int depth, String champion,
    String promote, String adminKey) {

    static final String OPTIONS = "--as-of --model --maturity-days --test-percent --review-percent "
        + "--decline-percents --fraud-weight --trees --depth --champion --promote --admin-key-file";

    /** The most trees a model may have. */
    static final int MAX_TREES = io.ecap.model.scoring.ModelParser.MAX_TREES;
    /** The longest label maturity. */
    static final int MAX_MATURITY_DAYS = 3650;
    /**
     * The range of {@code --fraud-weight}: beyond it one class outweighs the other so far that the fit ignores it and
     * the model is a constant (measured: 1e300 gave every weight 0).
     */
    static final double MIN_FRAUD_WEIGHT = 0.001;
    static final double MAX_FRAUD_WEIGHT = 1_000_000;
    /** The deepest tree Spark's gradient-boosted trees grow. */
    static final int MAX_DEPTH = io.ecap.model.scoring.ModelParser.MAX_DEPTH;

    static TrainFraudOptions parse(final Map<String, String> options) {
        final String model = options.getOrDefault("--model", "lr").toLowerCase(Locale.ROOT);
        if (!model.equals("lr") && !model.equals("gbt")) {
            throw new IllegalArgumentException("--model: expected lr or gbt, found '" + options.get("--model") + "'");
        }
        if (model.equals("lr") && (options.containsKey("--trees") || options.containsKey("--depth"))) {
            throw new IllegalArgumentException((options.containsKey("--trees") ? "--trees" : "--depth")
                + ": the trees' size is for --model gbt; logistic regression has no trees");
        }
        final long depth = LakeMain.number(options, "--depth", 4, 1);
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("--depth: expected 1 to " + MAX_DEPTH + " (Spark's deepest tree), "
                + "found " + depth);
        }
        final long trees = LakeMain.number(options, "--trees", 50, 1);
        if (trees > MAX_TREES) {
            throw new IllegalArgumentException("--trees: expected 1 to " + MAX_TREES + " (each tree is a Spark pass "
                + "over the examples, and Spark's plan for thousands of them overflows its stack), found " + trees);
        }
        final long maturity = LakeMain.number(options, "--maturity-days", 30, 0);
        if (maturity > MAX_MATURITY_DAYS) {
            throw new IllegalArgumentException("--maturity-days: expected 0 to " + MAX_MATURITY_DAYS + " (ten years), "
                + "found " + maturity);
        }
        if (options.containsKey("--champion") && options.containsKey("--promote")) {
            throw new IllegalArgumentException("--champion and --promote: give one; with --promote the champion is "
                + "the model live in that service");
        }
        if (options.containsKey("--admin-key-file") && !options.containsKey("--promote")) {
            throw new IllegalArgumentException("--admin-key-file: the key is for --promote's service; give --promote "
                + "URL too, or leave the key out");
        }
        final List<Double> declines = new ArrayList<>();
        for (final String part : options.getOrDefault("--decline-percents", "0.5,1,2").split(",", -1)) {
            declines.add(percent("--decline-percents", part.strip(), 100));
        }
        return new TrainFraudOptions(AsOf.notInTheFuture(LakeMain.date(options, "--as-of", null)),
            model.equals("lr") ? FraudTraining.Kind.LR : FraudTraining.Kind.GBT,
            (int) maturity,
            percent("--test-percent", options.getOrDefault("--test-percent", "20"), 90),
            percent("--review-percent", options.getOrDefault("--review-percent", "1"), 100), List.copyOf(declines),
            weight(options.getOrDefault("--fraud-weight", "balanced")),
            (int) trees, (int) depth, champion(options.get("--champion")), promote(options.get("--promote")),
            options.containsKey("--promote") ? adminKey(options.get("--admin-key-file")) : null);
    }

    /** These options, once --promote's service answered and took the key (before any Spark: {@link Promotion}). */
    TrainFraudOptions serviceChecked() {
        if (promote != null) {
            try {
                new Promotion(promote, adminKey).check();
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("--promote: interrupted while reaching " + promote, e);
            }
        }
        return this;
    }

    /** The service to promote to: an http(s) URL, or null. */
    private static String promote(final String url) {
        if (url != null && !url.matches("https?://[^\\s/]+(/.*)?")) {
            throw new IllegalArgumentException("--promote: expected the service's URL, http://HOST:PORT, found '" + url
                + "'");
        }
        return url;
    }

    /** The admin key for --promote: ECAP_ADMIN_KEY, or the first line of --admin-key-file. */
    private static String adminKey(final String file) {
        return adminKey(file, "--promote");
    }

    /** The admin key a job sends to the service: ECAP_ADMIN_KEY, or the first line of --admin-key-file. */
    static String adminKey(final String file, final String what) {
        final String key;
        if (file != null) {
            try {
                key = java.nio.file.Files.readAllLines(java.nio.file.Path.of(file)).stream().findFirst().orElse("")
                    .strip();
            } catch (final java.io.IOException e) {
                throw new IllegalArgumentException("--admin-key-file: cannot read " + file + ": " + e.getMessage());
            }
        } else {
            key = System.getenv().getOrDefault("ECAP_ADMIN_KEY", "").strip();
        }
        if (key.isEmpty()) {
            throw new IllegalArgumentException(what + ": an admin key is needed: set ECAP_ADMIN_KEY, or give "
                + "--admin-key-file FILE (never the key itself on the command line)");
        }
        return key;
    }

    /** The champion model file's text (read before Spark starts), or null. */
    private static String champion(final String file) {
        if (file == null) {
            return null;
        }
        try {
            final String text = io.ecap.model.scoring.ConfigText.read(java.nio.file.Path.of(file));
            if (text.isBlank()) {
                throw new IllegalArgumentException("--champion: " + file + " is empty");
            }
            io.ecap.analytics.fraud.ChampionCheck.parse(text, new ArrayList<>());
            return text;
        } catch (final java.io.IOException e) {
            throw new IllegalArgumentException("--champion: cannot read " + file + ": " + e.getMessage());
        } catch (final io.ecap.model.scoring.ModelException e) {
            throw new IllegalArgumentException("--champion: " + file + " is not a model file: " + e.getMessage());
        }
    }

    /** A percentage above 0 and at most {@code max}, as a share. */
    private static double percent(final String option, final String value, final double max) {
        try {
            final double p = Double.parseDouble(value);
            if (p > 0 && p <= max) {
                return p / 100;
            }
        } catch (final NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(option + ": expected a percentage above 0 and at most " + (int) max
            + ", found '" + value + "'");
    }

    /** {@code balanced} (NaN: legitimate over fraud examples) or a positive number. */
    private static double weight(final String value) {
        if (value.equals("balanced")) {
            return Double.NaN;
        }
        try {
            final double w = Double.parseDouble(value);
            if (w >= MIN_FRAUD_WEIGHT && w <= MAX_FRAUD_WEIGHT) {
                return w;
            }
        } catch (final NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--fraud-weight: expected balanced or a number from " + MIN_FRAUD_WEIGHT
            + " to " + (long) MAX_FRAUD_WEIGHT + " (how much one fraud example counts against one legitimate one), "
            + "found '" + value + "'");
    }

    FraudTraining.Settings settings() {
        return new FraudTraining.Settings(kind, testShare, fraudWeight, trees, depth, 42L);
    }
}
