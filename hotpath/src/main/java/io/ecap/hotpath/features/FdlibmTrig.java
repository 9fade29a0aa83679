package io.ecap.hotpath.features;

/**
 * {@code sin}, {@code cos} and {@code asin} exactly as {@link StrictMath} computes them (the fdlibm 5.3 algorithms,
 * whose results Java specifies bit for bit), but in Java: {@link StrictMath}'s versions are native calls on Java 17,
 * and the travel-speed feature makes ten of them per transaction. Since Java 17 all floating-point arithmetic is
 * strict, so this code gives the same bits on every JVM, which replay needs.
 *
 * <p>The fast path covers the arguments features pass (angles of at most a few radians); anything else is handed to
 * {@link StrictMath}. {@code FdlibmTrigTest} compares the two on millions of arguments, the hard ones near multiples
 * of pi/2 included. One instance per thread: argument reduction keeps its two parts in fields, so nothing is
 * allocated.
 */
public final class FdlibmTrig {
    private static final double S1 = -1.66666666666666324348e-01;
    private static final double S2 = 8.33333333332248946124e-03;
    private static final double S3 = -1.98412698298579493134e-04;
    private static final double S4 = 2.75573137070700676789e-06;
    private static final double S5 = -2.50507602534068634195e-08;
    private static final double S6 = 1.58969099521155010221e-10;
    private static final double C1 = 4.16666666666666019037e-02;
    private static final double C2 = -1.38888888888741095749e-03;
    private static final double C3 = 2.48015872894767294178e-05;
    private static final double C4 = -2.75573143513906633035e-07;
    private static final double C5 = 2.08757232129817482790e-09;
    private static final double C6 = -1.13596475577881948265e-11;
    private static final double INVPIO2 = 6.36619772367581382433e-01;
    private static final double PIO2_1 = 1.57079632673412561417e+00;
    private static final double PIO2_1T = 6.07710050650619224932e-11;
    private static final double PIO2_2 = 6.07710050630396597660e-11;
    private static final double PIO2_2T = 2.02226624879595063154e-21;
    private static final double PIO2_3 = 2.02226624871116645580e-21;
    private static final double PIO2_3T = 8.47842766036889956997e-32;
    private static final double PIO2_HI = 1.57079632679489655800e+00;
    private static final double PIO2_LO = 6.12323399573676603587e-17;
    private static final double PIO4_HI = 7.85398163397448278999e-01;
    private static final double PS0 = 1.66666666666666657415e-01;
    private static final double PS1 = -3.25565818622400915405e-01;
    private static final double PS2 = 2.01212532134862925881e-01;
    private static final double PS3 = -4.00555345006794114027e-02;
    private static final double PS4 = 7.91534994289814532176e-04;
    private static final double PS5 = 3.47933107596021167570e-05;
    private static final double QS1 = -2.40339491173441421878e+00;
    private static final double QS2 = 2.02094576023350569471e+00;
    private static final double QS3 = -6.88283971605453293030e-01;
    private static final double QS4 = 7.70381505559019352791e-02;
    /** High words of n * pi/2 for n = 1..4, fdlibm's check for a reduction that may need more bits. */
    private static final int[] NPIO2_HW = {0x3FF921FB, 0x400921FB, 0x4012D97C, 0x401921FB};
    /** Reduction here is for |x| below 4 * pi/2; above, StrictMath. */
    private static final int FAST_LIMIT_HW = 0x401921FB;

    private double head;
    private double tail;

    private static int hi(final double x) {
        return (int) (Double.doubleToRawLongBits(x) >>> 32);
    }

    public double sin(final double x) {
        final int ix = hi(x) & 0x7fffffff;
        if (ix <= 0x3fe921fb) {
            return kernelSin(x, 0.0, false);
        }
        if (ix >= FAST_LIMIT_HW) {
            return StrictMath.sin(x);
        }
        final int n = reduce(x);
        return switch (n & 3) {
            case 0 -> kernelSin(head, tail, true);
            case 1 -> kernelCos(head, tail);
            case 2 -> -kernelSin(head, tail, true);
            default -> -kernelCos(head, tail);
        };
    }

    public double cos(final double x) {
        final int ix = hi(x) & 0x7fffffff;
        if (ix <= 0x3fe921fb) {
            return kernelCos(x, 0.0);
        }
        if (ix >= FAST_LIMIT_HW) {
            return StrictMath.cos(x);
        }
        final int n = reduce(x);
        return switch (n & 3) {
            case 0 -> kernelCos(head, tail);
            case 1 -> -kernelSin(head, tail, true);
            case 2 -> -kernelCos(head, tail);
            default -> kernelSin(head, tail, true);
        };
    }

