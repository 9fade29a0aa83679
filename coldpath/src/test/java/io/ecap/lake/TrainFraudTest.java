package io.ecap.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ecap.analytics.fraud.FraudExamples;
import io.ecap.analytics.fraud.FraudTraining;
import io.ecap.analytics.fraud.ModelExport;
import io.ecap.analytics.fraud.ModelParity;
import io.ecap.model.scoring.Model;
import io.ecap.model.scoring.ModelParser;
import io.ecap.model.scoring.TreeEnsembleModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.ml.classification.GBTClassificationModel;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import io.ecap.lake.LakeMainTest.Outcome;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ecap lake train-fraud} on a generated silver layer (seeded: fraud with larger amounts, bursts of card use,
 * unusual amounts for the customer and new devices; a missing z-score or device in some rows; chargebacks 20 days
 * after the fraud, some analyst verdicts, unlabelled declines): both model families beat a random score on the
 * held-out weeks, the exported files parse in the engine's parser and score as Spark does, the registry lists them,
 * and the label rules and usage errors hold.
 */
class TrainFraudTest {
    private static final long SEED = 20_261_203L;
    private static final LocalDate FIRST = LocalDate.of(2026, 1, 1);
    private static final LocalDate AS_OF = LocalDate.of(2026, 6, 30);
    private static final List<String> FEATURES = List.of("txn.amount_usd", "card.count_1h",
        "customer.amount_zscore", "device.is_new", "txn.channel", "txn.hour_utc", "merchant.count_7d");
    private static final StructType TRANSACTIONS = (StructType) DataType.fromDDL("txn_id STRING, decision STRING, "
        + "features MAP<STRING, DOUBLE>, event_ts TIMESTAMP, event_date DATE");
    private static final StructType LABELS = (StructType) DataType.fromDDL("txn_id STRING, label STRING, "
        + "source STRING, event_ts TIMESTAMP, event_date DATE");

    @TempDir
    Path dir;

    /** {@code ecap lake train-fraud --lake LAKE OPTIONS...}. */
    private static Outcome train(final Lake lake, final String... options) throws Exception {
        final List<String> args = new ArrayList<>(List.of("train-fraud", "--lake", lake.root()));
        args.addAll(List.of(options));
        return LakeMainTest.exec(args.toArray(new String[0]));
    }

    private static Row txn(final String id, final String decision, final Map<String, Double> features,
        final Instant ts) {
        return RowFactory.create(id, decision, features, Timestamp.from(ts),
            Date.valueOf(ts.atZone(ZoneOffset.UTC).toLocalDate()));
    }

    private static Row label(final String id, final String label, final String source, final Instant ts) {
        return RowFactory.create(id, label, source, Timestamp.from(ts),
            Date.valueOf(ts.atZone(ZoneOffset.UTC).toLocalDate()));
    }

