package io.ecap.gateway.kafka;

import io.ecap.hotpath.engine.Commands;
import io.ecap.model.ValidationException;
import io.ecap.model.json.CustomerProfileJson;
import io.ecap.model.json.LabelJson;
import io.ecap.model.json.ProductUpdateJson;
import io.ecap.model.json.TransactionJson;
import io.ecap.model.json.UserEventJson;
import io.ecap.model.topic.Topics;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * An input topic of the bridge: the JSON its records carry (the same contract as the HTTP API) and the engine command
 * it becomes. One set of parsers per bridge; not thread-safe.
 */
enum InputTopic {
    TRANSACTIONS(Topics.TRANSACTIONS, Commands.SCORE),
    USER_EVENTS(Topics.USER_EVENTS, Commands.USER_EVENT),
    PRODUCT_UPDATES(Topics.PRODUCT_UPDATES, Commands.PRODUCT_UPDATE),
    CUSTOMER_PROFILES(Topics.CUSTOMER_PROFILES, Commands.CUSTOMER_PROFILE),
    LABELS(Topics.LABELS, Commands.LABEL);

    private final String topic;
    private final int command;

    InputTopic(final String topic, final int command) {
        this.topic = topic;
        this.command = command;
    }

    String topic() {
        return topic;
    }

    String deadLetterTopic() {
        return Topics.deadLetter(topic);
    }

    int command() {
        return command;
    }

    static InputTopic of(final String topic) {
        for (final InputTopic input : values()) {
            if (input.topic.equals(topic)) {
                return input;
            }
        }
        throw new IllegalArgumentException("not an input topic: " + topic);
    }

    /** The parsers of one bridge. */
    static final class Parsers {
        private final TransactionJson transactions = new TransactionJson();
        private final UserEventJson events = new UserEventJson();
        private final ProductUpdateJson products = new ProductUpdateJson();
        private final CustomerProfileJson profiles = new CustomerProfileJson();
        private final LabelJson labels = new LabelJson();
        private final UnsafeBuffer value = new UnsafeBuffer(new byte[0]);

        /** Checks a record's value and encodes it at the start of {@code out}; returns the encoded length. */
        int parse(final InputTopic input, final byte[] json, final MutableDirectBuffer out) {
            if (json == null || json.length == 0) {
                throw new ValidationException("value", "is empty: expected a JSON object");
            }
            value.wrap(json);
            return switch (input) {
                case TRANSACTIONS -> transactions.parse(value, 0, json.length, out, 0);
                case USER_EVENTS -> events.parse(value, 0, json.length, out, 0);
                case PRODUCT_UPDATES -> products.parse(value, 0, json.length, out, 0);
                case CUSTOMER_PROFILES -> profiles.parse(value, 0, json.length, out, 0);
                case LABELS -> labels.parse(value, 0, json.length, out, 0);
            };
        }
    }
}
