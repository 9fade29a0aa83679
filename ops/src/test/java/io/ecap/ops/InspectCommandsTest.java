package io.ecap.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The inspection commands on a journal written by the score command. */
class InspectCommandsTest {
    @TempDir
    Path dir;

    private static Object[] run(final String... args) {
        return Cli.run(args);
    }

    @Test
    void shouldPrintScoredEntriesWithTheirJournalIndex() {
        final String data = dir.resolve("data").toString();
        assertEquals(0, run("score", "--sample", "300", "--entities", "1000", "--data", data)[0]);
        final Object[] printed = run("journal", "--data", data, "--type", "scored", "--limit", "3", "--features");
        assertEquals(0, printed[0], (String) printed[1]);
        final List<String> lines = Arrays.stream(((String) printed[1]).split("\n")).filter(l -> !l.isBlank())
            .toList();
        assertEquals(3, lines.size(), (String) printed[1]);
        for (final String line : lines) {
            final JsonObject entry = new JsonObject(line);
            assertEquals("scored", entry.getString("type"));
            assertEquals(entry.getLong("index"), entry.getJsonObject("decision").getLong("journalIndex"));
            assertEquals(entry.getJsonObject("transaction").getString("txnId"),
                entry.getJsonObject("decision").getString("txnId"));
            assertTrue(entry.getJsonObject("features").size() > 50);
        }
        final long second = new JsonObject(lines.get(1)).getLong("index");
        final Object[] one = run("journal", "--data", data, "--index", Long.toString(second));
        assertEquals(0, one[0]);
        assertEquals(second, new JsonObject(((String) one[1]).strip()).getLong("index"), "that entry, alone");
        assertEquals(second, new JsonObject(((String) run("journal", "--data", data, "--index",
            "0x" + Long.toHexString(second))[1]).strip()).getLong("index"));
        assertEquals(1, run("journal", "--data", data, "--index", Long.toString(second), "--type", "label")[0]);
        assertEquals(2, run("journal", "--data", data, "--index", "abc")[0]);
    }

    @Test
    void shouldEraseACustomerJournalTheRequestWithoutTheIdAndRefuseBadOptions() {
        final String data = dir.resolve("data").toString();
        assertEquals(0, run("score", "--sample", "200", "--entities", "1000", "--data", data)[0]);
        final String customer = new JsonObject(((String) run("journal", "--data", data, "--type", "scored",
            "--limit", "1")[1]).strip()).getJsonObject("transaction").getString("customerId");
        assertEquals(0, run("state", "customer", customer, "--data", data)[0]);
        assertEquals(2, run("erase", "--data", data)[0], "nothing named");
        final String nowhere = dir.resolve("nowhere").toString();
        assertEquals(2, run("erase", "--customer", customer, "--data", nowhere)[0], "no journal: a usage error");
        assertEquals(2, run("state", "--data", nowhere)[0], "no state: a usage error");
        assertEquals(2, run("state", "card", "k-1", "--data", nowhere)[0]);
        assertEquals(2, run("erase", "--customer", "two words", "--data", data)[0]);
        assertEquals(2, run("erase", "--ip", "10.0.0.300", "--data", data)[0]);
        assertEquals(2, run("erase", "--customer", customer, "--reason", "4111111111111111", "--data", data)[0],
            "a reason is kept for good: never a card number");
        assertEquals(2, run("erase", "--customer", customer, "--reason", "two\nlines", "--data", data)[0]);

        final Object[] erased = run("erase", "--customer", customer, "--customer", "c-never-seen", "--reason",
            "ticket 9", "--data", data);
        assertEquals(0, erased[0], (String) erased[1]);
        final List<String> lines = ((String) erased[1]).lines().toList();
        assertTrue(lines.get(0).startsWith("customer ") && lines.get(0).contains(": erased; journal entry "),
            lines.toString());
        assertTrue(lines.get(1).contains(": not in the state (the request is journaled)"), lines.toString());
        assertTrue(lines.stream().noneMatch(l -> l.contains(customer)), "the id is not printed back");
        assertEquals(1, run("state", "customer", customer, "--data", data)[0], "no longer seen");

        final String journaled = (String) run("journal", "--data", data, "--type", "erasure")[1];
        final List<JsonObject> entries = journaled.lines().map(JsonObject::new).toList();
        assertEquals(2, entries.size(), journaled);
        assertEquals(1, entries.get(0).getInteger("records"));
        assertEquals("ticket 9", entries.get(0).getString("reason"));
        assertTrue(entries.get(0).getString("actor").startsWith("cli:"));
        assertTrue(!journaled.contains(customer), "the erasure entries hold the id's hash only");

        if (java.nio.file.Files.isSymbolicLink(Path.of(data, "maps"))) { // the state in memory (a tmpfs with room)
            assertEquals(2, run("state", "--move-to-disk", "customer", "--data", data)[0]);
            final Object[] moved = run("state", "--move-to-disk", "--data", data);
            assertEquals(0, moved[0], (String) moved[1]);
            assertTrue(((String) moved[1]).startsWith("Moved the state ("), (String) moved[1]);
            assertTrue(java.nio.file.Files.isDirectory(Path.of(data, "maps"), java.nio.file.LinkOption.NOFOLLOW_LINKS));
            assertEquals(1, run("state", "customer", customer, "--data", data)[0], "the same state, on the disk");
            assertEquals(2, run("state", "--move-to-disk", "--data", data)[0], "nothing left to move");
        }
    }

