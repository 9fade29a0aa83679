package io.ecap.ops.cli;

import io.ecap.hotpath.engine.DiskFill;
import io.ecap.hotpath.engine.StateMove;
import io.ecap.hotpath.state.DistinctSketch;
import io.ecap.hotpath.state.EntityKind;
import io.ecap.hotpath.state.EntityLayout;
import io.ecap.hotpath.state.EntityState;
import io.ecap.hotpath.state.EntityTable;
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
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Prints how much state each entity kind holds, or one entity's features. Reads the state files without locking
 * them, so it works beside a running engine (a record the engine is changing is read again).
 */
@Command(name = "state", mixinStandardHelpOptions = true,
    description = {
        "Without arguments: the entities each kind holds, how far its index is filled before it grows, "
            + "how many retention removed and the disk the state takes.",
        "With KIND ID: the features kept for one card, customer, device, ip or merchant.",
        "With --move-to-disk: a state kept in memory moved into the data folder's maps on its disk (engine stopped)."})
public final class StateCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "KIND", description = "card, customer, device, ip or "
        + "merchant")
    private String kind;

    @Parameters(index = "1", arity = "0..1", paramLabel = "ID", description = "the entity's id, as sent in "
        + "transactions")
    private String id;

    @Option(names = "--move-to-disk", description = "move a state kept in memory (tmpfs) into the data folder's "
        + "maps on its disk, for a state about to outgrow the memory; the engine stopped")
    private boolean moveToDisk;

    @Mixin
    private DataOption data;

    @Override
    public Integer call() throws Exception {
        if (moveToDisk) {
            return moveToDisk();
        }
        final Path maps = data.state();
        if (kind == null) {
            return summary(maps);
        }
        if (id == null) {
            throw new IllegalArgumentException("give an entity id after the kind, e.g. ecap state card tok_9f3a");
        }
        final EntityKind entityKind = kindOf(kind);
        if (!Files.exists(maps.resolve(entityKind.prefix() + ".records"))) {
            throw data.usage("no " + entityKind.prefix() + " state in " + maps.toAbsolutePath());
        }
        final UnsafeBuffer copy = new UnsafeBuffer(new byte[EntityLayout.LENGTH]);
        try (EntityTable table = EntityTable.openReadOnly(entityKind, maps.toFile())) {
            if (!table.read(id, copy, 0)) {
                System.out.println("no " + entityKind.prefix() + " '" + id + "' has been seen");
                return 1;
            }
        }
        print(entityKind, new EntityState().wrap(copy, 0));
        return 0;
    }

    private int moveToDisk() throws java.io.IOException {
        if (kind != null) {
            throw data.usageOf("--move-to-disk takes no KIND or ID");
        }
        data.state(); // refuses a copy's link, naming its original
        final long began = System.nanoTime();
        final StateMove.Moved moved;
        try {
            moved = StateMove.toDisk(data.dir());
        } catch (final IllegalStateException e) {
            throw data.usageOf(e.getMessage());
        }
        System.out.printf("Moved the state (%,.1f MB) from %s to %s in %.1f s: the engine keeps it there from its "
            + "next start.%n", moved.bytes() / 1048576.0, moved.from(), moved.to(), (System.nanoTime() - began) / 1e9);
        return 0;
    }

    private int summary(final Path maps) throws java.io.IOException {
        if (!Files.exists(maps.resolve("card.records"))) {
            throw data.noState(maps, "");
        }
        System.out.printf("%-9s %14s %14s %8s %12s %12s%n", "kind", "entities", "index slots", "filled", "evicted",
            "file MiB");
        for (final EntityKind k : EntityKind.ALL) {
            try (EntityTable t = EntityTable.openReadOnly(k, maps.toFile())) {
                System.out.printf("%-9s %,14d %,14d %7.1f%% %,12d %,12.1f%s%n", k.prefix(), t.live(), t.indexSlots(),
                    100.0 * t.fill(), t.evicted(), t.fileBytes() / 1048576.0, t.growing() ? "  (index growing)" : "");
            }
        }
        final Path real = maps.toRealPath();
        System.out.printf("%nIndexes double when half full (filled = 100%%), so no kind runs out of room; the %s "
            + "holding %s is %.1f%% full (%,.1f GiB free).%n", DiskFill.holder(real),
            real.equals(maps.toAbsolutePath()) ? real : maps.toAbsolutePath() + " -> " + real,
            100.0 * DiskFill.of(maps), DiskFill.usableBytes(maps) / 1073741824.0);
        return 0;
    }

    /** The customer's profile (EntityUpdater.applyProfile) as the features read it, or "none". */
    private static String profile(final EntityState s) {
        final java.util.List<String> parts = new java.util.ArrayList<>();
        if (s.profileSegment() != 0) {
            parts.add("segment " + io.ecap.model.field.Segments.name(s.profileSegment()));
        }
        if (!Double.isNaN(s.profileClvUsd())) {
            parts.add(String.format("predicted CLV $%,.0f", s.profileClvUsd()));
        }
        if (!Double.isNaN(s.profileChurnRisk())) {
            parts.add(String.format("churn risk %.3f", s.profileChurnRisk()));
        }
        if (!Double.isNaN(s.profileLifetimeOrders())) {
            parts.add(String.format("%,.0f orders", s.profileLifetimeOrders()));
        }
        return parts.isEmpty() ? "none" : String.join(", ", parts);
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
            System.out.printf("  last %-4s             %,d transactions%s%n", w.suffix(), SlidingWindows.count(s, w),
                w.hasSums() ? String.format(", $%,.2f", SlidingWindows.sum(s, w) / 100.0) : "");
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
        if (k == EntityKind.CUSTOMER) {
            System.out.printf("  profile from the lake %s%n", profile(s));
        }
        System.out.printf("  journal index         %d%n", s.lastAppliedIndex());
    }
}
