package io.ecap.model.json;

import io.ecap.model.ValidationException;
import org.agrona.DirectBuffer;

/** Splits a top-level JSON array into the extents of its elements, checking the whole document on the way. */
public final class JsonArrays {
    private final JsonReader reader = new JsonReader();

    /**
     * Finds the elements of the array in {@code json[offset, offset + length)}; element {@code i} starts at
     * {@code starts[i]} and is {@code lengths[i]} bytes long.
     *
     * @return the number of elements, at most {@code starts.length}.
     * @throws ValidationException if the document is not an array or has more than {@code starts.length} elements.
     */
    public int split(final DirectBuffer json, final int offset, final int length, final int[] starts,
        final int[] lengths) {
        reader.reset(json, offset, length);
        reader.beginArrayDocument();
        int count = 0;
        while (reader.nextElement()) {
            if (count == starts.length) {
                throw new ValidationException("$", "more than " + starts.length + " elements");
            }
            starts[count] = reader.position();
            reader.skipValue();
            lengths[count] = reader.position() - starts[count];
            count++;
        }
        reader.endDocument();
        return count;
    }
}