    /** {@code count} transactions from {@link #FIRST} over {@code days}, about 4% fraud, and their labels. */
    private static Lake generated(final SparkSession spark, final Path root, final int count, final int days,
        final boolean withLabels) {
        final Random random = new Random(SEED);
        final List<Row> txns = new ArrayList<>();
        final List<Row> labels = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            final boolean fraud = random.nextDouble() < 0.04;
            final Instant ts = FIRST.atStartOfDay(ZoneOffset.UTC).toInstant()
                .plusSeconds((long) (random.nextDouble() * days * 86_400));
            final Map<String, Double> f = new HashMap<>();
            f.put("txn.amount_usd", Math.exp(random.nextGaussian() + (fraud ? 4.6 : 3.5)));
            f.put("card.count_1h", 1.0 + (fraud ? random.nextInt(6) : random.nextDouble() < 0.1 ? 1 : 0));
            f.put("customer.amount_zscore", random.nextDouble() < 0.3 ? null
                : random.nextGaussian() * (fraud ? 1.2 : 1) + (fraud ? 2.0 : 0));
            f.put("device.is_new", random.nextDouble() < 0.2 ? null
                : random.nextDouble() < (fraud ? 0.6 : 0.1) ? 1.0 : 0.0);
            f.put("txn.channel", (double) random.nextInt(3));
            f.put("txn.hour_utc", (double) random.nextInt(24));
            f.put("merchant.count_7d", 5.0);
            final String id = "t-" + i;
            final boolean declined = random.nextDouble() < 0.02;
            txns.add(txn(id, declined ? "DECLINE" : "APPROVE", f, ts));
            if (fraud && !declined) {
                labels.add(label(id, "FRAUD", "CHARGEBACK", ts.plusSeconds(20 * 86_400)));
            } else if (random.nextDouble() < 0.05) {
                labels.add(label(id, fraud ? "FRAUD" : "LEGIT", "ANALYST", ts.plusSeconds(3_600)));
            }
        }
        final Lake lake = new Lake(root.resolve("lake").toString());
        spark.createDataFrame(txns, TRANSACTIONS).write().format("delta").save(lake.silver("transactions"));
        if (withLabels) {
            spark.createDataFrame(labels, LABELS).write().format("delta").save(lake.silver("labels"));
        }
        return lake;
    }

    @Test
    void shouldTrainModelsThatBeatRandomScoreAndListThemInTheRegistry() throws Exception {
        final Lake lake = generated(Lake.session("train-fraud-test"), dir, 6000, 150, true);
        final Outcome lr = train(lake, "--as-of", AS_OF.toString());
        assertEquals(0, lr.code(), lr.err() + lr.out());
        System.out.print(lr.out());
        assertTrue(lr.out().contains("fraud-lr@2026-06-30.1 in " + lake.root() + "/models/fraud-lr/2026-06-30.1.model"),
            lr.out());
        final Outcome gbt = train(lake, "--as-of", AS_OF.toString(), "--model", "gbt",
            "--trees", "12", "--depth", "3", "--review-percent", "2");
        assertEquals(0, gbt.code(), gbt.err() + gbt.out());
        System.out.print(gbt.out());
        assertTrue(gbt.out().contains("every tree in the same leaf"), gbt.out());
        // the same training again, with the first model as the champion: the same model, so the same areas, measured
        // once by Spark on the new model and once by the engine's evaluator on the champion
        final Outcome again = train(lake, "--as-of", AS_OF.toString(), "--champion", lake.root()
            + "/models/fraud-lr/2026-06-30.1.model");
        assertEquals(0, again.code(), again.err());
        final java.util.regex.Matcher held = java.util.regex.Pattern.compile("held out: .*ROC-AUC ([0-9.]+), PR-AUC "
            + "([0-9.]+)").matcher(again.out());
        assertTrue(held.find(), again.out());
        assertTrue(again.out().contains("the champion fraud-lr@2026-06-30.1 on the same held-out examples: ROC-AUC "
            + held.group(1) + ", PR-AUC " + held.group(2) + " against " + held.group(2)
            + ": the new model does at least as well; promote it"), again.out());
        final Outcome weak = train(lake, "--as-of", AS_OF.toString(), "--model", "gbt", "--trees", "1", "--depth",
            "1", "--champion", lake.root() + "/models/fraud-lr/2026-06-30.1.model");
        assertEquals(3, weak.code(), "worse than its champion: written, listed, exit code 3 " + weak.err());
        assertTrue(weak.out().contains("the new model does worse; keep fraud-lr@2026-06-30.1 live"), weak.out());
        final Path typo = Files.writeString(dir.resolve("typo.model"), "ecap-model 1\nname t\nversion 1\n"
            + "type logistic\nfeatures txn.amount_usd customer.amount_zscor\nintercept 0\nweights 1 1\n");
        final Outcome unknown = train(lake, "--as-of", AS_OF.toString(), "--champion", typo.toString());
        assertEquals(2, unknown.code(), unknown.out());
        assertTrue(unknown.err().contains("--champion: customer.amount_zscor: in no example of silver/transactions"),
            unknown.err());

        final SparkSession spark = Lake.session("train-fraud-test");
        final List<Row> models = spark.read().format("delta").load(lake.gold("fraud_models")).orderBy("name",
            "version").collectAsList();
        assertEquals(List.of("fraud-gbt@2026-06-30.1", "fraud-gbt@2026-06-30.2", "fraud-lr@2026-06-30.1",
            "fraud-lr@2026-06-30.2"),
            models.stream().map(r -> r.getAs("name") + "@" + r.getAs("version")).toList());
        // the one-tree model was trained to lose to the champion: the others must be good
        final List<Row> good = models.stream().filter(m -> !"fraud-gbt".equals(m.getAs("name"))
            || !"2026-06-30.2".equals(m.getAs("version"))).toList();
        for (final Row model : good) {
            final double auc = model.getAs("roc_auc");
            assertTrue(auc > 0.7, model.getAs("name") + " beats a random score on the held-out weeks: " + auc);
            assertTrue((double) model.getAs("pr_auc") > 0.2, "PR-AUC well above the 4% base rate: " + model);
            assertTrue((long) model.getAs("parity_rows") > 500, model.toString());
            assertTrue((double) model.getAs("parity_max_difference") <= 1e-9, model.toString());
            assertTrue((long) model.getAs("train_rows") > (long) model.getAs("test_rows"), model.toString());
            assertTrue(((Timestamp) model.getAs("train_from")).before(model.getAs("test_from")), model.toString());
            assertFalse(model.getList(model.fieldIndex("features")).contains("merchant.count_7d"),
                "a feature with one value teaches nothing");
            final String text = Files.readString(Path.of((String) model.getAs("path")));
            final Model parsed = ModelParser.parse(text, FEATURES::indexOf);
            assertEquals(model.getAs("name") + "@" + model.getAs("version"), parsed.label());
            assertTrue(text.contains("# held out: "), text);
        }
        final List<String> lrFeatures = good.get(1).getList(good.get(1).fieldIndex("features"));
        assertFalse(lrFeatures.contains("txn.channel"), "codes are no magnitude for a linear model");
        assertTrue(good.get(0).getList(good.get(0).fieldIndex("features")).contains("txn.channel"));
        assertEquals(0.02, (double) good.get(0).getAs("review_share"));
    }

    /**
     * Retraining's guard against a real service (ecap run in a JVM of its own, the ops classpath): with no model live
     * the first one is put live; a weaker one is measured against it and not promoted.
     */
    @Test
    void shouldPromoteToARunningServiceOnlyAModelAtLeastAsGoodAsTheLiveOne() throws Exception {
        final Lake lake = generated(Lake.session("train-fraud-test"), dir, 3000, 150, true);
        final int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        final Path target = Path.of(System.getProperty("ecap.root"), "ops", "target");
        final String classPath = target.resolve("classes") + java.io.File.pathSeparator
            + Files.readString(target.resolve("classpath.txt")).trim();
        final io.ecap.testing.ChildJvm service = io.ecap.testing.ChildJvm.start(dir, classPath, List.of("-Xmx512m"),
            "io.ecap.ops.Ecap", List.of("run", "--data", dir.resolve("service").toString(), "--port",
                String.valueOf(port)));
        try {
            service.await(java.util.regex.Pattern.compile("ECAP ready"), 120);
            final java.util.regex.Matcher key = java.util.regex.Pattern.compile("(ecap_[0-9a-f]{64})")
                .matcher(service.seen());
            assertTrue(key.find(), service.seen());
            final Path keyFile = Files.writeString(dir.resolve("admin.key"), key.group(1) + "\n");
            final String url = "http://127.0.0.1:" + port;

            final Outcome first = train(lake, "--as-of", AS_OF.toString(), "--promote", url, "--admin-key-file",
                keyFile.toString());
            assertEquals(0, first.code(), first.err() + first.out());
            assertTrue(first.out().contains("promoted fraud-lr@2026-06-30.1 on " + url + " (no model was live)"),
                first.out());
            final Outcome weak = train(lake, "--as-of", AS_OF.toString(), "--model", "gbt", "--trees", "1",
                "--depth", "1", "--promote", url, "--admin-key-file", keyFile.toString());
            assertEquals(3, weak.code(), weak.err() + weak.out());
            assertTrue(weak.out().contains("the champion fraud-lr@2026-06-30.1 on the same held-out examples"),
                weak.out());
            assertTrue(weak.out().contains("not promoted: fraud-lr@2026-06-30.1 stays live on " + url
                + " (exit code 3)"), weak.out());

            final java.net.http.HttpResponse<String> live = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(url + "/v1/admin/models"))
                    .header("X-API-Key", key.group(1)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertTrue(live.body().matches(".*\"version\":\"fraud-lr@2026-06-30.1\"[^}]*\"live\":true.*"),
                live.body());
            final Outcome noKey = train(lake, "--as-of", AS_OF.toString(), "--promote", url, "--admin-key-file",
                dir.resolve("missing.key").toString());
            assertEquals(2, noKey.code());
            assertTrue(noKey.err().contains("--admin-key-file: cannot read"), noKey.err());
        } finally {
            service.terminate();
        }
    }

    @Test
    void shouldFindTheShiftThatMakesTheMeanProbabilityTheFraudRate() {
        assertEquals(-2 * Math.log(9), FraudTraining.calibrationOffset(new double[] {Math.log(9), Math.log(9)}, 0.1),
            1e-9);
        final double b = FraudTraining.calibrationOffset(new double[] {-3, 0, 2, 5}, 0.25);
        double mean = 0;
        for (final double x : new double[] {-3, 0, 2, 5}) {
            mean += 0.25 / (1 + Math.exp(-(x + b)));
        }
        assertEquals(0.25, mean, 1e-9);
    }

    @Test
    void shouldScoreTheExportedModelsInTheEngineExactlyAsSpark() throws Exception {
        final SparkSession spark = Lake.session("train-fraud-test");
        final Lake lake = generated(spark, dir, 3000, 150, true);
        final Dataset<Row> examples = FraudExamples.of(spark.read().format("delta").load(lake.silver("transactions")),
            spark.read().format("delta").load(lake.silver("labels")), AS_OF, 30).cache();
        for (final FraudTraining.Kind kind : FraudTraining.Kind.values()) {
            final FraudTraining.Fitted fitted = FraudTraining.fit(examples, new FraudTraining.Settings(kind, 0.3,
                Double.NaN, 10, 4, 7L));
            final double offset = fitted.logOddsOffset();
            final String text = kind == FraudTraining.Kind.LR
                ? ModelExport.logistic("m", "1", fitted.features(), (LogisticRegressionModel) fitted.model(),
                    fitted.fill(), fitted.lower(), fitted.upper(), offset, List.of("a comment"))
                : ModelExport.trees("m", "1", fitted.features(), (GBTClassificationModel) fitted.model(),
                    FraudTraining.TREE_MISSING, offset, List.of());
            final Model engine = ModelParser.parse(text, fitted.features()::indexOf);
            final List<Row> rows = fitted.test().select("features", "p").collectAsList();
            final double[] x = new double[fitted.features().size()];
            int missing = 0;
            int outside = 0;
            for (final Row row : rows) {
                final Map<String, Object> values = row.getJavaMap(0);
                for (int i = 0; i < x.length; i++) {
                    final Object v = values.get(fitted.features().get(i));
                    x[i] = v == null ? Double.NaN : (Double) v;
                    missing += v == null ? 1 : 0;
                    outside += x[i] < fitted.lower()[i] || x[i] > fitted.upper()[i] ? 1 : 0;
                }
                assertEquals(row.getDouble(1), engine.probability(x), 1e-9, kind + " " + Arrays.toString(x));
            }
            assertTrue(missing > 100, "missing values were scored: " + missing);
            if (kind == FraudTraining.Kind.LR) {
                // newer values beyond the training range, held at its bounds in Spark and in the engine alike
                assertTrue(outside > 0, "values outside the training range were scored: " + outside);
                assertTrue(text.contains("\nlower ") && text.contains("\nupper "), text);
                // traffic far beyond the training range (every value a million times its largest) scores as its
                // largest: the log-odds stay bounded
                Arrays.fill(x, 1e12);
                final double far = engine.probability(x);
                assertEquals(far, engine.probability(fitted.upper().clone()), 0.0);
                assertTrue(far > 0 && far < 1, "a probability short of certainty: " + far);
            } else {
                assertEquals(0, outside, "trees have no bounds");
            }
            final ModelParity.Result parity = ModelParity.check(fitted.features(), fitted.model(), fitted.test(),
                text, 100_000);
            assertEquals(rows.size(), parity.rows());
            assertEquals(0, parity.leafMismatches(), kind + ": every tree ends in the same leaf");
            assertTrue(parity.agrees(), parity.toString());
            // corrected for the fraud weight, the probabilities are on the scale of the fraud rate, not the weighted
            // problem's (whose odds are the weight times higher)
            final Row calibration = fitted.test().selectExpr("avg(p)", "avg(label)").first();
            final double meanP = calibration.getDouble(0);
            final double rate = calibration.getDouble(1);
            assertTrue(fitted.fraudWeight() > 5 && meanP > rate / 3 && meanP < rate * 3, kind + ": mean probability "
                + meanP + " against a fraud rate of " + rate + " (fraud weight " + fitted.fraudWeight() + ")");
            if (kind == FraudTraining.Kind.GBT) {
                final GBTClassificationModel gbt = (GBTClassificationModel) fitted.model();
                final double[] allMissing = new double[x.length];
                Arrays.fill(allMissing, Double.NaN);
                final double[] filled = new double[x.length];
                Arrays.fill(filled, FraudTraining.TREE_MISSING);
                final double bySpark = gbt.predictProbability(Vectors.dense(filled)).apply(1);
                final double corrected = 1 / (1 + Math.exp(-(Math.log(bySpark / (1 - bySpark)) + offset)));
                assertEquals(corrected, engine.probability(allMissing), 1e-9,
                    "missing goes where Spark sends the fill");
                assertEquals(10, ((TreeEnsembleModel) engine).trees());
            }
        }
        examples.unpersist();
        spark.stop();
    }

    @Test
    void shouldCountOnlyMaturedTransactionsAndTheChargebackOverTheAnalyst() throws Exception {
        final SparkSession spark = Lake.session("train-fraud-test");
        final Instant old = Instant.parse("2026-05-01T10:00:00Z");
        final Instant recent = Instant.parse("2026-06-20T10:00:00Z");
        final Map<String, Double> f = Map.of("txn.amount_usd", 10.0);
        final Dataset<Row> txns = spark.createDataFrame(List.of(txn("a", "APPROVE", f, old),
            txn("b", "APPROVE", f, old), txn("c", "DECLINE", f, old), txn("d", "DECLINE", f, old),
            txn("e", "APPROVE", f, recent), txn("g", "APPROVE", f, old)), TRANSACTIONS);
        final Dataset<Row> labels = spark.createDataFrame(List.of(
            label("a", "LEGIT", "ANALYST", old), label("a", "FRAUD", "CHARGEBACK", old.plusSeconds(864_000)),
            label("d", "FRAUD", "ANALYST", old), label("e", "FRAUD", "CHARGEBACK", recent),
            label("g", "FRAUD", "CHARGEBACK", Instant.parse("2026-07-02T00:00:00Z"))), LABELS);
        final Map<String, String> got = new HashMap<>();
        FraudExamples.of(txns, labels, AS_OF, 30).collectAsList().forEach(r -> got.put(r.getString(0),
            r.getDouble(3) + " " + r.getString(4)));
        assertEquals(Map.of("a", "1.0 CHARGEBACK", "b", "0.0 null", "d", "1.0 ANALYST", "g", "0.0 null"), got,
            "a: the chargeback wins; b: matured without a label; c: declined, truth unknown; e: too recent; g: its "
                + "chargeback came after the as-of day");
        spark.stop();
    }

    @Test
    void shouldRefuseWhatCannotTrainWithAUsageErrorOrAFailure() throws Exception {
        final Lake lake = generated(Lake.session("train-fraud-test"), dir, 200, 30, false);
        final Outcome noLabels = train(lake);
        assertEquals(2, noLabels.code(), noLabels.err());
        assertTrue(noLabels.err().startsWith("ecap lake train-fraud: no silver/labels in " + lake.root()
            + ": no label has reached the lake"), noLabels.err());
        final LocalDate later = LocalDate.now(ZoneOffset.UTC).plusDays(1);
        final Outcome future = train(lake, "--as-of", later.toString());
        assertEquals(2, future.code());
        assertTrue(future.err().startsWith("ecap lake train-fraud: --as-of " + later + ": in the future"),
            future.err());
        final Outcome model = train(lake, "--model", "svm");
        assertEquals("ecap lake train-fraud: --model: expected lr or gbt, found 'svm' (ecap lake train-fraud --help "
            + "lists the options)\n", model.err());
        final Outcome deep = train(lake, "--model", "gbt", "--depth", "31");
        assertEquals("ecap lake train-fraud: --depth: expected 1 to 30 (Spark's deepest tree), found 31 (ecap lake "
            + "train-fraud --help lists the options)\n", deep.err());
        for (final String[] huge : new String[][] {{"--model", "gbt", "--trees", "3000000000"},
            {"--model", "gbt", "--trees", "1001"}, {"--maturity-days", "3000000000"}}) {
            final Outcome tooMany = train(lake, huge);
            assertEquals(2, tooMany.code(), tooMany.err());
            assertTrue(tooMany.err().startsWith("ecap lake train-fraud: " + huge[huge.length - 2] + ": expected "),
                tooMany.err());
        }
        final Outcome both = train(lake, "--champion", "x.model", "--promote", "http://127.0.0.1:1");
        assertEquals(2, both.code());
        assertTrue(both.err().contains("--champion and --promote: give one"), both.err());
        final Outcome keyAlone = train(lake, "--admin-key-file", "k");
        assertEquals(2, keyAlone.code());
        assertTrue(keyAlone.err().contains("--admin-key-file: the key is for --promote's service"), keyAlone.err());
        final Outcome weight = train(lake, "--fraud-weight", "1e300");
        assertEquals(2, weight.code());
        assertTrue(weight.err().contains("--fraud-weight: expected balanced or a number from 0.001 to 1000000"),
            weight.err());
        final Path key = Files.writeString(dir.resolve("any.key"), "ecap_0\n");
        final Outcome nobody = train(lake, "--promote", "http://127.0.0.1:1", "--admin-key-file", key.toString());
        assertEquals(2, nobody.code());
        assertTrue(nobody.err().startsWith("ecap lake train-fraud: --promote: no ECAP service answers at "
            + "http://127.0.0.1:1 ("), "before Spark, naming the URL: " + nobody.err());
        final Outcome lrTrees = train(lake, "--depth", "5");
        assertEquals(2, lrTrees.code());
        assertTrue(lrTrees.err().contains("--depth: the trees' size is for --model gbt"), lrTrees.err());
        final Outcome share = train(lake, "--decline-percents", "1,0");
        assertEquals(2, share.code());
        assertTrue(share.err().contains("--decline-percents: expected a percentage above 0 and at most 100, found "
            + "'0'"), share.err());

        final SparkSession spark = Lake.session("train-fraud-test");
        spark.createDataFrame(List.of(label("t-1", "LEGIT", "ANALYST", Instant.parse("2026-01-02T00:00:00Z"))),
            LABELS).write().format("delta").save(lake.silver("labels"));
        final Outcome noFraud = train(lake, "--as-of", AS_OF.toString());
        assertEquals(1, noFraud.code(), "data that cannot support a model, not a usage error: " + noFraud.err());
        assertTrue(noFraud.err().startsWith("ecap lake train-fraud: no transaction up to 2026-05-31 (2026-06-30 less "
            + "30 days of label maturity) has a FRAUD label known on 2026-06-30"), noFraud.err());
        assertFalse(Files.exists(Path.of(lake.root(), "models")), "nothing written");
    }
}
