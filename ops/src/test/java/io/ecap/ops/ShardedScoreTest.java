package io.ecap.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ecap.model.shard.Shard;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two shards against one engine on the same 20,000 generated payments: every payment is scored by exactly the shard
 * that owns its customer, each customer's features equal the single engine's, and with rules that read only the
 * customer's and the transaction's own features the decisions are the same, payment by payment. docs/SHARDS.md.
 */
class ShardedScoreTest {
    private static final int PAYMENTS = 20_000;
    private static final String CUSTOMER_RULES = """
        ruleset customers version 1
        thresholds review 400 decline 700
        rule CUSTOMER_BURST weight 450
            when customer.count_1h >= 6 and customer.velocity_ratio >= 4
            reason "burst" value customer.count_1h
        rule IMPOSSIBLE_TRAVEL weight 500
            when customer.travel_kmh > 900
            reason "travel" value customer.travel_kmh
        rule AMOUNT_ANOMALY weight 350
            when customer.amount_zscore >= 6 and txn.amount_usd >= 100
            reason "amount" value customer.amount_zscore
        rule NEW_DEVICE_HIGH_AMOUNT weight 400
            when customer.new_device == 1 and customer.is_new == 0 and txn.amount_usd >= 500
            reason "new device" value txn.amount_usd
        rule DECLINE_STREAK weight 700
            when customer.consecutive_declines >= 2
            reason "declines" value customer.consecutive_declines
        """;

    @TempDir
    Path dir;

    @Test
    void twoShardsScoreEachCustomerOnceAndDecideAsOneEngine() throws Exception {
        final Path rules = dir.resolve("customer.rules");
        Files.writeString(rules, CUSTOMER_RULES);
        final Map<String, JsonObject> single = scored("single", null, rules);
        final Map<String, JsonObject> first = scored("s0", "0/2", rules);
        final Map<String, JsonObject> second = scored("s1", "1/2", rules);
        assertEquals(PAYMENTS, single.size());
        assertEquals(PAYMENTS, first.size() + second.size(), "every payment scored once");
        assertTrue(first.size() > PAYMENTS / 3 && second.size() > PAYMENTS / 3, first.size() + " / " + second.size());
        final Map<String, JsonObject> sharded = new HashMap<>(first);
        sharded.putAll(second);
        assertEquals(single.keySet(), sharded.keySet());
        final Set<String> customers = new HashSet<>();
        int flagged = 0;
        for (final Map.Entry<String, JsonObject> e : single.entrySet()) {
            final JsonObject one = e.getValue();
            final JsonObject shard = sharded.get(e.getKey());
            final String customer = one.getJsonObject("transaction").getString("customerId");
            customers.add(customer);
            final Map<String, JsonObject> owner = Shard.of(customer, 2) == 0 ? first : second;
            assertTrue(owner.containsKey(e.getKey()), customer + " scored by the shard that does not own it");
            final JsonObject a = one.getJsonObject("features");
            final JsonObject b = shard.getJsonObject("features");
            for (final String name : a.fieldNames()) {
                if (name.startsWith("customer.") || name.startsWith("txn.")) {
                    assertEquals(a.getValue(name), b.getValue(name), e.getKey() + " " + name);
                }
            }
            final JsonObject da = one.getJsonObject("decision");
            final JsonObject db = shard.getJsonObject("decision");
            assertEquals(da.getString("decision"), db.getString("decision"), e.getKey());
            assertEquals(da.getValue("score"), db.getValue("score"), e.getKey());
            assertEquals(da.getJsonArray("reasons"), db.getJsonArray("reasons"), e.getKey());
            flagged += "APPROVE".equals(da.getString("decision")) ? 0 : 1;
        }
        assertTrue(flagged > 100, "the rules decided something: " + flagged);
        assertTrue(customers.size() > 1000, "customers: " + customers.size());
        // the merchants are shared by every customer: each shard counts its own share of their payments
        final long mixed = single.entrySet().stream().filter(e -> !e.getValue().getJsonObject("features")
            .getValue("merchant.count_7d").equals(sharded.get(e.getKey()).getJsonObject("features")
                .getValue("merchant.count_7d"))).count();
        assertTrue(mixed > PAYMENTS / 2, "merchant counts are per shard: " + mixed);
    }

    @Test
    void aDataFolderKeepsItsShard() throws Exception {
        final Path data = dir.resolve("d");
        assertEquals(0, run("score", "--sample", "100", "--data", data.toString(), "--shard", "1/3")[0]);
        assertEquals("1/3", Files.readString(data.resolve("shard")).strip());
        final Object[] other = run("score", "--sample", "100", "--data", data.toString(), "--shard", "2/3");
        assertNotEquals(0, other[0]);
        assertTrue(((String) other[2]).contains("is the data folder of shard 1/3"), (String) other[2]);
        final Object[] alone = run("score", "--sample", "100", "--data", data.toString());
        assertNotEquals(0, alone[0]);
        assertTrue(((String) alone[2]).contains("a single engine"), (String) alone[2]);

        final Path plain = dir.resolve("plain");
        assertEquals(0, run("score", "--sample", "100", "--data", plain.toString())[0]);
        final Object[] late = run("score", "--sample", "100", "--data", plain.toString(), "--shard", "0/2");
        assertNotEquals(0, late[0]);
        assertTrue(((String) late[2]).contains("holds the journal of a single engine"), (String) late[2]);

        for (final String value : new String[] {"2/2", "", "1", "a/b"}) {
            final Object[] bad = run("score", "--sample", "100", "--data", dir.resolve("x").toString(), "--shard",
                value);
            assertEquals(2, bad[0], value);
            assertTrue(((String) bad[2]).contains("--shard"), (String) bad[2]);
        }
        assertTrue(!java.nio.file.Files.exists(dir.resolve("x")), "a refused option creates nothing");
    }

    /** Scores the generated payments into a data folder of {@code shard} (null: one engine), read back by txnId. */
    private Map<String, JsonObject> scored(final String folder, final String shard, final Path rules) {
        final String data = dir.resolve(folder).toString();
        final Object[] score = shard == null
            ? run("score", "--sample", Integer.toString(PAYMENTS), "--data", data, "--rules", rules.toString())
            : run("score", "--sample", Integer.toString(PAYMENTS), "--data", data, "--rules", rules.toString(),
                "--shard", shard);
        assertEquals(0, score[0], (String) score[2]);
        final Object[] journal = run("journal", "--data", data, "--type", "scored", "--limit", "0", "--features");
        assertEquals(0, journal[0], (String) journal[2]);
        final Map<String, JsonObject> byTxn = new HashMap<>();
        for (final String line : ((String) journal[1]).split("\n")) {
            if (!line.isBlank()) {
                final JsonObject entry = new JsonObject(line);
                byTxn.put(entry.getJsonObject("transaction").getString("txnId"), entry);
            }
        }
        return byTxn;
    }

    private static Object[] run(final String... args) {
        return RunCommandTest.run(args);
    }
}
