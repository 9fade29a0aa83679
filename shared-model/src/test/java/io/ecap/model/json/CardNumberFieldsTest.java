package io.ecap.model.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ecap.model.ValidationException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A card number is refused in every identifier and text field of every contract, in every spelling, with the field
 * named and the number not repeated in the message.
 */
class CardNumberFieldsTest {
    static final String TRANSACTION = "{\"txnId\":\"t-1\",\"ts\":1795509000000,\"customerId\":\"c-1\","
        + "\"cardId\":\"tok_1\",\"merchantId\":\"m-1\",\"amount\":\"1.00\",\"currency\":\"EUR\",\"deviceId\":\"d-1\","
        + "\"ip\":\"10.0.0.1\",\"email\":\"9f86d081884c7d65\"}";
    static final String USER_EVENT = "{\"eventId\":\"e-1\",\"ts\":1795509000000,\"type\":\"purchase\","
        + "\"sessionId\":\"s-1\",\"customerId\":\"c-1\",\"productId\":\"p-1\",\"campaign\":\"spring\"}";
    static final String LABEL = "{\"txnId\":\"t-1\",\"label\":\"FRAUD\",\"source\":\"ANALYST\",\"ts\":1795509000000}";
    static final String PRODUCT = "{\"productId\":\"p-1\",\"ts\":1795509000000,\"category\":\"shoes\"}";
    /** Each document with its text fields: every one that carries an identifier or free text. */
    static final Object[][] FIELDS = {
        {"transaction", TRANSACTION, new String[] {"txnId", "customerId", "cardId", "merchantId", "deviceId", "ip",
            "email"}},
        {"event", USER_EVENT, new String[] {"eventId", "sessionId", "customerId", "productId", "campaign"}},
        {"label", LABEL, new String[] {"txnId"}},
        {"product", PRODUCT, new String[] {"productId", "category"}},
    };
    private static final String[] SPELLINGS = {"4111111111111111", "4111-1111-1111-1111", "4111 1111 1111 1111",
        "pan:5555555555554444", "378282246310005"};

    private final ExpandableArrayBuffer out = new ExpandableArrayBuffer(1024);

    static Stream<Arguments> everyFieldAndSpelling() {
        final List<Arguments> all = new ArrayList<>();
        for (final Object[] type : FIELDS) {
            for (final String field : (String[]) type[2]) {
                for (final String pan : SPELLINGS) {
                    all.add(Arguments.of(type[0], ((String) type[1]).replaceFirst("\"" + field + "\":\"[^\"]*\"",
                        "\"" + field + "\":\"" + pan + "\""), field));
                }
            }
        }
        return all.stream();
    }

    private int parse(final String type, final String json) {
        final UnsafeBuffer in = Json.utf8(json);
        return switch (type) {
            case "transaction" -> new TransactionJson().parse(in, 0, in.capacity(), out, 0);
            case "event" -> new UserEventJson().parse(in, 0, in.capacity(), out, 0);
            case "label" -> new LabelJson().parse(in, 0, in.capacity(), out, 0);
            default -> new ProductUpdateJson().parse(in, 0, in.capacity(), out, 0);
        };
    }

    @ParameterizedTest(name = "{0}.{2}: {1}")
    @MethodSource("everyFieldAndSpelling")
    void shouldRefuseACardNumberNamingTheField(final String type, final String json, final String field) {
        final ValidationException e = assertThrows(ValidationException.class, () -> parse(type, json));
        assertEquals(field, e.field(), e.getMessage());
        assertTrue(e.problem().startsWith("looks like a card number"), e.getMessage());
        assertFalse(e.getMessage().matches(".*\\d{4}.*"), "the message does not repeat the number: " + e.getMessage());
    }

    @ParameterizedTest
    @MethodSource("documents")
    void shouldAcceptTheDocumentsWithoutOne(final String type, final String json) {
        assertTrue(parse(type, json) > 0);
    }

    static Stream<Arguments> documents() {
        return Stream.of(FIELDS).map(type -> Arguments.of(type[0], type[1]));
    }
}
