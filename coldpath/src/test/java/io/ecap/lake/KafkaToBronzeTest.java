package io.ecap.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ecap.testing.LocalBroker;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka → bronze and the windowed gold tables against a real broker ({@code ecap kafka} in a child JVM with the
 * kafka-broker module's classpath: Kafka 4 never meets Spark's), on local Spark.
 */
class KafkaToBronzeTest {
    private static final String[] MERCHANTS = {"m-0", "m-1", "m-2"};

    @TempDir
    static Path dir;

    private static LocalBroker broker;
    private static SparkSession spark;
    private static KafkaProducer<String, String> producer;

    @BeforeAll
    static void start() throws Exception {
        broker = LocalBroker.start(dir.resolve("broker"));
        spark = Lake.session("kafka-to-bronze-test");
        final Properties props = new Properties();
        props.put("bootstrap.servers", broker.bootstrapServers());
        props.put("enable.idempotence", "true");
        props.put("acks", "all");
        producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    @AfterAll
    static void stop() throws Exception {
        producer.close();
        spark.stop();
        broker.close();
    }

    @Test
    void copiesEveryTopicOnceThroughACrashRestartsDuplicatesAndBadRecords() throws Exception {
        final Lake lake = new Lake(dir.resolve("lake").toString());
        final KafkaToBronze.Options options = new KafkaToBronze.Options(broker.bootstrapServers(), 0, 60,
            "earliest", 40);
        final Expected expected = new Expected();

        // round one: 60 decisions over two hours, 10 of them sent again; events (two with fields ECAP does not
        // know yet), product updates, labels; one bad record per topic
        for (int i = 0; i < 60; i++) {
            decision(i, String.format("2026-11-02T%02d:%02d:00Z", 10 + i / 30, (i % 30) * 2), expected);
        }
        for (int i = 0; i < 10; i++) {
            send("decisions", "c-" + i % 7, decisionJson(i, String.format("2026-11-02T10:%02d:00Z", i * 2)));
        }
        for (int i = 0; i < 20; i++) {
            final String extra = i == 3 ? ",\"coupon\":\"X10\"" : i == 4 ? ",\"abTestGroup\":\"B\"" : "";
            // the API takes a time as ISO-8601 text or epoch milliseconds: e-5 comes with the latter
            final String ts = i == 5 ? "1793610300000" : "\"2026-11-02T09:" + (10 + i) + ":00Z\"";
            final String event = "{\"eventId\":\"e-" + i + "\",\"ts\":" + ts + ",\"type\":\"page_view\","
                + "\"sessionId\":\"s-" + i / 5 + "\",\"channel\":\"WEB\"" + extra + "}";
            send("user-events", "s-" + i / 5, event);
            if (i < 3) {
                send("user-events", "s-" + i / 5, event);
            }
        }
        for (int i = 0; i < 5; i++) {
            send("product-updates", "p-" + i, "{\"productId\":\"p-" + i + "\",\"ts\":\"2026-11-01T00:00:00Z\","
                + "\"price\":\"4." + i + "0\",\"currency\":\"USD\",\"stock\":" + (10 + i) + "}");
        }
        for (int i = 0; i < 4; i++) {
            send("labels", "t-" + i, "{\"txnId\":\"t-" + i + "\",\"label\":\"FRAUD\",\"source\":\"CHARGEBACK\","
                + "\"ts\":\"2026-11-05T08:00:00Z\"}");
        }
        send("decisions", "c-0", "not json, card 4111 1111 1111 1111");
        send("user-events", "s-9", "{\"ts\":\"2026-11-02T10:00:00Z\",\"type\":\"page_view\","
            + "\"note\":\"4111-1111-1111-1111\"}");
        send("labels", "t-1",
            "{\"txnId\":\"t-1\",\"label\":\"FRAUD\",\"source\":\"ANALYST\",\"ts\":\"yesterday\"}");
        send("product-updates", "p-9", "[1, 2]");

        // a crash after the first decisions batch is in bronze, before its gold refresh and its completion
        final KafkaToBronze crashing = new KafkaToBronze(spark, lake, options, (topic, batchId) -> {
            if (topic == WarmTopic.DECISIONS && batchId == 0) {
                throw new IllegalStateException("crash injected after bronze");
            }
        });
        assertThrows(Exception.class, crashing::run);
        final long firstBatch = count(lake.bronze("kafka_decisions"));
        assertTrue(firstBatch > 0 && firstBatch < 60, "the first batch (about 40 records) is in bronze: " + firstBatch);

        new KafkaToBronze(spark, lake, options).run();
        assertEquals(60, count(lake.bronze("kafka_decisions")), "each transaction once, none from the retried batch");
        assertEquals(20, count(lake.bronze("kafka_user_events")));
        assertEquals(5, count(lake.bronze("kafka_product_updates")));
        assertEquals(4, count(lake.bronze("kafka_labels")));
        expected.check(lake);

        checkRejects(lake);
        assertEquals("2026-11-02 09:05:00", spark.read().format("delta").load(lake.bronze("kafka_user_events"))
            .where("event_id = 'e-5'").selectExpr("CAST(event_ts AS STRING)").first().getString(0),
            "epoch milliseconds read as UTC time");

        final List<Row> extras = spark.read().format("delta").load(lake.bronze("kafka_user_events"))
            .where("coupon IS NOT NULL OR ab_test_group IS NOT NULL").orderBy("event_id")
            .select("event_id", "coupon", "ab_test_group").collectAsList();
        assertEquals("[[e-3,X10,null], [e-4,null,B]]", extras.toString(), "new fields land as columns");

        // round two, after a restart: new decisions in a third hour, one late for the second, duplicates of old ones
        for (int i = 60; i < 90; i++) {
            decision(i, String.format("2026-11-02T12:%02d:00Z", i - 60), expected);
        }
        decision(90, "2026-11-02T11:59:30Z", expected);
        for (int i = 10; i < 15; i++) {
            send("decisions", "c-" + i % 7, decisionJson(i, String.format("2026-11-02T10:%02d:00Z", i * 2)));
        }
        new KafkaToBronze(spark, lake, options).run();
        assertEquals(91, count(lake.bronze("kafka_decisions")));
        expected.check(lake);

        // and once more with nothing new: nothing changes
        final long version = spark.sql("DESCRIBE HISTORY delta.`" + lake.bronze("kafka_decisions") + "`")
            .selectExpr("max(version)").first().getLong(0);
        new KafkaToBronze(spark, lake, options).run();
        assertEquals(version, spark.sql("DESCRIBE HISTORY delta.`" + lake.bronze("kafka_decisions") + "`")
            .selectExpr("max(version)").first().getLong(0));
        assertEquals(91, count(lake.bronze("kafka_decisions")));
    }


    /** One reject per topic, each with its reason, and card numbers masked in what is kept of the record. */
    private static void checkRejects(final Lake lake) {
        final Map<String, String> reasons = new TreeMap<>();
        for (final Row row : spark.read().format("delta").load(lake.bronze("kafka_rejects"))
            .select("kafka_topic", "reason").collectAsList()) {
            reasons.put(row.getString(0), row.getString(1));
        }
        assertEquals(Map.of("decisions", "value is not a JSON object", "user-events", "eventId is missing",
            "labels", "ts is missing or not a time (ISO-8601 or epoch milliseconds)",
            "product-updates", "value is not a JSON object"), reasons);
        final Map<String, String> raws = new TreeMap<>();
        for (final Row row : spark.read().format("delta").load(lake.bronze("kafka_rejects"))
            .select("kafka_topic", "raw").collectAsList()) {
            raws.put(row.getString(0), row.getString(1));
        }
        assertEquals("not json, card **** **** **** 1111", raws.get("decisions"), "card numbers masked in rejects");
        assertTrue(raws.get("user-events").contains("\"note\":\"****-****-****-1111\""), raws.get("user-events"));
    }
    private static void decision(final int i, final String ts, final Expected expected) {
        send("decisions", "c-" + i % 7, decisionJson(i, ts));
        expected.add(i, ts);
    }

    private static String decisionJson(final int i, final String ts) {
        return "{\"decision\":{\"txnId\":\"t-" + i + "\",\"decision\":\"" + outcome(i) + "\",\"score\":" + (i * 10)
            + ",\"reasons\":[],\"ruleSetVersion\":\"r1\",\"modelVersion\":\"m1\",\"engineNanos\":8000,"
            + "\"journalIndex\":" + (100 + i) + "},\"transaction\":{\"txnId\":\"t-" + i + "\",\"ts\":\"" + ts
            + "\",\"customerId\":\"c-" + i % 7 + "\",\"cardId\":\"card-1\",\"merchantId\":\"" + MERCHANTS[i % 3]
            + "\",\"amount\":\"" + amount(i) + "\",\"currency\":\"USD\",\"channel\":\"" + channel(i) + "\"}}";
    }

    private static String outcome(final int i) {
        return i % 10 == 0 ? "DECLINE" : i % 5 == 0 ? "REVIEW" : "APPROVE";
    }

    private static String channel(final int i) {
        return i % 2 == 0 ? "WEB" : "APP";
    }

    private static String amount(final int i) {
        return i + ".25";
    }

    /** Sends and waits for the broker's acknowledgement (product-updates is compacted: records need a key). */
    private static void send(final String topic, final String key, final String value) {
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (final InterruptedException | java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("could not send to " + topic, e);
        }
    }

    private static long count(final String path) {
        return spark.read().format("delta").load(path).count();
    }

    /** The gold windows the decisions sent so far must give, counted here independently. */
    private static final class Expected {
        private final Map<String, Long> perMinute = new HashMap<>();
        private final Map<String, Long> alerts = new HashMap<>();
        private final Map<String, BigDecimal> amounts = new HashMap<>();

        void add(final int i, final String ts) {
            final String minute = ts.substring(0, 16);
            final String hour = ts.substring(0, 13);
            perMinute.merge(minute + " " + outcome(i), 1L, Long::sum);
            if (!outcome(i).equals("APPROVE")) {
                alerts.merge(hour + " " + MERCHANTS[i % 3], 1L, Long::sum);
            }
            amounts.merge(hour + " " + channel(i), new BigDecimal(amount(i)), BigDecimal::add);
        }

        void check(final Lake lake) {
            assertEquals(perMinute, collect(lake.gold("decisions_per_minute"),
                "date_format(minute, \"yyyy-MM-dd'T'HH:mm\")", "decision", "decisions"));
            assertEquals(alerts, collect(lake.gold("alerts_per_merchant_hour"),
                "date_format(hour, \"yyyy-MM-dd'T'HH\")", "merchant_id", "alerts"));
            final Map<String, BigDecimal> actual = new HashMap<>();
            for (final Row row : spark.read().format("delta").load(lake.gold("amount_per_channel_hour"))
                .selectExpr("date_format(hour, \"yyyy-MM-dd'T'HH\")", "channel", "amount").collectAsList()) {
                actual.put(row.getString(0) + " " + row.getString(1), row.getDecimal(2).stripTrailingZeros());
            }
            final Map<String, BigDecimal> want = new HashMap<>();
            amounts.forEach((k, v) -> want.put(k, v.stripTrailingZeros()));
            assertEquals(want, actual);
            assertTrue(!perMinute.isEmpty());
        }

        private static Map<String, Long> collect(final String path, final String window, final String key,
            final String value) {
            final Map<String, Long> out = new HashMap<>();
            for (final Row row : spark.read().format("delta").load(path).selectExpr(window, key, value)
                .collectAsList()) {
                out.put(row.getString(0) + " " + row.getString(1), row.getLong(2));
            }
            return out;
        }
    }
}
