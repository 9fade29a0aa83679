package io.ecap.bench;

import io.ecap.hotpath.features.FeatureCatalog;
import io.ecap.hotpath.features.FeatureExtractor;
import io.ecap.hotpath.journal.ScoredEntryFlyweight;
import io.ecap.hotpath.rules.DefaultRules;
import io.ecap.hotpath.scoring.Scorer;
import io.ecap.hotpath.state.EntityKind;
import io.ecap.hotpath.state.EntityLayout;
import io.ecap.hotpath.state.EntityState;
import io.ecap.hotpath.state.EntityUpdater;
import io.ecap.hotpath.state.WindowSpec;
import io.ecap.model.binary.TransactionFlyweight;
import io.ecap.model.field.Currencies;
import io.ecap.model.scoring.Model;
import io.ecap.model.scoring.ModelParser;
import java.util.concurrent.TimeUnit;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The parts of the scoring path in isolation, on data already in cache: the feature update of five entities and the
 * feature extraction, the default rule set, and the two model kinds.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ComponentBenchmark {
    private static final int MESSAGES = 4096;

    private EncodedWorkload workload;
    private final TransactionFlyweight txn = new TransactionFlyweight();
    private final EntityState[] before = new EntityState[EntityKind.COUNT];
    private final EntityState[] after = new EntityState[EntityKind.COUNT];
    private final int[] hashes = new int[EntityKind.COUNT];
    private final long[] buckets = new long[WindowSpec.TRANSACTION_WINDOWS.length];
    private final double[] features = new double[FeatureCatalog.size()];
    private final double[][] vectors = new double[MESSAGES][];
    private final FeatureExtractor extractor = new FeatureExtractor();
    private Scorer scorer;
    private Model logistic;
    private Model trees;
    private Model trees100;
    private int next;

    @Setup
    public void setUp() throws Exception {
        workload = EncodedWorkload.generate(MESSAGES, 11);
        for (int k = 0; k < EntityKind.COUNT; k++) {
            before[k] = new EntityState().wrap(new UnsafeBuffer(new byte[EntityLayout.LENGTH]), 0);
            before[k].clear();
            after[k] = new EntityState().wrap(new UnsafeBuffer(new byte[EntityLayout.LENGTH]), 0);
            hashes[k] = 17 + k;
        }
        scorer = new Scorer(DefaultRules.ruleSet());
        for (int i = 0; i < MESSAGES; i++) {
            updateFeatures();
            vectors[i] = features.clone();
        }
        logistic = ModelParser.parse(SyntheticModels.logistic(30), FeatureCatalog.forModels());
        trees = ModelParser.parse(SyntheticModels.trees(200, 6, 30, 3), FeatureCatalog.forModels());
        trees100 = ModelParser.parse(SyntheticModels.trees(100, 6, 30, 3), FeatureCatalog.forModels());
    }

    /** Five entities updated and all features extracted for one transaction. */
    @Benchmark
    public double updateFeatures() {
        final int m = workload.next();
        txn.wrapForDecode(workload.data, workload.offsets[m], workload.lengths[m]);
        final double cents = Currencies.toUsdCents(txn.amountMinor(), txn.currency());
        WindowSpec.transactionBuckets(txn.tsMs(), buckets);
        for (int k = 0; k < EntityKind.COUNT; k++) {
            before[k].copyTo(after[k]);
            EntityUpdater.applyTransaction(after[k], txn, cents, hashes[k], buckets);
        }
        extractor.extract(txn, cents, before, after, hashes, features);
        for (int k = 0; k < EntityKind.COUNT; k++) {
            after[k].copyTo(before[k]);
        }
        return features[0];
    }

    /** The bundled rule set (17 rules) over one feature vector. */
    @Benchmark
    public int evaluateRules() {
        scorer.score(vectors[next++ & (MESSAGES - 1)]);
        return scorer.score();
    }

    /** Logistic regression over 30 features. */
    @Benchmark
    public double logisticModel() {
        return logistic.probability(vectors[next++ & (MESSAGES - 1)]);
    }

    /** 200 gradient-boosted trees of depth 6 over 30 features. */
    @Benchmark
    public double treeModel() {
        return trees.probability(vectors[next++ & (MESSAGES - 1)]);
    }

    /** A feature vector encoded into a journal entry, as the writer does for every transaction. */
    @Benchmark
    public int encodeFeatures() {
        final double[] vector = vectors[next++ & (MESSAGES - 1)];
        entry.wrapForEncode(entryBuffer, 0).transactionLength(0);
        return entry.finish(0, vector, vector.length, 1);
    }

    private final ScoredEntryFlyweight entry = new ScoredEntryFlyweight();
    private final UnsafeBuffer entryBuffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(4096, 64));

    /** 100 gradient-boosted trees of depth 6 over 30 features. */
    @Benchmark
    public double treeModel100() {
        return trees100.probability(vectors[next++ & (MESSAGES - 1)]);
    }
}
