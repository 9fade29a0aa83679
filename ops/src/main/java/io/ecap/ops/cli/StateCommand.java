package io.ecap.ops.cli;

import io.ecap.hotpath.state.DistinctSketch;
import io.ecap.hotpath.state.EntityKind;
import io.ecap.hotpath.state.EntityLayout;
import io.ecap.hotpath.state.EntityState;
import io.ecap.hotpath.state.EntityStore;
import io.ecap.hotpath.state.SlidingWindows;
import io.ecap.hotpath.state.WindowSpec;
import io.ecap.model.field.Countries;
import io.ecap.model.field.Timestamps;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.agrona.concurrent.UnsafeBuffer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** Prints one entity's features, read under the map's read lock (safe beside a running engine). */
@Command(name = "state", mixinStandardHelpOptions = true,
    description = "Show the features kept for one entity: card, customer, device, ip or merchant.")
public final class StateCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "KIND", description = "card, customer, device, ip or merchant")
    private String kind;

    @Parameters(index = "1", paramLabel = "ID", description = "the entity's id, as sent in transactions")
    private String id;

    @Mixin
    private DataOption data;

    @Override
    public Integer call() throws Exception {
        final EntityKind entityKind = kindOf(kind);
        final Path maps = data.dir().resolve("maps");
        if (!Files.exists(maps.resolve(entityKind.prefix() + ".cm3"))) {
            throw new IllegalArgumentException("no " + entityKind.prefix() + " map in " + maps.toAbsolutePath());
        }
        final UnsafeBuffer copy = new UnsafeBuffer(new byte[EntityLayout.LENGTH]);
        try (EntityStore store = EntityStore.open(entityKind, maps.toFile(), 1000, false)) {
            if (!store.read(id, copy, 0)) {
                System.out.println("no " + entityKind.prefix() + " '" + id + "' has been seen");
                return 1;
            }
        }
        print(entityKind, new EntityState().wrap(copy, 0));
        return 0;
    }

    private static EntityKind kindOf(final String name) {
        for (final EntityKind k : EntityKind.ALL) {
            if (k.prefix().equals(name.toLowerCase(Locale.ROOT))) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown entity kind '" + name + "' (card, customer, device, ip, merchant)");
    }

    private void print(final EntityKind k, final EntityState s) {
        System.out.printf("%s %s%n", k.prefix(), id);
        System.out.printf("  first seen            %s%n", Timestamps.formatIso(s.firstSeenMs()));
        System.out.printf("  last seen             %s%n", Timestamps.formatIso(s.lastSeenMs()));
        System.out.printf("  transactions          %,d (out of order: %,d)%n", s.txnCount(), s.outOfOrderEvents());
        System.out.printf("  amount mean / sd      $%,.2f / $%,.2f%n", s.amountMean() / 100,
            Math.sqrt(s.amountVariance()) / 100);
        for (final WindowSpec w : WindowSpec.TRANSACTION_WINDOWS) {
            System.out.printf("  last %-4s             %,d transactions, $%,.2f%n", w.suffix(),
                SlidingWindows.count(s, w), SlidingWindows.sum(s, w) / 100.0);
        }
        System.out.printf("  clicks, last hour     %,d%n", SlidingWindows.count(s, WindowSpec.CLICKS_HOUR));
        if (k.counterpartName() != null) {
            System.out.printf("  distinct %-12s %d in 7 days%n", k.counterpartName(),
                DistinctSketch.count(s, s.lastSeenMs()));
        }
        if (!Double.isNaN(s.lastLat())) {
            System.out.printf("  last location         %.4f, %.4f at %s%n", s.lastLat(), s.lastLon(),
                Timestamps.formatIso(s.lastLocationMs()));
        }
        if (s.lastCountry() != Countries.ABSENT) {
            System.out.printf("  last country          %s%n", Countries.unpack(s.lastCountry()));
        }
        System.out.printf("  declines              %,d (in a row: %d)%n", s.declines(), s.consecutiveDeclines());
        System.out.printf("  confirmed fraud       %,d%n", s.fraudLabels());
        System.out.printf("  journal index         %d%n", s.lastAppliedIndex());
    }
}
