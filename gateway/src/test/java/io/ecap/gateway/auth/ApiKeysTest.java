package io.ecap.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keys with the analyst scope and a merchant limit survive a reload; files of the older three-column form load. */
class ApiKeysTest {
    @TempDir
    Path dir;

    @Test
    void shouldKeepAnAnalystKeysMerchantsAcrossAReload() throws Exception {
        final Path file = dir.resolve("api-keys");
        final ApiKeys keys = ApiKeys.load(file);
        final String limited = keys.create("alice", EnumSet.of(Scope.ANALYST), Set.of("m-2", "m-1"));
        final String open = keys.create("bob", EnumSet.of(Scope.ANALYST, Scope.LABEL));
        final ApiKeys reloaded = ApiKeys.load(file);
        assertEquals(Set.of("m-1", "m-2"), reloaded.find(limited).merchants());
        assertTrue(reloaded.find(limited).limitedToMerchants());
        assertEquals(EnumSet.of(Scope.ANALYST), reloaded.find(limited).scopes());
        assertEquals(Set.of(), reloaded.find(open).merchants());
        assertEquals(EnumSet.of(Scope.ANALYST, Scope.LABEL), reloaded.find(open).scopes());
        assertTrue(Files.readString(file).contains("\tm-1,m-2\n"), "the fourth column, sorted");
    }

    @Test
    void shouldLoadAFileWithoutTheMerchantColumn() throws Exception {
        final Path file = dir.resolve("old-keys");
        final String hash = ApiKeys.sha256("ecap_" + "a".repeat(64));
        Files.writeString(file, "admin\tscore,label,admin\t" + hash + "\n", StandardCharsets.UTF_8);
        final ApiKey key = ApiKeys.load(file).find("ecap_" + "a".repeat(64));
        assertEquals(Set.of(), key.merchants());
        assertEquals(EnumSet.of(Scope.SCORE, Scope.LABEL, Scope.ADMIN), key.scopes());
    }

    @Test
    void shouldRefuseMalformedMerchantsAndScopes() {
        assertEquals(Set.of("m-1", "m_2"), ApiKeys.parseMerchants(" m-1 , m_2"));
        assertEquals(Set.of(), ApiKeys.parseMerchants(""));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ApiKeys.parseMerchants("m-1,,m-2"))
            .getMessage().startsWith("merchants:"));
        assertThrows(IllegalArgumentException.class, () -> ApiKeys.parseMerchants("m 1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ApiKeys.parseScopes("score,analyzt"))
            .getMessage().contains("analyst"));
        assertEquals(EnumSet.of(Scope.ANALYST), ApiKeys.parseScopes("Analyst"));
    }
}