    @Test
    void shouldPrintACustomersProfileAndItsJournalEntryAndEveryKindsWindows() throws Exception {
        final Path data = dir.resolve("data");
        assertEquals(0, run("score", "--sample", "200", "--data", data.toString())[0]);
        final String customer = new JsonObject(((String) run("journal", "--data", data.toString(), "--type",
            "scored", "--limit", "1")[1]).strip()).getJsonObject("transaction").getString("customerId");
        try (io.ecap.hotpath.engine.EngineRunner engine = io.ecap.hotpath.engine.EngineRunner.start(
            io.ecap.hotpath.engine.EngineConfig.defaults(data), Throwable::printStackTrace)) {
            final io.ecap.hotpath.engine.EngineClient client = engine.newClient();
            final org.agrona.ExpandableArrayBuffer message = new org.agrona.ExpandableArrayBuffer(256);
            final org.agrona.concurrent.UnsafeBuffer json = new org.agrona.concurrent.UnsafeBuffer(("{\"customerId\":\""
                + customer + "\",\"ts\":\"2026-11-30T23:59:59Z\",\"segment\":\"At Risk\",\"clv\":\"1200\","
                + "\"currency\":\"USD\",\"churnRisk\":0.8,\"lifetimeOrders\":14}").getBytes(StandardCharsets.UTF_8));
            final int length = new io.ecap.model.json.CustomerProfileJson().parse(json, 0, json.capacity(), message, 0);
            while (client.offer(io.ecap.hotpath.engine.Commands.CUSTOMER_PROFILE, message, 0, length) < 0) {
                Thread.onSpinWait();
            }
            final int[] answer = {0};
            while (answer[0] == 0) {
                client.poll((type, correlationId, journalIndex, body, at, size) -> answer[0] = type, 1);
            }
            assertEquals(io.ecap.hotpath.engine.Commands.RESPONSE_ACCEPTED, answer[0]);
        }
        final Object[] entries = run("journal", "--data", data.toString(), "--type", "customer-profile");
        assertEquals(0, entries[0], (String) entries[1]);
        assertEquals("At Risk", new JsonObject(((String) entries[1]).strip()).getJsonObject("profile")
            .getString("segment"));
        final Object[] state = run("state", "--data", data.toString(), "customer", customer);
        assertEquals(0, state[0], (String) state[1]);
        assertTrue(((String) state[1]).contains("profile from the lake segment At Risk, predicted CLV $1,200, "
            + "churn risk 0.800, 14 orders"), (String) state[1]);
        assertTrue(((String) state[1]).contains("last 7d"), "every window, those that count only too");
    }

