package io.ecap.model.json;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ecap.model.Channel;
import io.ecap.model.LabelSource;
import io.ecap.model.LabelValue;
import io.ecap.model.Outcome;
import io.ecap.model.UserEventType;
import io.ecap.model.binary.DecisionFlyweight;
import io.ecap.model.binary.LabelFlyweight;
import io.ecap.model.binary.ProductUpdateFlyweight;
import io.ecap.model.binary.TransactionFlyweight;
import io.ecap.model.binary.UserEventFlyweight;
import io.ecap.model.field.Countries;
import io.ecap.model.field.Currencies;
import io.ecap.model.field.PanMask;
import io.ecap.model.field.Timestamps;
import java.net.InetAddress;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.agrona.ExpandableArrayBuffer;

/** JSON to binary and back: every generated value survives, and a second round trip gives the same bytes. */
class RoundTripProperties {
    private final ExpandableArrayBuffer first = new ExpandableArrayBuffer(2048);
    private final ExpandableArrayBuffer second = new ExpandableArrayBuffer(2048);

    record Money(String currency, long minor) {
    }

    /**
     * Valid identifiers: printable ASCII, not one of the two that a URL path cannot carry, nothing that looks like a
     * card number (those are refused by design; TransactionJsonTest and PanMaskProperties cover them).
     */
    @Provide
    Arbitrary<String> ids() {
        return Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(64)
            .filter(id -> !id.equals(".") && !id.equals("..") && !PanMask.contains(id));
    }

    @Provide
    Arbitrary<Long> timestamps() {
        return Arbitraries.longs().between(Timestamps.MIN_MS, Timestamps.MAX_MS - 1);
    }

    @Provide
    Arbitrary<Money> money() {
        return Combinators.combine(Arbitraries.of(Currencies.codes()),
            Arbitraries.longs().between(1, TransactionJson.MAX_AMOUNT_MINOR)).as(Money::new);
    }

    @Provide
    Arbitrary<String> countries() {
        return Arbitraries.of(Locale.getISOCountries());
    }

    @Provide
    Arbitrary<String> ips() {
        final Arbitrary<String> v4 = Arbitraries.integers().between(0, 255).list().ofSize(4)
            .map(l -> l.get(0) + "." + l.get(1) + "." + l.get(2) + "." + l.get(3));
        final Arbitrary<String> v6 = Arbitraries.integers().between(0, 0xFFFF).map(i -> i < 0x8000 ? 0 : i)
            .list().ofSize(8).map(l -> {
                final StringBuilder sb = new StringBuilder();
                for (final int g : l) {
                    sb.append(sb.length() == 0 ? "" : ":").append(Integer.toHexString(g).toUpperCase(Locale.ROOT));
                }
                return sb.toString();
            });
        return Arbitraries.oneOf(v4, v6);
    }

    record Parties(String customer, String card, String merchant, String device) {
    }

    record Place(String ip, String country, int latDeg, int mcc) {
    }

    @Provide
    Arbitrary<Parties> parties() {
        return Combinators.combine(ids(), ids(), ids(), ids()).as(Parties::new);
    }

    @Provide
    Arbitrary<Place> places() {
        return Combinators.combine(ips(), countries(), Arbitraries.integers().between(-90, 90),
            Arbitraries.integers().between(0, 9999)).as(Place::new);
    }

