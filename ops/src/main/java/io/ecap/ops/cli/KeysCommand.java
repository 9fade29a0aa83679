package io.ecap.ops.cli;

import io.ecap.gateway.auth.ApiKey;
import io.ecap.gateway.auth.ApiKeys;
import io.ecap.gateway.auth.KeyWatch;
import io.ecap.gateway.auth.Scope;
import io.ecap.ops.service.Settings;
import java.nio.file.Files;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Creates, lists and revokes API keys; a running service reads the keys file again within two seconds. */
@Command(name = "keys", mixinStandardHelpOptions = true,
    description = "Create an API key (printed once; only its hash is kept), list the keys, or revoke one. A running "
        + "service takes the change within two seconds, without a restart.")
public final class KeysCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "ACTION", description = "create, list or revoke")
    private String action;

    @Parameters(index = "1", arity = "0..1", paramLabel = "NAME",
        description = "the new key's name (create), or the key to revoke (revoke)")
    private String name;

    @Option(names = "--scopes", defaultValue = "score",
        description = "comma-separated: score, label, admin, analyst, analytics (default: score)")
    private String scopes;

    @Option(names = "--merchants", defaultValue = "",
        description = "comma-separated merchant ids: an analyst key sees only their review cases (default: every "
            + "merchant)")
    private String merchants;

    @Mixin
    private SettingsOptions settingsOptions;

    @Override
    public Integer call() throws Exception {
        final Settings settings = settingsOptions.load();
        final ApiKeys keys = ApiKeys.load(settings.keysFile());
        switch (action) {
            case "create" -> {
                if (name == null) {
                    throw new IllegalArgumentException("give the key a name: ecap keys create NAME --scopes ...");
                }
                final Set<Scope> wanted = ApiKeys.parseScopes(scopes);
                final Set<String> limited = ApiKeys.parseMerchants(merchants);
                if (!limited.isEmpty() && !wanted.contains(Scope.ANALYST)) {
                    throw new IllegalArgumentException("--merchants limits the review cases an analyst key sees: "
                        + "give --scopes analyst (with the others it needs)");
                }
                System.out.println(keys.create(name, wanted, limited));
                System.err.println("key '" + name + "' created (" + scopes
                    + (limited.isEmpty() ? "" : "; cases of " + String.join(",", limited) + " only")
                    + "); it is not shown again");
            }
            case "list" -> {
                if (!Files.exists(settings.keysFile())) {
                    throw new IllegalArgumentException("no keys file at " + settings.keysFile() + " (ecap run makes "
                        + "the first key on a new data folder; ecap keys create NAME makes one)");
                }
                for (final ApiKey key : keys.list()) {
                    System.out.println(key.name() + "\t" + String.join(",", key.scopes().stream().map(Scope::label)
                        .toList()) + (key.limitedToMerchants() ? "\tmerchants " + String.join(",", key.merchants())
                        : ""));
                }
            }
            case "revoke" -> {
                if (name == null) {
                    throw new IllegalArgumentException("name the key to revoke: ecap keys revoke NAME");
                }
                final int removed = keys.revoke(name);
                System.err.println("key '" + name + "' revoked" + (removed > 1 ? " (" + removed + " keys of that name)"
                    : "") + "; a running service refuses it within " + KeyWatch.PERIOD_MS / 1000 + " seconds");
                if (keys.list().stream().noneMatch(k -> k.allows(Scope.ADMIN))) {
                    System.err.println("no key with the admin scope is left: ecap keys create NAME --scopes admin "
                        + "makes one");
                }
            }
            default -> throw new IllegalArgumentException("unknown action '" + action + "' (create, list, revoke)");
        }
        return 0;
    }
}
