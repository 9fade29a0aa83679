package io.ecap.hotpath.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ecap.model.Outcome;
import io.ecap.model.binary.DecisionFlyweight;
import io.ecap.model.binary.TransactionFlyweight;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.agrona.ExpandableArrayBuffer;

/** The compact feature encoding of scored entries is lossless, bit for bit. */
class ScoredEntryProperties {
    @Provide
    Arbitrary<double[]> vectors() {
        final Arbitrary<Double> value = Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(3, Arbitraries.just(Double.NaN)),
            net.jqwik.api.Tuple.of(3, Arbitraries.of(0.0, -0.0, 1.0, -1.0, 2147483647.0, -2147483648.0,
                2147483648.0, 1e300, Double.MIN_VALUE, Double.POSITIVE_INFINITY)),
            net.jqwik.api.Tuple.of(4, Arbitraries.integers().between(-1000, 100_000).map(i -> (double) i)),
            net.jqwik.api.Tuple.of(4, Arbitraries.doubles()));
        return value.array(double[].class).ofMinSize(0).ofMaxSize(130);
    }

    @Property(tries = 500)
    void featuresComeBackBitForBit(@ForAll("vectors") final double[] features) {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(4096);
        final ScoredEntryFlyweight entry = new ScoredEntryFlyweight().wrapForEncode(buffer, 0);
        final int txnLength = new TransactionFlyweight().wrapForEncode(buffer, entry.transactionOffset())
            .tsMs(1).amountMinor(1).currency(840).putString(0, "t").putString(1, "c").putString(2, "k")
            .putString(3, "m").putString(4, "").putString(5, "").putString(6, "").encodedLength();
        entry.transactionLength(txnLength);
        final int decisionLength = new DecisionFlyweight().wrapForEncode(buffer, entry.decisionOffset())
            .outcome(Outcome.APPROVE).putString(0, "t").putString(1, "r@1").putString(2, "none").encodedLength();
        final int length = entry.finish(decisionLength, features, features.length, 1);

        final ScoredEntryFlyweight read = new ScoredEntryFlyweight();
        assertEquals(length, read.wrapForDecode(buffer, 0, length, new TransactionFlyweight(),
            new DecisionFlyweight()));
        final double[] back = new double[read.featureCount()];
        read.features(back);
        assertEquals(features.length, back.length);
        for (int i = 0; i < features.length; i++) {
            if (Double.isNaN(features[i])) {
                assertEquals(true, Double.isNaN(back[i]));
            } else {
                assertEquals(Double.doubleToRawLongBits(features[i]), Double.doubleToRawLongBits(back[i]),
                    "feature " + i + " = " + features[i]);
            }
        }
    }
}
