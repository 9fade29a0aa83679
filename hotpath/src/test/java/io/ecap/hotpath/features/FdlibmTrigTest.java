package io.ecap.hotpath.features;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link FdlibmTrig} must give exactly {@link StrictMath}'s bits, or replays of journals written with one would not
 * reproduce with the other: compared on random arguments over the whole range features use and beyond, on the
 * arguments near multiples of pi/2 where the reduction is hardest, on the boundaries between fdlibm's cases, and on
 * special values.
 */
class FdlibmTrigTest {
    private final FdlibmTrig trig = new FdlibmTrig();

    private void same(final double x) {
        assertEquals(Double.doubleToRawLongBits(StrictMath.sin(x)), Double.doubleToRawLongBits(trig.sin(x)),
            () -> "sin(" + x + ") = " + StrictMath.sin(x) + ", got " + trig.sin(x));
        assertEquals(Double.doubleToRawLongBits(StrictMath.cos(x)), Double.doubleToRawLongBits(trig.cos(x)),
            () -> "cos(" + x + ") = " + StrictMath.cos(x) + ", got " + trig.cos(x));
        if (Math.abs(x) <= 1.0 || Double.isNaN(x)) {
            assertEquals(Double.doubleToRawLongBits(StrictMath.asin(x)), Double.doubleToRawLongBits(trig.asin(x)),
                () -> "asin(" + x + ") = " + StrictMath.asin(x) + ", got " + trig.asin(x));
        }
    }

    @Test
    void shouldMatchStrictMathOnRandomArguments() {
        final SplittableRandom r = new SplittableRandom(20261203);
        for (int i = 0; i < 1_000_000; i++) {
            same(r.nextDouble(-1.0, 1.0));
            same(r.nextDouble(-8.0, 8.0));
            same(r.nextDouble(-0.001, 0.001));
            same(Math.toRadians(r.nextDouble(-180.0, 180.0)) / 2);
        }
    }

    @Test
    void shouldMatchStrictMathNearMultiplesOfHalfPiAndOnCaseBoundaries() {
        for (int k = -6; k <= 6; k++) {
            sweep(k * Math.PI / 2);
        }
        for (final double edge : new double[] {Math.PI / 4, 3 * Math.PI / 4, 0.3, 0.78125, 0.5, 0.975, 1.0,
            0x1p-27, 0x1p-26, 4 * Math.PI / 2, 1e-300}) {
            sweep(edge);
            sweep(-edge);
        }
    }

    private void sweep(final double center) {
        double up = center;
        double down = center;
        for (int i = 0; i < 20_000; i++) {
            same(up);
            same(down);
            up = Math.nextUp(up);
            down = Math.nextDown(down);
        }
    }

    @Test
    void shouldMatchStrictMathOnSpecialValues() {
        for (final double x : new double[] {0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MAX_VALUE, 1e10, -1e10, 1.0, -1.0,
            Math.nextUp(1.0), Math.nextDown(-1.0)}) {
            same(x);
        }
    }
}
