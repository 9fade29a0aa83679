package io.ecap.model.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ecap.model.ValidationException;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Rejections of labels, user events, product updates, customer profiles and decisions, each naming its field. */
class OtherTypesJsonTest {
    private final ExpandableArrayBuffer out = new ExpandableArrayBuffer(1024);

    private ValidationException reject(final String type, final String json) {
        final UnsafeBuffer in = Json.utf8(json);
        return assertThrows(ValidationException.class, () -> {
            switch (type) {
                case "label" -> new LabelJson().parse(in, 0, in.capacity(), out, 0);
                case "event" -> new UserEventJson().parse(in, 0, in.capacity(), out, 0);
                case "product" -> new ProductUpdateJson().parse(in, 0, in.capacity(), out, 0);
                case "profile" -> new CustomerProfileJson().parse(in, 0, in.capacity(), out, 0);
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
        "profile|{\"customerId\":\"c\",\"ts\":1795509000000}|segment|at least one of",
        "profile|{\"ts\":1795509000000,\"churnRisk\":0.5}|customerId|is required",
        "profile|{\"customerId\":\"~0123456789abcdef01234567\",\"ts\":1795509000000,\"churnRisk\":0.5}|customerId|"
            + "pseudonym",
        "event|{\"eventId\":\"e\",\"ts\":1795509000000,\"type\":\"search\",\"sessionId\":\"s\","
            + "\"customerId\":\"~0123456789abcdef01234567\"}|customerId|pseudonym",
        "profile|{\"customerId\":\"c\",\"churnRisk\":0.5}|ts|is required",
        "profile|{\"customerId\":\"c\",\"ts\":1795509000000,\"segment\":\"VIP\"}|segment|is not an RFM segment",
        "profile|{\"customerId\":\"c\",\"ts\":1795509000000,\"churnRisk\":1.5}|churnRisk|must be between",
        "profile|{\"customerId\":\"c\",\"ts\":1795509000000,\"lifetimeOrders\":-2}|lifetimeOrders|"
            + "must be a whole number",
        "profile|{\"customerId\":\"c\",\"ts\":1795509000000,\"clv\":\"12.5\"}|currency|is required",
        "profile|{\"customerId\":\"c\",\"ts\":1795509000000,\"clv\":\"-3\",\"currency\":\"USD\"}|clv|"
            + "must not be negative",
        "profile|{\"customerId\":\"c\",\"ts\":1795509000000,\"clv\":\"1.2345\",\"currency\":\"USD\"}|clv|"
            + "has 4 decimal places",
        "decision|{\"txnId\":\"t\"}|decision|is required",
        "decision|{\"txnId\":\"t\",\"decision\":\"APPROVE\",\"score\":1001}|score|must be a whole number",
        "decision|{\"txnId\":\"t\",\"reasons\":[{\"detail\":\"x\"}]}|reasons.code|is required",
    })
    void shouldNameTheField(final String type, final String json, final String field, final String problem) {
        final ValidationException e = reject(type, json);
        assertEquals(field, e.field(), e.getMessage());
        assertTrue(e.problem().contains(problem), e.getMessage());
    }

    @org.junit.jupiter.api.Test
    void aProfileGoesBothWaysWithZeroLifetimeValue() {
        final String json = "{\"customerId\":\"c-1\",\"ts\":\"2026-11-30T00:00:00Z\",\"segment\":\"Cannot Lose Them\","
            + "\"clv\":\"0\",\"currency\":\"EUR\",\"churnRisk\":0.25,\"lifetimeOrders\":7}";
        final UnsafeBuffer in = Json.utf8(json);
        new CustomerProfileJson().parse(in, 0, in.capacity(), out, 0);
        final io.ecap.model.binary.CustomerProfileFlyweight p = new io.ecap.model.binary.CustomerProfileFlyweight();
        p.wrapForDecode(out, 0, out.capacity());
        final JsonWriter w = new JsonWriter();
        new CustomerProfileJson().write(p, w);
        assertEquals("{\"customerId\":\"c-1\",\"ts\":\"2026-11-30T00:00:00.000Z\",\"segment\":\"Cannot Lose Them\","
            + "\"clv\":\"0.00\",\"currency\":\"EUR\",\"churnRisk\":0.25,\"lifetimeOrders\":7}", w.toString());
    }
}
