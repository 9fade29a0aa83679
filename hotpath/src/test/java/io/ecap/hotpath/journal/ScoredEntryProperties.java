package io.ecap.hotpath.journal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ecap.model.Outcome;
import io.ecap.model.binary.DecisionFlyweight;
import io.ecap.model.binary.MessageFormatException;
import io.ecap.model.binary.MessageHeader;
import io.ecap.model.binary.TransactionFlyweight;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.agrona.ExpandableArrayBuffer;

/** The compact feature encoding of scored entries is lossless, bit for bit. */
class ScoredEntryProperties {
    private static ScoredEntryFlyweight startEntry(final ExpandableArrayBuffer buffer) {
        final ScoredEntryFlyweight entry = new ScoredEntryFlyweight().wrapForEncode(buffer, 0);
        final int txnLength = new TransactionFlyweight().wrapForEncode(buffer, entry.transactionOffset())
            .tsMs(1).amountMinor(1).currency(840).putString(0, "t").putString(1, "c").putString(2, "k")
            .putString(3, "m").putString(4, "").putString(5, "").putString(6, "").encodedLength();
        return entry.transactionLength(txnLength);
    }

    private static int decision(final ExpandableArrayBuffer buffer, final ScoredEntryFlyweight entry) {
        return new DecisionFlyweight().wrapForEncode(buffer, entry.decisionOffset())
            .outcome(Outcome.APPROVE).putString(0, "t").putString(1, "r@1").putString(2, "none").encodedLength();
    }

    /** Journals written before version 2 keep their 2-bit tags, i32 whole numbers and f64 values. */
    @Example
    void readsVersionOneEntries() {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(4096);
        final ScoredEntryFlyweight entry = startEntry(buffer);
        final int features = entry.decisionOffset() + decision(buffer, entry);
        buffer.putShort(MessageHeader.VERSION_OFFSET, (short) 1, MessageHeader.ORDER);
        buffer.putShort(ScoredEntryFlyweight.FEATURE_COUNT_OFFSET, (short) 5, MessageHeader.ORDER);
        buffer.putByte(features, (byte) (0 | 1 << 2 | 2 << 4 | 3 << 6)); // missing, zero, i32, f64
        buffer.putByte(features + 1, (byte) 2); // i32
        buffer.putInt(features + 2, 5, MessageHeader.ORDER);
        buffer.putDouble(features + 6, 2.5, MessageHeader.ORDER);
        buffer.putInt(features + 14, -7, MessageHeader.ORDER);
        final int length = features + 18;
        buffer.putInt(MessageHeader.LENGTH_OFFSET, length, MessageHeader.ORDER);

        final ScoredEntryFlyweight read = new ScoredEntryFlyweight();
        assertEquals(length, read.wrapForDecode(buffer, 0, length, new TransactionFlyweight(),
            new DecisionFlyweight()));
        final double[] back = new double[5];
        read.features(back);
        assertArrayEquals(new double[] {Double.NaN, 0.0, 5.0, 2.5, -7.0}, back);
        buffer.putInt(MessageHeader.LENGTH_OFFSET, length + 1, MessageHeader.ORDER);
        assertThrows(MessageFormatException.class, () -> read.wrapForDecode(buffer, 0, length + 1,
            new TransactionFlyweight(), new DecisionFlyweight()), "features that do not fill the entry");
    }

    /** A cut or corrupted vector is refused rather than read past the entry. */
    @Property(tries = 300)
    void damagedVectorsAreRefusedNotOverread(@ForAll("vectors") final double[] features,
        @ForAll @net.jqwik.api.constraints.IntRange(min = 1, max = 40) final int cut) {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(4096);
        final ScoredEntryFlyweight entry = startEntry(buffer);
        final int length = entry.finish(decision(buffer, entry), features, features.length, 1);
        final int shorter = length - cut;
        if (shorter < entry.decisionOffset()) {
            return;
        }
        buffer.putInt(MessageHeader.LENGTH_OFFSET, shorter, MessageHeader.ORDER);
        try {
            new ScoredEntryFlyweight().wrapForDecode(buffer, 0, shorter, new TransactionFlyweight(),
                new DecisionFlyweight());
            throw new AssertionError("a vector cut by " + cut + " bytes was accepted");
        } catch (final MessageFormatException expected) {
            // refused
        }
    }

