package io.ecap.model.json;

import io.ecap.model.binary.DecisionFlyweight;
import io.ecap.model.binary.LabelFlyweight;
import io.ecap.model.binary.ProductUpdateFlyweight;
import io.ecap.model.binary.TransactionFlyweight;
import io.ecap.model.binary.UserEventFlyweight;
import java.util.List;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/** Every JSON reader of the contract with its writer, in one shape, for tests that treat them alike (fuzzing). */
final class JsonCodecs {
    interface Parse {
        int parse(DirectBuffer json, int offset, int length, MutableDirectBuffer target, int at);
    }

    /** Writes the message encoded in {@code encoded[0, length)} back as JSON. */
    interface Write {
        void write(DirectBuffer encoded, int length, JsonWriter out);
    }

    record Codec(String name, List<String> fields, Parse parse, Write write) {
    }

    private JsonCodecs() {
    }

    /** A fresh set (readers are one per thread). */
    static List<Codec> all() {
        final TransactionJson txn = new TransactionJson();
        final TransactionFlyweight txnFly = new TransactionFlyweight();
        final LabelJson label = new LabelJson();
        final LabelFlyweight labelFly = new LabelFlyweight();
        final UserEventJson event = new UserEventJson();
        final UserEventFlyweight eventFly = new UserEventFlyweight();
        final ProductUpdateJson product = new ProductUpdateJson();
        final ProductUpdateFlyweight productFly = new ProductUpdateFlyweight();
        final DecisionJson decision = new DecisionJson();
        final DecisionFlyweight decisionFly = new DecisionFlyweight();
        return List.of(
            new Codec("transaction", TransactionJson.FIELDS, txn::parse, (b, n, out) -> {
                txnFly.wrapForDecode(b, 0, n);
                txn.write(txnFly, out);
            }),
            new Codec("label", LabelJson.FIELDS, label::parse, (b, n, out) -> {
                labelFly.wrapForDecode(b, 0, n);
                label.write(labelFly, out);
            }),
            new Codec("user event", UserEventJson.FIELDS, event::parse, (b, n, out) -> {
                eventFly.wrapForDecode(b, 0, n);
                event.write(eventFly, out);
            }),
            new Codec("product update", ProductUpdateJson.FIELDS, product::parse, (b, n, out) -> {
                productFly.wrapForDecode(b, 0, n);
                product.write(productFly, out);
            }),
            new Codec("decision", DecisionJson.FIELDS, decision::parse, (b, n, out) -> {
                decisionFly.wrapForDecode(b, 0, n);
                decision.write(decisionFly, out);
            }));
    }
}