    private static double kernelSin(final double x, final double y, final boolean hasTail) {
        final int ix = hi(x) & 0x7fffffff;
        if (ix < 0x3e400000 && (int) x == 0) {
            return x;
        }
        final double z = x * x;
        final double v = z * x;
        final double r = S2 + z * (S3 + z * (S4 + z * (S5 + z * S6)));
        if (!hasTail) {
            return x + v * (S1 + z * r);
        }
        return x - ((z * (0.5 * y - v * r) - y) - v * S1);
    }

    private static double kernelCos(final double x, final double y) {
        final int ix = hi(x) & 0x7fffffff;
        if (ix < 0x3e400000 && (int) x == 0) {
            return 1.0;
        }
        final double z = x * x;
        final double r = z * (C1 + z * (C2 + z * (C3 + z * (C4 + z * (C5 + z * C6)))));
        if (ix < 0x3FD33333) {
            return 1.0 - (0.5 * z - (z * r - x * y));
        }
        final double qx = ix > 0x3fe90000 ? 0.28125 : Double.longBitsToDouble((long) (ix - 0x00200000) << 32);
        final double hz = 0.5 * z - qx;
        final double a = 1.0 - qx;
        return a - (hz - (z * r - x * y));
    }

    /** fdlibm's {@code __ieee754_rem_pio2} for pi/4 < |x| < 4 * pi/2: x - n * pi/2 into head and tail; returns n. */
    private int reduce(final double x) {
        final int hx = hi(x);
        final int ix = hx & 0x7fffffff;
        if (ix < 0x4002d97c) {
            final double z;
            final double y0;
            final double y1;
            if (hx > 0) {
                if (ix != 0x3ff921fb) {
                    z = x - PIO2_1;
                    y0 = z - PIO2_1T;
                    y1 = (z - y0) - PIO2_1T;
                } else {
                    z = x - PIO2_1 - PIO2_2;
                    y0 = z - PIO2_2T;
                    y1 = (z - y0) - PIO2_2T;
                }
                return result(y0, y1, 1);
            }
            if (ix != 0x3ff921fb) {
                z = x + PIO2_1;
                y0 = z + PIO2_1T;
                y1 = (z - y0) + PIO2_1T;
            } else {
                z = x + PIO2_1 + PIO2_2;
                y0 = z + PIO2_2T;
                y1 = (z - y0) + PIO2_2T;
            }
            return result(y0, y1, -1);
        }
        double t = Math.abs(x);
        final int n = (int) (t * INVPIO2 + 0.5);
        final double fn = n;
        double r = t - fn * PIO2_1;
        double w = fn * PIO2_1T;
        double y0 = r - w;
        if (ix == NPIO2_HW[n - 1]) {
            final int j = ix >> 20;
            int i = j - ((hi(y0) >> 20) & 0x7ff);
            if (i > 16) {
                t = r;
                w = fn * PIO2_2;
                r = t - w;
                w = fn * PIO2_2T - ((t - r) - w);
                y0 = r - w;
                i = j - ((hi(y0) >> 20) & 0x7ff);
                if (i > 49) {
                    t = r;
                    w = fn * PIO2_3;
                    r = t - w;
                    w = fn * PIO2_3T - ((t - r) - w);
                    y0 = r - w;
                }
            }
        }
        final double y1 = (r - y0) - w;
        return hx < 0 ? result(-y0, -y1, -n) : result(y0, y1, n);
    }

    private int result(final double y0, final double y1, final int n) {
        head = y0;
        tail = y1;
        return n;
    }

    public double asin(final double x) {
        final int hx = hi(x);
        final int ix = hx & 0x7fffffff;
        if (ix >= 0x3ff00000) {
            return StrictMath.asin(x); // |x| >= 1: +-pi/2 or NaN
        }
        if (ix < 0x3fe00000) {
            if (ix < 0x3e400000) {
                return x;
            }
            final double t = x * x;
            final double p = t * (PS0 + t * (PS1 + t * (PS2 + t * (PS3 + t * (PS4 + t * PS5)))));
            final double q = 1.0 + t * (QS1 + t * (QS2 + t * (QS3 + t * QS4)));
            return x + x * (p / q);
        }
        double w = 1.0 - Math.abs(x);
        double t = w * 0.5;
        double p = t * (PS0 + t * (PS1 + t * (PS2 + t * (PS3 + t * (PS4 + t * PS5)))));
        double q = 1.0 + t * (QS1 + t * (QS2 + t * (QS3 + t * QS4)));
        final double s = Math.sqrt(t);
        if (ix >= 0x3FEF3333) {
            w = p / q;
            t = PIO2_HI - (2.0 * (s + s * w) - PIO2_LO);
        } else {
            w = Double.longBitsToDouble(Double.doubleToRawLongBits(s) & 0xFFFFFFFF00000000L);
            final double c = (t - w * w) / (s + w);
            final double r = p / q;
            p = 2.0 * s * r - (PIO2_LO - 2.0 * c);
            q = PIO4_HI - 2.0 * w;
            t = PIO4_HI - (p - q);
        }
        return hx > 0 ? t : -t;
    }
}
