package io.ecap.model.json;

import io.ecap.model.ValidationException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Whatever bytes arrive, a codec either accepts them or throws a {@link ValidationException}: never an index error, a
 * number format error or anything else that an entry point would turn into a 5xx.
 */
class HostileJsonProperties {
    private static final String VALID = "{\"txnId\":\"t-1\",\"ts\":\"2026-11-24T08:30:00.250Z\",\"customerId\":"
        + "\"c-1\",\"cardId\":\"tok\",\"merchantId\":\"m-1\",\"amount\":\"12.50\",\"currency\":\"EUR\","
        + "\"lat\":1.5,\"lon\":2,\"ip\":\"::1\",\"x\":[{\"y\":[true,false,null,-0.5e-3]}]}";

    private final ExpandableArrayBuffer out = new ExpandableArrayBuffer(4096);
    private final TransactionJson transactions = new TransactionJson();
    private final DecisionJson decisions = new DecisionJson();
    private final UserEventJson events = new UserEventJson();

    @Provide
    Arbitrary<byte[]> mutatedDocuments() {
        final byte[] base = VALID.getBytes(StandardCharsets.UTF_8);
        final Arbitrary<int[]> edits = Arbitraries.integers().between(0, Integer.MAX_VALUE).array(int[].class)
            .ofMinSize(1).ofMaxSize(6);
        return edits.map(e -> mutate(base, e));
    }

    private static byte[] mutate(final byte[] base, final int[] edits) {
        byte[] b = base.clone();
        for (final int edit : edits) {
            final int at = edit % b.length;
            final byte[] palette = {'"', '\\', '{', '}', '[', ']', ',', ':', '0', '-', 'e', '.', 'u', (byte) 0xC3,
                (byte) 0xFF, (byte) 0xED, 0, ' ', 'n'};
            switch ((edit >>> 24) % 3) {
                case 0 -> b[at] = palette[(edit >>> 8) % palette.length];
                case 1 -> b = java.util.Arrays.copyOf(b, Math.max(1, at));
                default -> {
                    final byte[] longer = new byte[b.length + 1];
                    System.arraycopy(b, 0, longer, 0, at);
                    longer[at] = palette[(edit >>> 8) % palette.length];
                    System.arraycopy(b, at, longer, at + 1, b.length - at);
                    b = longer;
                }
            }
        }
        return b;
    }

    @Provide
    Arbitrary<byte[]> randomBytes() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
    }

    @Provide
    Arbitrary<String> structures() {
        final List<String> pieces = List.of("{", "}", "[", "]", ",", ":", "\"a\"", "1", "-1e999", "1e-999",
            "123456789012345678901234567890", "\"\\ud83d\\ude00\"", "\"txnId\"", "\"amount\"", "null", "true");
        return Arbitraries.of(pieces).list().ofMaxSize(60).map(l -> String.join("", l));
    }

    @Property(tries = 2000)
    void mutatedDocumentsNeverBreakTheParser(@ForAll("mutatedDocuments") final byte[] json) {
        parseAll(json);
    }

    @Property(tries = 1000)
    void randomBytesNeverBreakTheParser(@ForAll("randomBytes") final byte[] json) {
        parseAll(json);
    }

    @Property(tries = 1000)
    void randomStructuresNeverBreakTheParser(@ForAll("structures") final String json) {
        parseAll(json.getBytes(StandardCharsets.UTF_8));
        parseAll(("{\"x\":" + json + "}").getBytes(StandardCharsets.UTF_8));
    }

    private void parseAll(final byte[] json) {
        final UnsafeBuffer in = new UnsafeBuffer(json);
        try {
            transactions.parse(in, 0, json.length, out, 0);
        } catch (final ValidationException expected) {
            // an expected answer to bad input
        }
        try {
            decisions.parse(in, 0, json.length, out, 0);
        } catch (final ValidationException expected) {
            // an expected answer to bad input
        }
        try {
            events.parse(in, 0, json.length, out, 0);
        } catch (final ValidationException expected) {
            // an expected answer to bad input
        }
    }
}
