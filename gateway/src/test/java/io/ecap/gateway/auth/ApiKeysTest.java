package io.ecap.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keys with the analyst scope and a merchant limit survive a reload; files of the older three-column form load; a
 * service's keys follow the file as another process creates and revokes keys, and keep to the last good file.
 */
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

    @Test
    void shouldFollowKeysCreatedAndRevokedByAnotherProcess() throws Exception {
        final Path file = dir.resolve("api-keys");
        final ApiKeys service = ApiKeys.load(file);
        final String admin = service.create("admin", EnumSet.allOf(Scope.class));
        assertNull(service.reload(), "its own write is no change");
        final ApiKeys cli = ApiKeys.load(file);
        final String second = cli.create("admin-2", EnumSet.of(Scope.SCORE));
        assertNull(service.find(second), "not before the file is read again");
        final ApiKeys.Change added = service.reload();
        assertEquals(List.of("admin-2"), added.added().stream().map(ApiKey::name).toList());
        assertEquals(EnumSet.of(Scope.SCORE), service.find(second).scopes());

        assertEquals(1, cli.revoke("admin"));
        assertNull(cli.find(admin));
        final ApiKeys.Change revoked = service.reload();
        assertEquals(Set.of(ApiKeys.sha256(admin)), revoked.revokedHashes());
        assertNull(service.find(admin), "a revoked key stops working");
        assertTrue(Files.readString(file).contains("\nadmin-2\t") && !Files.readString(file).contains("\nadmin\t"),
            Files.readString(file));
        assertTrue(revoked.toString().contains("revoked admin"), revoked.toString());
    }

    @Test
    void shouldKeepTheKeysOfTheLastGoodFile() throws Exception {
        final Path file = dir.resolve("api-keys");
        final ApiKeys service = ApiKeys.load(file);
        final String key = service.create("admin", EnumSet.allOf(Scope.class));
        final String good = Files.readString(file);
        assertTrue(good.startsWith("# ECAP API keys"), good);
        Files.writeString(file, "admin\tscore,wizard\t" + ApiKeys.sha256(key) + "\n", StandardCharsets.UTF_8,
            StandardOpenOption.APPEND);
        final IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, service::reload);
        assertTrue(bad.getMessage().contains("line 3: unknown scope 'wizard'"), bad.getMessage());
        assertTrue(bad.getMessage().endsWith("the 1 keys read before stay in force"), bad.getMessage());
        assertNotNull(service.find(key), "the keys read before stay");
        assertNull(service.reload(), "the same bad file is reported once");
        Files.writeString(file, "admin\tscore\t" + "Z".repeat(64) + "\n", StandardCharsets.UTF_8);
        assertTrue(assertThrows(IllegalArgumentException.class, service::reload).getMessage()
            .contains("line 1: the third column is not a key's SHA-256"));

        Files.writeString(file, "", StandardCharsets.UTF_8);
        assertTrue(assertThrows(java.io.IOException.class, service::reload).getMessage().contains("is empty"));
        assertNotNull(service.find(key), "an empty file (a shell rewriting it) revokes nothing");
        Files.writeString(file, good, StandardCharsets.UTF_8);
        final ApiKeys.Change back = service.reload();
        assertTrue(back.recovered() && back.added().isEmpty() && back.revoked().isEmpty(), String.valueOf(back));

        Files.delete(file);
        assertTrue(assertThrows(java.io.IOException.class, service::reload).getMessage().contains(
            "was gone: written again from the 1 keys in force"));
        assertNotNull(service.find(key), "a deleted file revokes nothing");
        assertNotNull(ApiKeys.load(file).find(key), "the file is back, for ecap keys to see");
    }

    @Test
    void shouldKeepAFileWithNoKeyLeftSoThatNoNewAdminKeyIsMade() throws Exception {
        final Path file = dir.resolve("api-keys");
        assertTrue(ApiKeys.load(file).noFileAtLoad(), "a new data folder");
        final ApiKeys keys = ApiKeys.load(file);
        keys.create("admin", EnumSet.allOf(Scope.class));
        keys.revoke("admin");
        final ApiKeys again = ApiKeys.load(file);
        assertTrue(again.isEmpty());
        assertFalse(again.noFileAtLoad(), "every key revoked is not a new data folder");
    }

    @Test
    void shouldRefuseATakenNameAndAnUnknownOne() throws Exception {
        final ApiKeys keys = ApiKeys.load(dir.resolve("api-keys"));
        keys.create("bob", EnumSet.of(Scope.SCORE));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> keys.create("bob", EnumSet.of(Scope.LABEL)))
            .getMessage().contains("exists"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> keys.revoke("carol")).getMessage()
            .contains("no key named 'carol'"));
        assertEquals(1, keys.list().size());
    }
}