    @Property(tries = 300)
    void transactionsSurviveTheRoundTrip(@ForAll("ids") final String txnId, @ForAll("timestamps") final long ts,
        @ForAll("parties") final Parties parties, @ForAll("money") final Money money,
        @ForAll("places") final Place place, @ForAll final boolean asNumbers) throws Exception {
        final String customer = parties.customer();
        final String card = parties.card();
        final String merchant = parties.merchant();
        final String device = parties.device();
        final String ip = place.ip();
        final String country = place.country();
        final int latDeg = place.latDeg();
        final int mcc = place.mcc();
        final JsonWriter w = new JsonWriter().beginObject();
        w.name("txnId").value(txnId);
        if (asNumbers) {
            w.name("ts").value(ts);
        } else {
            w.name("ts").value(Timestamps.formatIso(ts));
        }
        w.name("customerId").value(customer).name("cardId").value(card).name("merchantId").value(merchant);
        w.name("amount").decimalString(money.minor(), Currencies.exponentOf(Currencies.numericOf(money.currency(),
            "currency")));
        w.name("currency").value(money.currency()).name("deviceId").value(device).name("ip").value(ip);
        w.name("country").value(country).name("lat").value(latDeg / 1.7).name("lon").value(-latDeg * 1.9);
        w.name("channel").value(Channel.values()[mcc % 3].name()).name("mcc").value(mcc);
        w.name("email").value(Integer.toHexString(card.hashCode()));
        final String json = w.endObject().toString();

        final TransactionJson codec = new TransactionJson();
        final TransactionFlyweight txn = new TransactionFlyweight();
        final int length = codec.parse(Json.utf8(json), 0, json.length(), first, 0);
        txn.wrapForDecode(first, 0, length);
        assertEquals(txnId, txn.string(TransactionFlyweight.TXN_ID));
        assertEquals(ts, txn.tsMs());
        assertEquals(money.minor(), txn.amountMinor());
        assertEquals(money.currency(), Currencies.codeOf(txn.currency()));
        assertEquals(country, Countries.unpack(txn.country()));
        assertEquals(latDeg / 1.7, txn.lat());
        assertEquals(-latDeg * 1.9, txn.lon());
        assertEquals(mcc, txn.mcc());
        assertArrayEquals(InetAddress.getByName(ip).getAddress(),
            InetAddress.getByName(txn.string(TransactionFlyweight.IP)).getAddress());

        final JsonWriter again = new JsonWriter();
        codec.write(txn, again);
        final String json2 = again.toString();
        final int length2 = codec.parse(Json.utf8(json2), 0, json2.length(), second, 0);
        assertEquals(length, length2);
        assertEquals(first.getStringWithoutLengthAscii(0, length), second.getStringWithoutLengthAscii(0, length2));
    }

    @Property(tries = 200)
    void decisionsSurviveTheRoundTrip(@ForAll("ids") final String txnId,
        @ForAll @IntRange(max = 1000) final int score, @ForAll @IntRange(max = 8) final int reasons,
        @ForAll final double value, @ForAll final long index, @ForAll @IntRange(max = 3) final int outcome) {
        final DecisionFlyweight d = new DecisionFlyweight().wrapForEncode(first, 0)
            .score(score).outcome(Outcome.ofCode(outcome % 3 + 1)).journalIndex(index & Long.MAX_VALUE)
            .engineNanos(Math.abs(index % 100_000)).putString(DecisionFlyweight.TXN_ID, txnId)
            .putString(DecisionFlyweight.RULE_SET_VERSION, "default@3")
            .putString(DecisionFlyweight.MODEL_VERSION, "gbt 7");
        for (int i = 0; i < reasons; i++) {
            d.addReason("CODE_" + i, "detail \"" + i + "\" \\ x", i == 0 ? value : i * 0.5);
        }
        final int length = d.encodedLength();
        final String json = write(d, length);
        final DecisionJson codec = new DecisionJson();
        final int length2 = codec.parse(Json.utf8(json), 0, json.length(), second, 0);
        assertEquals(json, write(new DecisionFlyweight(), second, length2));
        final DecisionFlyweight back = new DecisionFlyweight();
        back.wrapForDecode(second, 0, length2);
        assertEquals(reasons, back.reasonCount());
        if (reasons > 0 && !Double.isNaN(value) && !Double.isInfinite(value)) {
            assertEquals(value, back.reasonValue(0));
        }
    }

    private String write(final DecisionFlyweight d, final int length) {
        return write(d, first, length);
    }

    private static String write(final DecisionFlyweight d, final ExpandableArrayBuffer buffer, final int length) {
        d.wrapForDecode(buffer, 0, length);
        final JsonWriter w = new JsonWriter();
        new DecisionJson().write(d, w);
        return w.toString();
    }

