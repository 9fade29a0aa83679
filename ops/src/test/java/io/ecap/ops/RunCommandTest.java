package io.ecap.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ecap run} with bad settings: refused with the setting's name, exit 2, nothing created. */
class RunCommandTest {
    @TempDir
    Path dir;

    /** Runs the command line; returns the exit code, its standard output and its standard error. */
    static Object[] run(final String... args) {
        final PrintStream out = System.out;
        final PrintStream err = System.err;
        final ByteArrayOutputStream captured = new ByteArrayOutputStream();
        final ByteArrayOutputStream errors = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(errors, true, StandardCharsets.UTF_8));
        try {
            return new Object[] {Ecap.run(args), captured.toString(StandardCharsets.UTF_8),
                errors.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    /** Starts {@code ecap run} with one setting in a settings file; it must be refused before anything is made. */
    private String refused(final String setting) throws Exception {
        final Path config = dir.resolve("c.properties");
        Files.writeString(config, setting + "\n");
        final Path data = dir.resolve("d");
        final Object[] result = run("run", "--config", config.toString(), "--data", data.toString(), "--port", "0");
        final String said = result[1] + "\n" + result[2];
        assertEquals(2, result[0], said);
        assertFalse(Files.exists(data), "nothing was created: " + said);
        assertFalse(said.contains("\tat "), "no stack trace: " + said);
        return (String) result[2];
    }

    @Test
    void shouldRefuseALogFormatOrLevelItDoesNotKnow() throws Exception {
        assertTrue(refused("log.format=xml").startsWith("ecap run: log.format: expected text, json, found 'xml'"));
        assertTrue(refused("log.level=verbose").startsWith("ecap run: log.level: expected error, warn, info, debug, "
            + "found 'verbose'"));
    }

    @Test
    void shouldRefuseABadIdleStrategyByNameBeforeCreatingAKey() throws Exception {
        final String said = refused("engine.idle=zzz");
        assertTrue(said.startsWith("ecap run: engine.idle: unknown idle strategy 'zzz' (expected backoff, busy-spin, "
            + "yielding or sleeping)"), said);
        assertTrue(said.contains("Try 'ecap run --help' for the options.") && !said.contains("Usage:"),
            "the problem and where to look, not the whole usage: " + said);
    }

    @Test
    void shouldSayWhyARuleFileOrAnAddressCannotBeUsed() throws Exception {
        final Path rules = dir.resolve("nonexistent.rules");
        final String missing = refused("engine.rules=" + rules);
        assertTrue(missing.contains("engine.rules: " + rules + ": no such file"), missing);
        final String folder = refused("engine.model=" + dir);
        assertTrue(folder.contains("engine.model: " + dir + ": is a directory"), folder);
        final Path nan = Files.writeString(dir.resolve("nan.model"), "ecap-model 1\nname x\nversion 1\ntype logistic\n"
            + "features txn.amount_usd\nintercept 0\nweights NaN\n");
        final String badModel = refused("engine.model=" + nan);
        assertTrue(badModel.contains("engine.model: " + nan + ": line 7: 'NaN' is not a finite number"), badModel);
        final Path badRules = Files.writeString(dir.resolve("bad.rules"), "ruleset x version 1\nrule\n");
        final String rulesRefused = refused("engine.rules=" + badRules);
        assertTrue(rulesRefused.contains("engine.rules: " + badRules + ": line "), rulesRefused);
        final String host = refused("gateway.host=999.1.1.1");
        assertTrue(host.contains("gateway.host: '999.1.1.1' is not a valid address"), host);
    }

    @Test
    void shouldRefuseAWarmUpOutOfRange() {
        final Path data = dir.resolve("d");
        final Object[] result = run("run", "--data", data.toString(), "--port", "0", "--warm-up", "-1");
        assertEquals(2, result[0]);
        assertTrue(((String) result[2]).startsWith("ecap run: --warm-up: expected 0 to 600 seconds, found -1"),
            (String) result[2]);
        assertFalse(Files.exists(data), "nothing was created");
    }

    @Test
    void shouldRefuseADataFolderThatIsAFile() throws Exception {
        final Path file = Files.writeString(dir.resolve("lines.jsonl"), "{}\n");
        final Object[] result = run("run", "--data", file.toString(), "--port", "0");
        assertEquals(2, result[0]);
        assertTrue(((String) result[2]).startsWith("ecap run: --data (data.dir): " + file + " is a file, not a data "
            + "folder"), (String) result[2]);
        assertEquals("{}\n", Files.readString(file), "left as it was");
    }

    @Test
    void shouldRefuseAPortInUseBeforeAnythingElse() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1,
            java.net.InetAddress.getByName("127.0.0.1"))) {
            final Path data = dir.resolve("d");
            final Object[] result = run("run", "--data", data.toString(), "--port",
                Integer.toString(taken.getLocalPort()), "--warm-up", "30");
            assertEquals(2, result[0], (String) result[2]);
            assertTrue(((String) result[2]).startsWith("ecap run: gateway.port: 127.0.0.1:" + taken.getLocalPort()
                + " cannot be listened on"), (String) result[2]);
            assertFalse(Files.exists(data), "nothing was created, no warm-up ran");
        }
    }
}
