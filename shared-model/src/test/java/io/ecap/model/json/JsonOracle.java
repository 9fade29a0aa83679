package io.ecap.model.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.ecap.model.ValidationException;
import io.ecap.model.field.PanMask;
import io.ecap.testing.fuzz.Bounded;
import io.ecap.testing.fuzz.Corpus;
import io.ecap.testing.fuzz.Mutations;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * What any bytes, however hostile, must get from each JSON reader of the contract (and from the batch splitter): an
 * encoded message whose JSON rewrite reads back to the same bytes, or a {@link ValidationException} naming a field of
 * that reader (or {@code $}) with a problem that repeats no card number. The answer must not depend on what lies
 * around the document in its buffer (a reader must not look past its end), nothing else may be thrown, and each input
 * is answered within {@link Bounded#HANG}.
 */
final class JsonOracle implements AutoCloseable {
    private static final byte[] BEFORE = Mutations.utf8("x{[\"");
    private static final byte[] AFTER = Mutations.utf8("\"}]0 ,:");
    private static final HexFormat HEX = HexFormat.of();

    private final List<JsonCodecs.Codec> codecs = JsonCodecs.all();
    private final JsonCodecs.Codec batchElements = JsonCodecs.all().get(0);
    private final JsonArrays arrays = new JsonArrays();
    private final ExpandableArrayBuffer first = new ExpandableArrayBuffer(4096);
    private final ExpandableArrayBuffer second = new ExpandableArrayBuffer(4096);
    private final JsonWriter writer = new JsonWriter();
    private final int[] starts = new int[1000];
    private final int[] lengths = new int[1000];
    private final Bounded bounded = new Bounded();

    /** Checks one input; returns each reader's answer ({@code "label: accepted ..."}, {@code "...: refused ..."}). */
    List<String> check(final byte[] json) throws Exception {
        return bounded.call(() -> checkAll(json), () -> Corpus.describe(json));
    }

    private List<String> checkAll(final byte[] json) {
        final byte[] framed = new byte[BEFORE.length + json.length + AFTER.length];
        System.arraycopy(BEFORE, 0, framed, 0, BEFORE.length);
        System.arraycopy(json, 0, framed, BEFORE.length, json.length);
        System.arraycopy(AFTER, 0, framed, BEFORE.length + json.length, AFTER.length);
        final List<String> exact = outcomes(new UnsafeBuffer(json), 0, json.length);
        final List<String> inFrame = outcomes(new UnsafeBuffer(framed), BEFORE.length, json.length);
        assertEquals(exact, inFrame, "the answer depends on the bytes around the document");
        return exact;
    }

    private List<String> outcomes(final DirectBuffer buffer, final int offset, final int length) {
        final List<String> outcomes = new ArrayList<>();
        for (final JsonCodecs.Codec codec : codecs) {
            outcomes.add(codec.name() + ": " + outcome(codec, buffer, offset, length));
        }
        outcomes.add("batch: " + batch(buffer, offset, length));
        return outcomes;
    }

    private String outcome(final JsonCodecs.Codec codec, final DirectBuffer buffer, final int offset,
        final int length) {
        final int encodedLength;
        try {
            encodedLength = codec.parse().parse(buffer, offset, length, first, 0);
        } catch (final ValidationException e) {
            checkRefusal(codec.fields(), e);
            return "refused " + e.getMessage();
        }
        final String encoded = HEX.formatHex(first.byteArray(), 0, encodedLength);
        writer.reset();
        codec.write().write(first, encodedLength, writer);
        final int again;
        try {
            again = codec.parse().parse(writer.buffer(), 0, writer.length(), second, 0);
        } catch (final ValidationException e) {
            return fail(codec.name() + " refused its own rewrite " + writer + ": " + e.getMessage());
        }
        assertEquals(encoded, HEX.formatHex(second.byteArray(), 0, again), codec.name() + " rewrite " + writer);
        return "accepted " + encoded;
    }

    /** The batch route's way: split the array (whole document checked), then read each element as a transaction. */
    private String batch(final DirectBuffer buffer, final int offset, final int length) {
        final int count;
        try {
            count = arrays.split(buffer, offset, length, starts, lengths);
        } catch (final ValidationException e) {
            checkRefusal(List.of(), e);
            return "refused " + e.getMessage();
        }
        final StringBuilder elements = new StringBuilder("accepted " + count + ":");
        for (int i = 0; i < count; i++) {
            assertTrue(starts[i] >= offset && starts[i] + lengths[i] <= offset + length, "element " + i);
            elements.append(' ').append(outcome(batchElements, buffer, starts[i], lengths[i]));
        }
        return elements.toString();
    }

    private static void checkRefusal(final List<String> fields, final ValidationException e) {
        final String field = e.field();
        assertTrue(field != null && (field.equals("$") || fields.stream().anyMatch(f -> field.equals(f)
            || field.startsWith(f + ".") || field.startsWith(f + "["))), "a refusal names a field: " + e.getMessage());
        assertFalse(e.problem() == null || e.problem().isBlank(), "a refusal says why: " + e.getMessage());
        assertFalse(PanMask.contains(e.getMessage()), "a refusal repeats a card number: " + e.getMessage());
    }

    @Override
    public void close() {
        bounded.close();
    }
}