    @Property(tries = 200)
    void labelsSurviveTheRoundTrip(@ForAll("ids") final String txnId, @ForAll("timestamps") final long ts,
        @ForAll final LabelValue label, @ForAll final LabelSource source) {
        final String json = new JsonWriter().beginObject().name("txnId").value(txnId).name("label")
            .value(label.name()).name("source").value(source.name()).name("ts").value(ts).endObject().toString();
        final LabelJson codec = new LabelJson();
        final LabelFlyweight f = new LabelFlyweight();
        f.wrapForDecode(first, 0, codec.parse(Json.utf8(json), 0, json.length(), first, 0));
        assertEquals(txnId, f.txnId());
        assertEquals(ts, f.tsMs());
        assertEquals(label, f.label());
        assertEquals(source, f.source());
        final JsonWriter w = new JsonWriter();
        codec.write(f, w);
        final int length2 = codec.parse(w.buffer(), 0, w.length(), second, 0);
        assertEquals(f.encodedLength(), length2);
    }

    @Property(tries = 200)
    void userEventsSurviveTheRoundTrip(@ForAll("ids") final String eventId, @ForAll("timestamps") final long ts,
        @ForAll final UserEventType type, @ForAll("ids") final String session, @ForAll("ids") final String product,
        @ForAll("money") final Money money, @ForAll final boolean withCustomer) {
        final JsonWriter w = new JsonWriter().beginObject().name("eventId").value(eventId).name("ts")
            .value(Timestamps.formatIso(ts)).name("type").value(type.jsonName()).name("sessionId").value(session)
            .name("productId").value(product).name("campaign").value("spring-sale");
        if (withCustomer) {
            w.name("customerId").value(session).name("channel").value("WEB");
        }
        if (type == UserEventType.PURCHASE) {
            w.name("amount").decimalString(money.minor(),
                Currencies.exponentOf(Currencies.numericOf(money.currency(), "currency")));
            w.name("currency").value(money.currency());
        }
        final String json = w.endObject().toString();
        final UserEventJson codec = new UserEventJson();
        final UserEventFlyweight f = new UserEventFlyweight();
        f.wrapForDecode(first, 0, codec.parse(Json.utf8(json), 0, json.length(), first, 0));
        assertEquals(eventId, f.string(UserEventFlyweight.EVENT_ID));
        assertEquals(type, f.type());
        assertEquals(withCustomer ? session : null, f.string(UserEventFlyweight.CUSTOMER_ID));
        assertEquals(type == UserEventType.PURCHASE ? money.minor() : 0, f.amountMinor());
        final JsonWriter again = new JsonWriter();
        codec.write(f, again);
        final int length2 = codec.parse(again.buffer(), 0, again.length(), second, 0);
        assertEquals(first.getStringWithoutLengthAscii(0, f.encodedLength()),
            second.getStringWithoutLengthAscii(0, length2));
    }

    @Property(tries = 200)
    void productUpdatesSurviveTheRoundTrip(@ForAll("ids") final String product, @ForAll("timestamps") final long ts,
        @ForAll("money") final Money money, @ForAll @IntRange(max = 1_000_000) final int stock,
        @ForAll @IntRange(max = 7) final int presentMask) {
        final int mask = presentMask == 0 ? 7 : presentMask;
        final JsonWriter w = new JsonWriter().beginObject().name("productId").value(product).name("ts").value(ts);
        if ((mask & 1) != 0) {
            w.name("price").decimalString(money.minor(),
                Currencies.exponentOf(Currencies.numericOf(money.currency(), "currency")));
            w.name("currency").value(money.currency());
        }
        if ((mask & 2) != 0) {
            w.name("stock").value(stock);
        }
        if ((mask & 4) != 0) {
            w.name("category").value("Home & Garden");
        }
        final String json = w.endObject().toString();
        final ProductUpdateJson codec = new ProductUpdateJson();
        final ProductUpdateFlyweight f = new ProductUpdateFlyweight();
        f.wrapForDecode(first, 0, codec.parse(Json.utf8(json), 0, json.length(), first, 0));
        assertEquals((mask & 1) != 0 ? money.minor() : ProductUpdateFlyweight.ABSENT, f.priceMinor());
        assertEquals((mask & 2) != 0 ? stock : -1, f.stock());
        final JsonWriter again = new JsonWriter();
        codec.write(f, again);
        assertEquals(json.replace("\"ts\":" + ts, "\"ts\":\"" + Timestamps.formatIso(ts) + "\""),
            again.toString());
    }
}
