package io.ecap.model.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ecap.model.ValidationException;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Rejections of labels, user events, product updates and decisions, each naming its field. */
class OtherTypesJsonTest {
    private final ExpandableArrayBuffer out = new ExpandableArrayBuffer(1024);

    private ValidationException reject(final String type, final String json) {
        final UnsafeBuffer in = Json.utf8(json);
        return assertThrows(ValidationException.class, () -> {
            switch (type) {
                case "label" -> new LabelJson().parse(in, 0, in.capacity(), out, 0);
                case "event" -> new UserEventJson().parse(in, 0, in.capacity(), out, 0);
                case "product" -> new ProductUpdateJson().parse(in, 0, in.capacity(), out, 0);
                default -> new DecisionJson().parse(in, 0, in.capacity(), out, 0);
            }
        });
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "label|{\"txnId\":\"t\",\"label\":\"FRAUD\",\"source\":\"ANALYST\"}|ts|is required",
        "label|{\"txnId\":\"..\",\"label\":\"FRAUD\",\"source\":\"ANALYST\",\"ts\":1795509000000}|txnId|"
            + "could not be fetched back",
        "label|{\"txnId\":\"t\",\"label\":\"MAYBE\",\"source\":\"ANALYST\",\"ts\":1795509000000}|label|must be one of",
        "label|{\"txnId\":\"t\",\"label\":\"FRAUD\",\"source\":\"BANK\",\"ts\":1795509000000}|source|must be one of",
        "event|{\"eventId\":\"e\",\"ts\":1795509000000,\"type\":\"click\",\"sessionId\":\"s\"}|type|must be one of",
        "event|{\"eventId\":\"e\",\"ts\":1795509000000,\"type\":\"search\"}|sessionId|is required",
        "event|{\"eventId\":\"e\",\"ts\":1795509000000,\"type\":\"purchase\",\"sessionId\":\"s\",\"amount\":3}|"
            + "currency|is required",
        "product|{\"productId\":\"p\",\"ts\":1795509000000}|price|at least one of",
        "product|{\"productId\":\"p\",\"ts\":1795509000000,\"price\":\"1.999\",\"currency\":\"USD\"}|price|"
            + "has 3 decimal places",
        "product|{\"productId\":\"p\",\"ts\":1795509000000,\"stock\":-1}|stock|must be a whole number",
        "decision|{\"txnId\":\"t\"}|decision|is required",
        "decision|{\"txnId\":\"t\",\"decision\":\"APPROVE\",\"score\":1001}|score|must be a whole number",
        "decision|{\"txnId\":\"t\",\"reasons\":[{\"detail\":\"x\"}]}|reasons.code|is required",
    })
    void shouldNameTheField(final String type, final String json, final String field, final String problem) {
        final ValidationException e = reject(type, json);
        assertEquals(field, e.field(), e.getMessage());
        assertTrue(e.problem().contains(problem), e.getMessage());
    }
}
