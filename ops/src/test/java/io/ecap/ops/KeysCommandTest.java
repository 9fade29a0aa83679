package io.ecap.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ecap.gateway.auth.ApiKey;
import io.ecap.gateway.auth.ApiKeys;
import io.ecap.gateway.auth.Scope;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ecap keys}: an analyst key limited to some merchants, stored with the key and listed. */
class KeysCommandTest {
    @TempDir
    Path dir;

    private static Object[] run(final String... args) {
        return Cli.run(args);
    }

    @Test
    void shouldCreateAnAnalystKeyLimitedToMerchants() throws Exception {
        final String data = dir.resolve("data").toString();
        final Object[] created = run("keys", "create", "alice", "--scopes", "analyst", "--merchants", "m-2,m-1",
            "--data", data);
        assertEquals(0, created[0]);
        final String key = ((String) created[1]).trim();
        final ApiKey stored = ApiKeys.load(dir.resolve("data").resolve("gateway").resolve("api-keys")).find(key);
        assertEquals(Set.of("m-1", "m-2"), stored.merchants());
        assertEquals(EnumSet.of(Scope.ANALYST), stored.scopes());
        assertEquals(0, run("keys", "create", "bob", "--scopes", "analyst,label", "--data", data)[0]);
        final Object[] listed = run("keys", "list", "--data", data);
        assertEquals(0, listed[0]);
        assertTrue(((String) listed[1]).contains("alice\tanalyst\tmerchants m-1,m-2\n"), (String) listed[1]);
        assertTrue(((String) listed[1]).contains("bob\tlabel,analyst\n"), (String) listed[1]);
        assertNotEquals(0, run("keys", "create", "carol", "--scopes", "analyst", "--merchants", "m 1", "--data",
            data)[0], "a merchant id with a space is refused");
        assertEquals(2, ApiKeys.load(dir.resolve("data").resolve("gateway").resolve("api-keys")).list().size(),
            "nothing written for the refused key");
    }

    @Test
    void shouldRevokeAKeyByName() throws Exception {
        final String data = dir.resolve("data").toString();
        final String key = ((String) run("keys", "create", "old", "--data", data)[1]).trim();
        final String kept = ((String) run("keys", "create", "new", "--data", data)[1]).trim();
        assertNotEquals(0, run("keys", "create", "new", "--data", data)[0], "a name already taken");
        assertEquals(0, run("keys", "revoke", "old", "--data", data)[0]);
        final ApiKeys keys = ApiKeys.load(dir.resolve("data").resolve("gateway").resolve("api-keys"));
        assertEquals(null, keys.find(key));
        assertEquals("new", keys.find(kept).name());
        assertNotEquals(0, run("keys", "revoke", "old", "--data", data)[0], "no key of that name any more");
        assertNotEquals(0, run("keys", "revoke", "--data", data)[0], "no name");
        assertNotEquals(0, run("keys", "create", "shop", "--merchants", "m-1", "--data", data)[0],
            "a merchant limit on a key without the analyst scope");
        assertNotEquals(0, run("keys", "list", "--data", dir.resolve("typo").toString())[0], "no keys file there");
        assertEquals(0, run("keys", "revoke", "new", "--data", data)[0]);
        assertEquals("", ((String) run("keys", "list", "--data", data)[1]), "every key revoked: none listed");
    }
}
