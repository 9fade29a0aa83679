package io.ecap.model.json;

import io.ecap.testing.fuzz.Corpus;
import io.ecap.testing.fuzz.FuzzProfile;
import io.ecap.testing.fuzz.Mutations;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Fuzzes every JSON reader of the contract at once ({@link JsonOracle}): mutated real documents (the corpus in
 * {@code src/test/resources/fuzz/json}), deep nesting, huge numbers, card-number-like values, token soup and random
 * bytes. Tries scale with {@link FuzzProfile}; a failure prints the jqwik seed that replays it.
 */
@AddLifecycleHook(FuzzProfile.class)
class JsonReaderFuzzProperties {
    private static final JsonOracle ORACLE = new JsonOracle();
    private static final List<String> FIELDS = List.of("txnId", "ts", "customerId", "cardId", "merchantId",
        "amount", "currency", "deviceId", "ip", "country", "lat", "lon", "channel", "mcc", "email", "label", "source",
        "eventId", "type", "sessionId", "productId", "campaign", "price", "stock", "category", "decision", "score",
        "reasons", "journalIndex");
    private static final List<String> VALUES = List.of("1e999999", "-1e-999999", "-0", "0.", ".5", "01", "1e",
        "123456789012345678901234567890.5", "9223372036854775808", "-9223372036854775809", "1".repeat(65),
        "\"4111111111111111\"", "\"4111-1111-1111-1111\"", "4111111111111111", "\"pan:5500 0000 0000 0004\"",
        "\"\\u0000\"", "\"\\ud800\"", "\"\\udc00\\ud800\"", "\"\\u00\"", "\"\\x\"", "\"a\nb\"", "null", "true", "[]",
        "{}", "\"\"", "\".\"", "\"..\"", "\"" + "x".repeat(5000) + "\"", "\"9999-99-99T99:99:99Z\"",
        "\"2026-11-24T10:15:00\"", "\"2026-11-24T10:15:00+25:00\"", "\"::ffff:1.2.3.4\"", "\"1.2.3.256\"");
    private static final List<byte[]> PALETTE = palette();

    @AfterContainer
    static void close() {
        ORACLE.close();
    }

    private static List<byte[]> palette() {
        final List<String> text = List.of("\"", "\\", "{", "}", "[", "]", ",", ":", "0", "-", "e", ".", " ", "\t",
            "\n", "null", "\\u", "\\ud83d\\ude00", ",\"amount\":\"1\"", ",\"txnId\":\"dup\"", ",\"ts\":0", "[[[[[[[[",
            "{\"a\":{\"a\":{\"a\":", "4111111111111111", "1e999999");
        final List<byte[]> bytes = new java.util.ArrayList<>(text.stream().map(Mutations::utf8).toList());
        bytes.addAll(List.of(new byte[] {(byte) 0xC0, (byte) 0x80}, new byte[] {(byte) 0xED, (byte) 0xA0,
            (byte) 0x80}, new byte[] {(byte) 0xFF}, new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
            new byte[] {(byte) 0xE2, (byte) 0x82}, new byte[] {0}, new byte[] {(byte) 0xEF, (byte) 0xBB,
                (byte) 0xBF}));
        return List.copyOf(bytes);
    }

    @Provide
    Arbitrary<byte[]> mutatedDocuments() {
        return Mutations.of(Corpus.files(getClass(), "/fuzz/json").stream().map(Corpus::bytes).toList(), PALETTE);
    }

    /** A valid transaction with one field set to a hostile value (or a known field given twice). */
    @Provide
    Arbitrary<byte[]> hostileValues() {
        final String base = "{\"txnId\":\"t-1\",\"ts\":\"2026-11-24T10:15:00Z\",\"customerId\":\"c-42\","
            + "\"cardId\":\"tok\",\"merchantId\":\"m-7\",\"amount\":\"129.90\",\"currency\":\"EUR\"";
        return Combinators.combine(Arbitraries.of(FIELDS), Arbitraries.of(VALUES), Arbitraries.of("", "label",
            "event", "product", "decision")).as((field, value, kind) -> Mutations.utf8(switch (kind) {
                case "label" -> "{\"txnId\":\"t\",\"label\":\"FRAUD\",\"source\":\"ANALYST\",\"ts\":0,\"" + field
                    + "\":" + value + "}";
                case "event" -> "{\"eventId\":\"e\",\"ts\":0,\"type\":\"search\",\"sessionId\":\"s\",\"" + field
                    + "\":" + value + "}";
                case "product" -> "{\"productId\":\"p\",\"ts\":0,\"stock\":1,\"" + field + "\":" + value + "}";
                case "decision" -> "{\"txnId\":\"t\",\"decision\":\"REVIEW\",\"score\":1,\"" + field + "\":"
                    + value + "}";
                default -> base + ",\"" + field + "\":" + value + "}";
            }));
    }

    @Provide
    Arbitrary<byte[]> deepNesting() {
        return Combinators.combine(Arbitraries.integers().between(1, 10_000), Arbitraries.of("[", "{\"a\":"),
            Arbitraries.of("{\"txnId\":", "", "[")).as((depth, open, prefix) -> {
                final String close = open.equals("[") ? "]" : "}";
                final String suffix = prefix.isEmpty() ? "" : prefix.equals("[") ? "]" : "}";
                return Mutations.utf8(prefix + open.repeat(depth) + "1" + close.repeat(depth) + suffix);
            });
    }

    @Provide
    Arbitrary<byte[]> tokenSoup() {
        final List<String> tokens = List.of("{", "}", "[", "]", ",", ":", "\"a\"", "1", "-1e999", "1e-999",
            "\"\\ud83d\\ude00\"", "\"txnId\"", "\"amount\"", "\"ts\"", "null", "true", " ", "\"4111111111111111\"");
        return Arbitraries.of(tokens).list().ofMaxSize(80).map(l -> Mutations.utf8(String.join("", l)));
    }

    @Provide
    Arbitrary<byte[]> randomBytes() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(400);
    }

    @Property(tries = 3000)
    void mutatedDocumentsGetAMessageOrAFieldNamed(@ForAll("mutatedDocuments") final byte[] json) throws Exception {
        ORACLE.check(json);
    }

    @Property(tries = 1000)
    void hostileValuesGetAMessageOrAFieldNamed(@ForAll("hostileValues") final byte[] json) throws Exception {
        ORACLE.check(json);
    }

    @Property(tries = 200)
    void deepNestingGetsAMessageOrAFieldNamed(@ForAll("deepNesting") final byte[] json) throws Exception {
        ORACLE.check(json);
    }

    @Property(tries = 1000)
    void tokenSoupGetsAMessageOrAFieldNamed(@ForAll("tokenSoup") final byte[] json) throws Exception {
        ORACLE.check(json);
    }

    @Property(tries = 1000)
    void randomBytesGetAMessageOrAFieldNamed(@ForAll("randomBytes") final byte[] json) throws Exception {
        ORACLE.check(json);
    }
}