    @Test
    void shouldPrintTheChallengersDecisionBesideTheDecisionAndReplayIt() throws Exception {
        final Path data = dir.resolve("data");
        // a challenger put in the shadow by an earlier start (as the admin API does); ecap score restores it
        try (io.ecap.hotpath.engine.EngineRunner engine = io.ecap.hotpath.engine.EngineRunner.start(
            io.ecap.hotpath.engine.EngineConfig.defaults(data).withEntries(1000, 20_000), Throwable::printStackTrace)) {
            engine.loadConfig(io.ecap.hotpath.journal.EntryType.SHADOW_RULE_SET, "ruleset strict version 1\n"
                + "thresholds review 1 decline 2\nrule ANY weight 10\n    when txn.amount_usd > 0\n", "test", 0)
                .get();
        }
        assertEquals(0, run("score", "--sample", "50", "--data", data.toString())[0]);
        final Object[] printed = run("journal", "--data", data.toString(), "--type", "scored", "--limit", "50");
        assertEquals(0, printed[0], (String) printed[1]);
        final List<String> lines = Arrays.stream(((String) printed[1]).split("\n")).filter(l -> !l.isBlank())
            .toList();
        assertEquals(50, lines.size());
        for (final String line : lines) {
            final JsonObject entry = new JsonObject(line);
            final JsonObject shadow = entry.getJsonObject("shadow");
            assertEquals("DECLINE", shadow.getString("decision"), line);
            assertEquals("strict@1", shadow.getString("ruleSetVersion"));
            assertEquals("default@2", entry.getJsonObject("decision").getString("ruleSetVersion"), "live decides");
        }
        final Object[] decisions = run("journal", "--data", data.toString(), "--type", "shadow-decision", "--limit",
            "0");
        final List<String> decisionLines = Arrays.stream(((String) decisions[1]).split("\n"))
            .filter(l -> !l.isBlank()).toList();
        assertEquals(50, decisionLines.size(), "the challenger's decisions, each an entry after its transaction");
        final JsonObject first = new JsonObject(decisionLines.get(0));
        final long firstScored = new JsonObject(lines.get(0)).getLong("index");
        assertEquals(firstScored, first.getLong("scoredIndex"));
        assertEquals(firstScored + 1, first.getLong("index"), "right after its transaction");
        assertEquals("DECLINE", first.getJsonObject("decision").getString("decision"));
        // the lake's export: the challenger's decision on its transaction's line, no line of its own
        assertEquals(0, run("export-lake", "--data", data.toString())[0]);
        final StringBuilder staged = new StringBuilder();
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(data.resolve("lake").resolve("_journal"))) {
            for (final Path f : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".jsonl"))::iterator) {
                staged.append(java.nio.file.Files.readString(f));
            }
        }
        long scoredLines = 0;
        for (final String line : staged.toString().split("\n")) {
            final JsonObject entry = new JsonObject(line);
            assertTrue(!"shadow-decision".equals(entry.getString("type")), line);
            if ("scored".equals(entry.getString("type"))) {
                scoredLines++;
                assertEquals("DECLINE", entry.getJsonObject("shadow").getString("decision"), line);
            }
        }
        assertEquals(50, scoredLines);
        final Object[] shadowEntries = run("journal", "--data", data.toString(), "--type", "shadow-rule-set");
        assertEquals(0, shadowEntries[0], (String) shadowEntries[1]);
        assertTrue(((String) shadowEntries[1]).contains("ruleset strict version 1"), (String) shadowEntries[1]);
        final Object[] replayed = run("replay", "--data", data.toString());
        assertEquals(0, replayed[0], (String) replayed[1]);
        assertTrue(((String) replayed[1]).contains("Every decision is reproduced exactly. So is every decision of the "
            + "challenger in the shadow (50)."), (String) replayed[1]);
    }

    @Test
    void replayIsExactAndRemovesTheFolderAnInterruptedReplayLeftButNotOneInUse() throws Exception {
        final Path data = dir.resolve("data");
        assertEquals(0, run("score", "--sample", "300", "--entities", "1000", "--data", data.toString())[0]);
        // what a replay killed half-way leaves: a state folder nobody holds
        final Path abandoned = java.nio.file.Files.createDirectory(data.resolve("replay-1234"));
        java.nio.file.Files.write(abandoned.resolve("card.records"), new byte[4096]);
        // a replay running now: its state is open (and locked) in this process
        final Path running = data.resolve("replay-5678");
        // the engine's own state in use (a running ECAP): said before replaying, not after
        try (io.ecap.hotpath.state.FeatureStore busy = io.ecap.hotpath.state.FeatureStore.openQuiet(
            data.resolve("maps"), 1000, 20_000)) {
            final PrintStream err = System.err;
            final ByteArrayOutputStream errors = new ByteArrayOutputStream();
            System.setErr(new PrintStream(errors, true, StandardCharsets.UTF_8));
            final Object[] refused;
            try {
                refused = run("replay", "--data", data.toString());
            } finally {
                System.setErr(err);
            }
            assertEquals(1, refused[0]);
            assertTrue(errors.toString(StandardCharsets.UTF_8).contains("is in use by a running ECAP: stop it first "
                + "to compare, or give --no-compare"), errors.toString(StandardCharsets.UTF_8));
            assertEquals(0, run("replay", "--data", data.toString(), "--no-compare")[0]);
        }
        try (io.ecap.hotpath.state.FeatureStore open = io.ecap.hotpath.state.FeatureStore.openQuiet(running, 1000,
            20_000)) {
            final Object[] printed = run("replay", "--data", data.toString());
            assertEquals(0, printed[0], (String) printed[1]);
            assertTrue(((String) printed[1]).contains("Every decision is reproduced exactly."), (String) printed[1]);
            assertTrue(!java.nio.file.Files.exists(abandoned), "the abandoned replay folder is removed");
            assertTrue(java.nio.file.Files.exists(running), "a replay folder in use is left alone");
        }
        try (java.util.stream.Stream<Path> left = java.nio.file.Files.list(data)) {
            assertEquals(List.of("replay-5678"), left.map(p -> p.getFileName().toString())
                .filter(n -> n.startsWith("replay-")).toList(), "the replay removed its own folder");
        }
    }

    @Test
    void shouldRefuseAnUnknownTypeOrANegativeLimitNamingTheOption() {
        final String data = dir.resolve("data").toString();
        assertEquals(0, run("score", "--sample", "20", "--entities", "1000", "--data", data)[0]);
        final PrintStream err = System.err;
        final ByteArrayOutputStream errors = new ByteArrayOutputStream();
        System.setErr(new PrintStream(errors, true, StandardCharsets.UTF_8));
        try {
            final Object[] type = run("journal", "--data", data, "--type", "bogus");
            assertEquals(2, type[0], (String) type[1]);
            assertEquals("", type[1]);
            final Object[] limit = run("journal", "--data", data, "--limit", "-1");
            assertEquals(2, limit[0], (String) limit[1]);
        } finally {
            System.setErr(err);
        }
        final String said = errors.toString(StandardCharsets.UTF_8);
        assertTrue(said.contains("--type: unknown entry type 'bogus' (expected one of scored, label,"), said);
        assertTrue(said.contains("--limit: expected 0 (all) or more entries, found -1"), said);
    }

    @Test
    void shouldStageEveryJournalEntryForTheLakeOnceAndResumeAfterTheLast() throws Exception {
        final Path data = dir.resolve("data");
        assertEquals(0, run("score", "--sample", "500", "--entities", "1000", "--data", data.toString())[0]);
        assertEquals(0, run("export-lake", "--data", data.toString(), "--entries-per-file", "200")[0]);
        final Path staging = data.resolve("lake").resolve("_journal");
        final List<Path> files;
        try (java.util.stream.Stream<Path> listed = java.nio.file.Files.list(staging)) {
            files = listed.filter(p -> p.toString().endsWith(".jsonl")).sorted().toList();
        }
        assertEquals(3, files.size(), "501 entries (a rule set and 500 scored) in files of at most 200: " + files);
        long previous = -1;
        int scored = 0;
        for (final Path file : files) {
            final String[] range = file.getFileName().toString().replace(".jsonl", "").split("-");
            final List<String> lines = java.nio.file.Files.readAllLines(file);
            final JsonObject first = new JsonObject(lines.get(0));
            final JsonObject last = new JsonObject(lines.get(lines.size() - 1));
            assertEquals(Long.parseLong(range[0], 16), first.getLong("index"), "file named by its first index");
            assertEquals(Long.parseLong(range[1], 16), last.getLong("index"), "and its last");
            for (final String line : lines) {
                final JsonObject entry = new JsonObject(line);
                assertTrue(entry.getLong("index") > previous, "in journal order, each once");
                previous = entry.getLong("index");
                assertTrue(entry.getString("ts").endsWith("Z"), line);
                if (entry.getString("type").equals("scored")) {
                    scored++;
                    assertTrue(entry.getJsonObject("features").size() > 50, "features ride along");
                }
            }
        }
        assertEquals(500, scored);
        final Object[] again = run("export-lake", "--data", data.toString());
        assertTrue(((String) again[1]).startsWith("staged 0 journal entries"), (String) again[1]);
        assertEquals(1, run("export-lake", "--data", data.toString(), "--every-ms", "1")[0], "bad option value");
    }
}
