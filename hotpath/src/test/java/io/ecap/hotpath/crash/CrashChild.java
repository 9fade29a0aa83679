package io.ecap.hotpath.crash;

import io.ecap.hotpath.engine.Commands;
import io.ecap.hotpath.engine.EngineClient;
import io.ecap.hotpath.engine.EngineConfig;
import io.ecap.hotpath.engine.EngineRunner;
import io.ecap.hotpath.engine.EngineSettings;
import io.ecap.hotpath.journal.EntryType;
import io.ecap.hotpath.rules.DefaultRules;
import io.ecap.hotpath.state.EntityKind;
import io.ecap.model.binary.DecisionFlyweight;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Map;
import org.agrona.ExpandableArrayBuffer;

/**
 * The process the crash test kills: starts an engine on a data folder, sends items {@code from..to} of the crash
 * stream with up to 64 in flight, and prints one line per answer once the answer is received:
 * {@code ACK <item> <type> <journal index>}. Prints {@code STARTING}, {@code READY} and {@code DONE}. In the fresh
 * workload the state starts small (indexes grow), the idempotency window is 1000 transactions (it rotates) and
 * retention is days, not months (entities are removed).
 */
public final class CrashChild {
    /** The bundled rules under another version, with lower thresholds. */
    static final String CHALLENGER = DefaultRules.text()
        .replace("ruleset default version 2", "ruleset challenger version 1")
        .replace("thresholds review 400 decline 700", "thresholds review 300 decline 600");

    private CrashChild() {
    }

    public static void main(final String[] args) throws Exception {
        final Path dir = Path.of(args[0]);
        final long seed = Long.parseLong(args[1]);
        final int from = Integer.parseInt(args[2]);
        final int to = Integer.parseInt(args[3]);
        final CrashStream.Mode mode = CrashStream.Mode.valueOf(args[4]);
        final PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true);
        out.println("STARTING");
        final EngineConfig config = config(dir, mode);
        try (EngineRunner engine = EngineRunner.start(config, Throwable::printStackTrace)) {
            // a challenger in the shadow, journaled again at every start: kills also land between an answer and the
            // challenger's decision, which recovery must then journal before anything else
            engine.loadConfig(EntryType.SHADOW_RULE_SET, CHALLENGER, "crash-test", 1).get();
            out.println("READY " + engine.recoveredEntries());
            final EngineClient client = engine.newClient();
            final CrashStream stream = new CrashStream(seed, mode);
            final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(1024);
            final ArrayDeque<Integer> pending = new ArrayDeque<>();
            final DecisionFlyweight decision = new DecisionFlyweight();
            int next = from;
            while (next < to || !pending.isEmpty()) {
                while (next < to && pending.size() < 64) {
                    final int length = stream.encode(next, buffer);
                    if (client.offer(CrashStream.typeOf(next), buffer, 0, length) < 0) {
                        break;
                    }
                    pending.add(next++);
                }
                client.poll((type, correlationId, journalIndex, body, at, length) -> {
                    final int item = pending.poll();
                    long index = journalIndex;
                    if (type == Commands.RESPONSE_DECISION || type == Commands.RESPONSE_DUPLICATE) {
                        index = decision.wrapForDecode(body, at, length) > 0 ? decision.journalIndex() : -1;
                    } else if (type != Commands.RESPONSE_ACCEPTED) {
                        throw new IllegalStateException("item " + item + " answered with type " + type + ": "
                            + body.getStringWithoutLengthAscii(at, length));
                    }
                    out.println("ACK " + item + " " + type + " " + index);
                }, 64);
            }
            out.println("DONE");
        }
    }

    /** The engine settings of a workload (the test replays with the same ones). */
    static EngineConfig config(final Path dir, final CrashStream.Mode mode) {
        if (mode == CrashStream.Mode.MIXED) {
            return EngineConfig.defaults(dir).withEntries(10_000, 50_000);
        }
        return EngineConfig.defaults(dir).withEntries(1000, 1000).withSettings(EngineSettings.of(Map.of(
            EntityKind.CARD, 20, EntityKind.CUSTOMER, 20, EntityKind.DEVICE, 10, EntityKind.IP, 5)));
    }
}
