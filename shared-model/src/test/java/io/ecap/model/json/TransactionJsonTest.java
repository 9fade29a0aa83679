package io.ecap.model.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ecap.model.Channel;
import io.ecap.model.ValidationException;
import io.ecap.model.binary.TransactionFlyweight;
import io.ecap.model.field.Countries;
import java.nio.charset.StandardCharsets;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TransactionJsonTest {
    private static final String VALID = "{\"txnId\":\"t-1\",\"ts\":\"2026-11-24T08:30:00.250Z\",\"customerId\":\"c-1\","
        + "\"cardId\":\"tok_4f9a\",\"merchantId\":\"m-1\",\"amount\":\"12.50\",\"currency\":\"EUR\"}";

    private final TransactionJson codec = new TransactionJson();
    private final ExpandableArrayBuffer out = new ExpandableArrayBuffer(1024);

    private TransactionFlyweight parse(final String json) {
        final UnsafeBuffer in = Json.utf8(json);
        final int length = codec.parse(in, 0, in.capacity(), out, 0);
        final TransactionFlyweight txn = new TransactionFlyweight();
        assertEquals(length, txn.wrapForDecode(out, 0, length));
        return txn;
    }

    private ValidationException reject(final String json) {
        return assertThrows(ValidationException.class, () -> parse(json));
    }

    private static String with(final String fieldAndValue) {
        return VALID.substring(0, VALID.length() - 1) + "," + fieldAndValue + "}";
    }

    private static String without(final String field) {
        return VALID.replaceAll("\"" + field + "\":\"[^\"]*\",?", "").replace(",}", "}");
    }

    /**
     * A field name written with an escape is refused: decoded it may be a known field ({@code amount} with its
     * {@code o} escaped), which other readers would take as a second amount while a reader comparing names as written
     * would skip it.
     */
    @Test
    void shouldRefuseAFieldNameWrittenWithAnEscape() {
        final ValidationException second = reject(with("\"am\\u006funt\":\"1.00\""));
        assertEquals("$", second.field());
        assertTrue(second.getMessage().contains("a field name is written with an escape"), second.getMessage());
        reject(without("amount").replace("}", ",\"am\\u006funt\":\"1.00\"}"));
        reject(with("\"no\\\"te\":1"));
        assertEquals("t-1", parse(with("\"note\":\"a \\u00e9 value\"")).string(TransactionFlyweight.TXN_ID),
            "escapes in values are fine");
    }

    /**
     * A document is read only within its bounds, whatever follows it in the buffer (the reader reads bytes without a
     * check per byte, so the bounds are checked once and the end on every read).
     */
    @Test
    void shouldReadOnlyTheDocumentsOwnBytes() {
        final UnsafeBuffer in = Json.utf8(VALID + VALID);
        final int length = codec.parse(in, VALID.length(), VALID.length(), out, 0);
        final TransactionFlyweight second = new TransactionFlyweight();
        second.wrapForDecode(out, 0, length);
        assertEquals("t-1", second.string(TransactionFlyweight.TXN_ID));
        final String cut = with("\"mcc\":12").replace("12}", "1");
        final UnsafeBuffer tail = Json.utf8(cut + "2}" + VALID);
        final ValidationException e = assertThrows(ValidationException.class,
            () -> codec.parse(tail, 0, cut.length(), out, 0));
        assertTrue(e.getMessage().contains("not closed"), e.getMessage());
        final String literal = with("\"unknown\":tr");
        final UnsafeBuffer afterLiteral = Json.utf8(literal.substring(0, literal.length() - 1) + "ue}");
        assertThrows(ValidationException.class,
            () -> codec.parse(afterLiteral, 0, literal.length() - 1, out, 0), "a literal cut by the end");
        assertThrows(IndexOutOfBoundsException.class,
            () -> codec.parse(in, VALID.length() + 1, VALID.length(), out, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> codec.parse(in, -1, 10, out, 0));
    }

    @Test
    void shouldParseRequiredFields() {
        final TransactionFlyweight txn = parse(VALID);
        assertEquals("t-1", txn.string(TransactionFlyweight.TXN_ID));
        assertEquals(1_795_509_000_250L, txn.tsMs());
        assertEquals(1250, txn.amountMinor());
        assertEquals(978, txn.currency());
        assertEquals("tok_4f9a", txn.string(TransactionFlyweight.CARD_ID));
        assertEquals(null, txn.string(TransactionFlyweight.DEVICE_ID));
        assertTrue(Double.isNaN(txn.lat()));
        assertEquals(TransactionFlyweight.MCC_ABSENT, txn.mcc());
    }

    @Test
    void shouldParseOptionalFieldsAndIgnoreUnknownOnes() {
        final TransactionFlyweight txn = parse(with("\"deviceId\":\"d-9\",\"ip\":\"2001:DB8:0:0:0:0:0:1\","
            + "\"country\":\"DE\",\"lat\":52.52,\"lon\":13.405,\"channel\":\"APP\",\"mcc\":\"5411\","
            + "\"email\":\"9f86d081\",\"extra\":{\"nested\":[1,2,{\"a\":null}]},\"more\":[]"));
        assertEquals("d-9", txn.string(TransactionFlyweight.DEVICE_ID));
        assertEquals("2001:db8::1", txn.string(TransactionFlyweight.IP));
        assertEquals(Countries.pack("DE"), txn.country());
        assertEquals(52.52, txn.lat());
        assertEquals(13.405, txn.lon());
        assertEquals(Channel.APP.code(), txn.channel());
        assertEquals(5411, txn.mcc());
        assertEquals("9f86d081", txn.string(TransactionFlyweight.EMAIL_HASH));
    }

    @Test
    void shouldAcceptEpochMillisAndNumericAmountsAndOffsets() {
        final String json = VALID.replace("\"2026-11-24T08:30:00.250Z\"", "1795509000250")
            .replace("\"12.50\"", "12.5");
        final TransactionFlyweight txn = parse(json);
        assertEquals(1_795_509_000_250L, txn.tsMs());
        assertEquals(1250, txn.amountMinor());
        assertEquals(1_795_509_000_250L,
            parse(VALID.replace("08:30:00.250Z", "09:30:00.250+01:00")).tsMs());
        assertEquals(150_000, parse(VALID.replace("\"12.50\"", "1.5e3")).amountMinor());
        assertEquals(1250, parse(VALID.replace("\"12.50\"", "\"12.500\"")).amountMinor());
    }

    @Test
    void shouldTreatNullAsAbsent() {
        assertEquals(null, parse(with("\"deviceId\":null")).string(TransactionFlyweight.DEVICE_ID));
        assertEquals("txnId", reject(VALID.replace("\"t-1\"", "null")).field());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "txnId|is required",
        "ts|is required",
        "customerId|is required",
        "cardId|is required",
        "merchantId|is required",
        "amount|is required",
        "currency|is required",
    })
    void shouldNameAMissingRequiredField(final String field, final String problem) {
        final ValidationException e = reject(without(field));
        assertEquals(field, e.field());
        assertEquals(problem, e.problem());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "\"amount\":\"12.5.0\"|amount|is not a decimal number",
        "\"amount\":\"12.505\"|amount|has 3 decimal places but EUR allows 2",
        "\"amount\":\"1.00000000000000000001\"|amount|has 20 decimal places but EUR allows 2",
        "\"amount\":\"0.12345678901234567891\"|amount|has 20 decimal places but EUR allows 2",
        "\"amount\":\"123456789.1234567890123450000\"|amount|has 15 decimal places but EUR allows 2",
        "\"amount\":1.5e-19|amount|has 20 decimal places but EUR allows 2",
        "\"amount\":\"-3\"|amount|must be greater than zero",
        "\"amount\":0|amount|must be greater than zero",
        "\"amount\":true|amount|expected a decimal amount",
        "\"amount\":\"1e3\"|amount|is not a decimal number",
        "\"amount\":\"99999999999999999999\"|amount|is too large",
        "\"currency\":\"XXX\"|currency|is not a supported ISO 4217",
        "\"currency\":\"eur\"|currency|is not a supported ISO 4217",
        "\"currency\":978|currency|expected a string",
        "\"ts\":\"1999-12-31T23:59:59Z\"|ts|out of range",
        "\"ts\":\"2026-02-30T00:00:00Z\"|ts|not a valid date",
        "\"ts\":\"2026-11-24 08:30:00\"|ts|not an ISO-8601 timestamp",
        "\"ts\":4102444800000|ts|out of range",
        "\"ts\":1795509000250.5|ts|must be whole epoch milliseconds",
        "\"ts\":[]|ts|expected an ISO-8601 string",
        "\"customerId\":\"x123456789x123456789x123456789x123456789x123456789x123456789x1234\"|customerId|"
            + "is 65 characters long (at most 64)",
        "\"customerId\":\"\"|customerId|must not be empty",
        "\"customerId\":\"a b\"|customerId|not printable ASCII",
        "\"cardId\":\"~0123456789abcdef01234567\"|cardId|the shape of an erased id's pseudonym",
        "\"customerId\":42|customerId|expected a string, found a number",
        "\"cardId\":\"4111111111111111\"|cardId|looks like a card number",
        "\"txnId\":\"..\"|txnId|could not be fetched back",
        "\"txnId\":\".\"|txnId|could not be fetched back",
        "\"customerId\":\"..\"|customerId|could not be fetched back with GET /v1/customers/{customerId}",
        "\"email\":\"jane@example.com\"|email|must be a hash",
        "\"country\":\"XX\"|country|not an ISO 3166",
        "\"channel\":\"web\"|channel|must be one of WEB, APP, POS",
        "\"mcc\":10000|mcc|must be a whole number from 0 to 9999",
        "\"lat\":91,\"lon\":0|lat|must be between",
        "\"lat\":10|lon|is required when lat is given",
        "\"ip\":\"300.1.1.1\"|ip|not an IPv4 or IPv6",
        "\"ip\":\"example.com\"|ip|not an IPv4 or IPv6",
        "\"bin\":\"41111\"|bin|first 6 or 8 digits",
        "\"bin\":\"4111111\"|bin|first 6 or 8 digits",
        "\"bin\":\"41111a\"|bin|first 6 or 8 digits",
        "\"bin\":411111|bin|expected a string",
        "\"bin\":\"4111111111111111\"|bin|looks like a card number",
    })
    void shouldRejectABadFieldWithItsName(final String replacement, final String field, final String problem) {
        final String name = replacement.substring(1, replacement.indexOf('"', 1));
        final String json = VALID.contains("\"" + name + "\"")
            ? VALID.replaceAll("\"" + name + "\":\"[^\"]*\"", replacement) : with(replacement);
        final ValidationException e = reject(json);
        assertEquals(field, e.field(), e.getMessage());
        assertTrue(e.problem().contains(problem), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''|the document is empty",
        "[]|expected a JSON object",
        "{\"txnId\":\"t\"|not closed",
        "{\"txnId\" \"t\"}|expected ':'",
        "{\"txnId\":\"t\",}|expected a field name",
        "{\"txnId\":\"t\"} x|unexpected content",
        "{\"a\":[1,2}|expected ',' or a closing bracket",
        "{\"a\":01}|not a valid JSON number",
        "{\"a\":\"\\x\"}|invalid escape",
        "{\"a\":\"\\ud800\"}|unpaired surrogate",
    })
    void shouldRejectMalformedJson(final String json, final String problem) {
        final ValidationException e = reject(json);
        assertTrue(e.problem().contains(problem), e.getMessage());
    }

    @Test
    void shouldRejectDuplicateFieldsDeepNestingAndInvalidUtf8() {
        assertEquals("amount", reject(with("\"amount\":\"3\"")).field());
        final String deep = "[".repeat(40) + "]".repeat(40);
        assertTrue(reject(with("\"x\":" + deep)).problem().contains("nesting deeper"));
        final byte[] bytes = VALID.replace("c-1", "c-\u00e9").getBytes(StandardCharsets.UTF_8);
        bytes[VALID.indexOf("c-1") + 2] = (byte) 0xC0; // overlong lead byte
        final UnsafeBuffer in = new UnsafeBuffer(bytes);
        final ValidationException e = assertThrows(ValidationException.class,
            () -> codec.parse(in, 0, in.capacity(), out, 0));
        assertEquals("customerId", e.field());
        assertTrue(e.problem().contains("UTF-8"));
    }

    /**
     * A BIN makes the payment a version 2 message; one without is version 1, byte for byte what an earlier ECAP wrote
     * (its idempotency digest and its journal bytes stay the same).
     */
    @Test
    void shouldCarryABinInVersionTwoOnly() {
        final TransactionFlyweight plain = parse(VALID);
        assertEquals(1, out.getShort(2, io.ecap.model.binary.MessageHeader.ORDER), "no BIN: version 1");
        assertEquals(0, plain.stringLength(TransactionFlyweight.BIN));
        final int plainLength = plain.encodedLength();
        final TransactionFlyweight withBin = parse(with("\"bin\":\"41111122\""));
        assertEquals(2, out.getShort(2, io.ecap.model.binary.MessageHeader.ORDER), "a BIN: version 2");
        assertEquals("41111122", withBin.string(TransactionFlyweight.BIN));
        assertEquals(plainLength + 9, withBin.encodedLength(), "one more field: its length byte and 8 digits");
        assertEquals("c-1", withBin.string(TransactionFlyweight.CUSTOMER_ID));
        final JsonWriter writer = new JsonWriter();
        codec.write(withBin, writer);
        assertTrue(writer.toString().endsWith(",\"bin\":\"41111122\"}"), writer.toString());
        assertEquals(0, parse(with("\"bin\":null")).stringLength(TransactionFlyweight.BIN), "null: absent");
    }

    @Test
    void shouldWriteWhatItParsed() {
        final String json = with("\"deviceId\":\"d-9\",\"ip\":\"10.0.0.1\",\"country\":\"DE\",\"lat\":52.52,"
            + "\"lon\":13.405,\"channel\":\"POS\",\"mcc\":5411,\"email\":\"9f86\"");
        final TransactionFlyweight txn = parse(json);
        final JsonWriter writer = new JsonWriter();
        codec.write(txn, writer);
        assertEquals("{\"txnId\":\"t-1\",\"ts\":\"2026-11-24T08:30:00.250Z\",\"customerId\":\"c-1\","
            + "\"cardId\":\"tok_4f9a\",\"merchantId\":\"m-1\",\"amount\":\"12.50\",\"currency\":\"EUR\","
            + "\"deviceId\":\"d-9\",\"ip\":\"10.0.0.1\",\"country\":\"DE\",\"lat\":52.52,\"lon\":13.405,"
            + "\"channel\":\"POS\",\"mcc\":5411,\"email\":\"9f86\"}", writer.toString());
    }
}