    @Provide
    Arbitrary<double[]> vectors() {
        final Arbitrary<Double> value = Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(3, Arbitraries.just(Double.NaN)),
            net.jqwik.api.Tuple.of(3, Arbitraries.of(0.0, -0.0, 1.0, -1.0, 2147483647.0, -2147483648.0,
                2147483648.0, 1e300, Double.MIN_VALUE, Double.POSITIVE_INFINITY)),
            net.jqwik.api.Tuple.of(1, Arbitraries.of(0.01, -0.01, 9.98, 3251.4, 26122.79, 1e13, 140737488355327.0,
                140737488355328.0, -140737488355328.0, 1407374883553.27, 0.1 + 0.2, Double.NEGATIVE_INFINITY)),
            net.jqwik.api.Tuple.of(4, Arbitraries.integers().between(-1000, 100_000).map(i -> (double) i)),
            net.jqwik.api.Tuple.of(3, Arbitraries.longs().between(-10_000_000_000L, 10_000_000_000L)
                .map(c -> c / 100.0)),
            net.jqwik.api.Tuple.of(1, Arbitraries.longs().map(l -> (double) l)),
            net.jqwik.api.Tuple.of(4, Arbitraries.doubles()));
        return value.array(double[].class).ofMinSize(0).ofMaxSize(130);
    }

    @Property(tries = 1000)
    void featuresComeBackBitForBit(@ForAll("vectors") final double[] features) {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(4096);
        final ScoredEntryFlyweight entry = startEntry(buffer);
        final int decisionLength = decision(buffer, entry);
        final int length = entry.finish(decisionLength, features, features.length, 1);
        assertTrue(length <= entry.decisionOffset() + decisionLength + (features.length + 1) / 2 + 8 * features.length,
            "never longer than f64 values");

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

    /**
     * An amount in dollars and cents (a whole number of hundredths, not a whole number) takes a varint of the
     * hundredths: its zig-zag LEB128 length plus the tag's half byte, never the f64's 8 bytes.
     */
    @Property(tries = 1000)
    void amountsInHundredthsTakeAVarint(@ForAll("hundredths") final long hundredths) {
        final double amount = hundredths / 100.0;
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(4096);
        final ScoredEntryFlyweight entry = startEntry(buffer);
        final int decisionLength = decision(buffer, entry);
        final int length = entry.finish(decisionLength, new double[] {amount}, 1, 1);
        final long zigzag = hundredths << 1 ^ hundredths >> 63;
        final int varint = (64 - Long.numberOfLeadingZeros(zigzag) + 6) / 7;
        assertEquals(entry.decisionOffset() + decisionLength + 1 + varint, length, amount + " as " + hundredths);
    }

    @Provide
    Arbitrary<Long> hundredths() {
        final long limit = (1L << 47) - 1;
        return Arbitraries.oneOf(Arbitraries.longs().between(-100_000_000L, 100_000_000L),
            Arbitraries.longs().between(-limit, limit)).filter(h -> h % 100 != 0);
    }

    /** With the challenger's decision after them, the features still come back, and so does that decision. */
    @Property(tries = 300)
    void aShadowDecisionFollowsTheFeaturesIntact(@ForAll("vectors") final double[] features,
        @ForAll @net.jqwik.api.constraints.IntRange(min = 0, max = 1000) final int score) {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(4096);
        final ScoredEntryFlyweight entry = startEntry(buffer);
        entry.finish(decision(buffer, entry), features, features.length, 1);
        final int shadowLength = new DecisionFlyweight().wrapForEncode(buffer, entry.shadowDecisionOffset())
            .outcome(Outcome.DECLINE).score(score).putString(0, "t").putString(1, "strict@1")
            .putString(2, "lr@7").encodedLength();
        final int length = entry.appendShadow(shadowLength);

        final ScoredEntryFlyweight read = new ScoredEntryFlyweight();
        assertEquals(length, read.wrapForDecode(buffer, 0, length, new TransactionFlyweight(),
            new DecisionFlyweight()));
        assertTrue(read.hasShadow());
        final DecisionFlyweight shadow = read.shadow(new DecisionFlyweight());
        assertEquals(Outcome.DECLINE, shadow.outcome());
        assertEquals(score, shadow.score());
        assertEquals("lr@7", shadow.string(2));
        final double[] back = new double[read.featureCount()];
        read.features(back);
        for (int i = 0; i < features.length; i++) {
            assertEquals(Double.doubleToLongBits(features[i]), Double.doubleToLongBits(back[i]), "feature " + i);
        }
        buffer.putInt(MessageHeader.LENGTH_OFFSET, length - 1, MessageHeader.ORDER);
        assertThrows(MessageFormatException.class, () -> new ScoredEntryFlyweight().wrapForDecode(buffer, 0,
            length - 1, new TransactionFlyweight(), new DecisionFlyweight()), "a cut shadow decision is refused");
    }
}
