package io.ecap.hotpath.engine;

import io.ecap.model.json.TransactionJson;
import java.nio.charset.StandardCharsets;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/** Builds binary transaction messages for tests. */
final class Txns {
    static final long T0 = 1_795_500_000_000L;
    private final TransactionJson json = new TransactionJson();
    final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(1024);
    int length;

    /** Encodes a transaction; {@code extra} is more JSON fields (without braces), or empty. */
    Txns txn(final String id, final long ts, final String customer, final String card, final String amount,
        final String extra) {
        final String text = "{\"txnId\":\"" + id + "\",\"ts\":" + ts + ",\"customerId\":\"" + customer
            + "\",\"cardId\":\"" + card + "\",\"merchantId\":\"m-1\",\"amount\":\"" + amount
            + "\",\"currency\":\"USD\"" + (extra.isEmpty() ? "" : "," + extra) + "}";
        final UnsafeBuffer in = new UnsafeBuffer(text.getBytes(StandardCharsets.UTF_8));
        length = json.parse(in, 0, in.capacity(), buffer, 0);
        return this;
    }
}
