package io.ecap.bench;

import io.ecap.model.topic.Topics;
import io.ecap.ops.generate.GeneratedEvent;
import io.ecap.ops.generate.GeneratedEvent.Kind;
import io.ecap.ops.generate.Traffic;
import io.ecap.ops.generate.WorkloadGenerator;
import io.ecap.ops.report.LatencyReport;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The Kafka path end to end on a running broker: {@code transactions} → bridge → engine → journal → publisher →
 * {@code decisions}, with the service ({@code ecap run}) in its own JVM, started by this program.
 *
 * <ul>
 *   <li>{@code --rate 0}: throughput. Loads {@code --count} transactions into the topic first, then starts the
 *   service and times consume → score → publish until the last decision is committed in {@code decisions}.</li>
 *   <li>{@code --rate N}: latency. Starts the service, offers N transactions a second (open loop) for a warm-up and
 *   then {@code --seconds}, and measures from each transaction's due time to its decision read from
 *   {@code decisions} (read_committed): a stalled producer delays every later send and is counted in full.</li>
 * </ul>
 *
 * <p>{@code --against passthrough} measures the same on the floor instead, a plain exactly-once copy of
 * {@code transactions} ({@link KafkaPassthrough}); {@code --against both} measures the passthrough and the service one
 * after the other on the same broker (throughput: the floor first, both reading the same loaded records with groups of
 * their own; latency: the service first, then the floor starting at the end of the topic) and prints the ratio.
 * {@code --passthrough-poll N}: records per poll, hence per transaction, of the floor (500, as the bridge's).
 *
 * <pre>benchmarks/run kafka [--rate 10000] [--seconds 30] [--warmup 30] [--count 500000] [--against both]</pre>
 */
public final class KafkaBridgeBench {
    private static final long START_MS = 1_793_577_600_000L;

    /** What is measured: the service, or the floor. */
    private enum Target {
        ECAP(Topics.DECISIONS, "ECAP consume -> score -> publish"),
        PASSTHROUGH(KafkaPassthrough.TOPIC, "passthrough (exactly-once copy)");

        private final String output;
        private final String label;

        Target(final String output, final String label) {
            this.output = output;
            this.label = label;
        }
    }

    private final String bootstrap;
    private final Path ecap;
    private final Path data;
    private final Map<String, Long> dueNs = new ConcurrentHashMap<>();
    /** Milliseconds from each output record's timestamp (its producer's send) to its read. */
    private final Histogram sinceSent = new Histogram(60_000, 3);
    private int passthroughPoll = 500;
    /** Each target's throughput over the second half of its output ({@link #throughput}). */
    private final Map<Target, Double> secondHalf = new java.util.EnumMap<>(Target.class);
    private volatile boolean reading;

    private KafkaBridgeBench(final String bootstrap, final Path ecap, final Path data) {
        this.bootstrap = bootstrap;
        this.ecap = ecap;
        this.data = data;
    }

    public static void main(final String[] args) throws Exception {
        String bootstrap = null;
        Path ecap = null;
        Path data = null;
        Path out = Path.of("reports", "kafka");
        long rate = 10_000;
        int seconds = 30;
        int warmup = 30;
        int count = 500_000;
        String against = "ecap";
        int passthroughPoll = 500;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--bootstrap" -> bootstrap = args[++i];
                case "--ecap" -> ecap = Path.of(args[++i]);
                case "--data" -> data = Path.of(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--rate" -> rate = Long.parseLong(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--count" -> count = Integer.parseInt(args[++i]);
                case "--against" -> against = args[++i];
                case "--passthrough-poll" -> passthroughPoll = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                    + " (--rate N, --seconds S, --warmup S, --count N, --out DIR, --against ecap|passthrough|both, "
                    + "--passthrough-poll N)");
            }
        }
        if (bootstrap == null || ecap == null || data == null) {
            throw new IllegalArgumentException("--bootstrap, --ecap and --data are set by benchmarks/run kafka");
        }
        final List<Target> targets = switch (against) {
            case "ecap" -> List.of(Target.ECAP);
            case "passthrough" -> List.of(Target.PASSTHROUGH);
            case "both" -> rate == 0 ? List.of(Target.PASSTHROUGH, Target.ECAP) : List.of(Target.ECAP,
                Target.PASSTHROUGH);
            default -> throw new IllegalArgumentException("--against: ecap, passthrough or both, not " + against);
        };
        final KafkaBridgeBench bench = new KafkaBridgeBench(bootstrap, ecap, data);
        bench.passthroughPoll = passthroughPoll;
        if (targets.contains(Target.PASSTHROUGH)) {
            KafkaPassthrough.createTopic(bootstrap);
        }
        final Map<Target, Double> results = new java.util.EnumMap<>(Target.class);
        if (rate == 0) {
            bench.load(count);
        }
        for (final Target target : targets) {
            results.put(target, rate == 0 ? bench.throughput(count, target)
                : bench.latency(rate, warmup, seconds, out, target));
        }
        if (results.size() == 2) {
            System.out.printf(rate == 0 ? "ECAP / passthrough: %.0f%% of the floor's throughput%n"
                : "ECAP / passthrough p99: %.1f times the floor's%n", rate == 0
                ? 100 * results.get(Target.ECAP) / results.get(Target.PASSTHROUGH)
                : results.get(Target.ECAP) / results.get(Target.PASSTHROUGH));
            if (rate == 0) {
                System.out.printf("ECAP / passthrough, the second halves: %.0f%%%n",
                    100 * bench.secondHalf.get(Target.ECAP) / bench.secondHalf.get(Target.PASSTHROUGH));
            }
        }
    }

    private void load(final int count) {
        final Traffic traffic = traffic(11);
        final long loadStart = System.nanoTime();
        try (KafkaProducer<String, String> producer = producer(20)) {
            for (int i = 0; i < count; i++) {
                final GeneratedEvent e = traffic.next();
                producer.send(new ProducerRecord<>(Topics.TRANSACTIONS, e.key(), e.json()));
            }
        }
        System.out.printf("loaded %,d transactions into '%s' in %.1f s%n", count, Topics.TRANSACTIONS,
            (System.nanoTime() - loadStart) / 1e9);
    }

    /** Starts what is measured: the service in a JVM of its own, or the passthrough here. */
    private AutoCloseable start(final Target target, final boolean fromEnd) throws Exception {
        if (target == Target.PASSTHROUGH) {
            return new KafkaPassthrough(bootstrap, fromEnd, passthroughPoll).start();
        }
        final Process service = startService();
        return () -> stop(service);
    }

    /** Records a second from the first output to the last of {@code count}. */
    private double throughput(final int count, final Target target) throws Exception {
        final AtomicLong firstNs = new AtomicLong();
        final AtomicLong halfNs = new AtomicLong();
        final AtomicLong decided = new AtomicLong();
        try (KafkaConsumer<byte[], byte[]> consumer = fromEnd(target.output)) {
            final AutoCloseable running = start(target, false);
            final long startedNs = System.nanoTime();
            try {
                while (decided.get() < count) {
                    final var records = consumer.poll(Duration.ofMillis(100));
                    if (!records.isEmpty() && firstNs.get() == 0) {
                        firstNs.set(System.nanoTime());
                    }
                    if (decided.addAndGet(records.count()) >= count / 2 && halfNs.get() == 0) {
                        halfNs.set(System.nanoTime());
                    }
                    if (System.nanoTime() - startedNs > TimeUnit.MINUTES.toNanos(10)) {
                        throw new IllegalStateException("only " + decided.get() + " decisions after 10 minutes");
                    }
                }
                final long endNs = System.nanoTime();
                final double perSecond = count / ((endNs - firstNs.get()) / 1e9);
                System.out.printf("%s: %,d transactions in %.2f s from the first output = %,.0f transactions/s "
                    + "(%.2f s and %,.0f/s counting the start)%n", target.label, count,
                    (endNs - firstNs.get()) / 1e9, perSecond, (endNs - startedNs) / 1e9,
                    count / ((endNs - startedNs) / 1e9));
                // the second half alone: the JIT compilers (of the service and of the broker) are mostly done by then
                final double later = (count - count / 2) / ((endNs - halfNs.get()) / 1e9);
                System.out.printf("%s, the second half alone: %,.0f transactions/s%n", target.label, later);
                secondHalf.put(target, later);
                return perSecond;
            } finally {
                running.close();
            }
        }
    }

    /** The p99 in milliseconds, from each transaction's due time to its output read. */
    private double latency(final long rate, final int warmup, final int seconds, final Path out, final Target target)
        throws Exception {
        final AutoCloseable running = start(target, true);
        final Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        sinceSent.reset();
        final AtomicLong received = new AtomicLong();
        final AtomicLong unmatched = new AtomicLong();
        final AtomicLong measureFromNs = new AtomicLong(Long.MAX_VALUE);
        final Thread reader = new Thread(() -> readDecisions(target.output, histogram, received, unmatched,
            measureFromNs), "decisions-reader");
        try (KafkaProducer<String, String> producer = producer(2)) {
            reading = true;
            reader.start();
            final Traffic traffic = traffic(13);
            // warm-up: the rate ramps up linearly over `warmup` seconds (a cold engine, JIT and fresh maps cannot take
            // the full rate at once); then `seconds` at the full rate, measured
            final long rampCount = rate * warmup / 2;
            final long total = rampCount + rate * seconds;
            final long startNs = System.nanoTime();
            measureFromNs.set(startNs + TimeUnit.SECONDS.toNanos(warmup));
            System.out.printf("offering transactions ramping up to %,d a second over %d s (warm-up), then %,d a "
                + "second for %d s (measured)%n", rate, warmup, rate, seconds);
            for (long i = 0; i < total; i++) {
                final double at = i < rampCount ? Math.sqrt(2.0 * warmup * i / rate)
                    : warmup + (double) (i - rampCount) / rate;
                final long due = startNs + (long) (at * 1e9);
                final long early = due - System.nanoTime();
                if (early > 0) {
                    // sleep in slices of at least a millisecond (sending in small bursts) so that the sender does not
                    // wake 10 000 times a second on a 2-core machine; latency counts from the due time regardless
                    LockSupport.parkNanos(Math.max(early, 1_000_000));
                }
                final GeneratedEvent e = traffic.next();
                dueNs.put(e.txnId(), due);
                producer.send(new ProducerRecord<>(Topics.TRANSACTIONS, e.key(), e.json()));
            }
            final long sentNs = System.nanoTime() - startNs;
            System.out.printf("sent in %.1f s (%,.0f/s)%n", sentNs / 1e9, total / (sentNs / 1e9));
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (received.get() < total && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            reading = false; // the reader ends its poll and closes its consumer (an interrupt would break the close)
            reader.join();
            System.out.printf("decisions read: %,d of %,d%s%n", received.get(), total,
                unmatched.get() > 0 ? " (" + unmatched.get() + " not sent by this run)" : "");
            synchronized (histogram) {
                System.out.println(target.label + ", Kafka in -> out (due time to output read, full rate): "
                    + LatencyReport.summary(histogram));
                System.out.printf("  of which output record's timestamp -> read: p50 %d ms, p90 %d ms, p99 %d ms%n",
                    sinceSent.getValueAtPercentile(50), sinceSent.getValueAtPercentile(90),
                    sinceSent.getValueAtPercentile(99));
                final String name = target == Target.ECAP ? "kafka-" : "kafka-passthrough-";
                LatencyReport.write(out, name + rate + "-per-s", target.label + ", Kafka in to out, " + rate
                    + "/s", histogram);
                return histogram.getValueAtPercentile(99) / 1e6;
            }
        } finally {
            running.close();
        }
    }

    private void readDecisions(final String topic, final Histogram histogram, final AtomicLong received,
        final AtomicLong unmatched, final AtomicLong measureFromNs) {
        try (KafkaConsumer<byte[], byte[]> consumer = fromEnd(topic)) {
            while (reading) {
                for (final ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(50))) {
                    final long now = System.nanoTime();
                    final long sinceSentMs = System.currentTimeMillis() - r.timestamp();
                    final Long due = dueNs.remove(txnId(r.value()));
                    received.incrementAndGet();
                    if (due == null) {
                        unmatched.incrementAndGet();
                    } else if (due >= measureFromNs.get()) {
                        synchronized (histogram) {
                            histogram.recordValue(Math.min(now - due, histogram.getHighestTrackableValue()));
                            sinceSent.recordValue(Math.max(0, Math.min(sinceSentMs, 60_000)));
                        }
                    }
                }
            }
        }
    }

    /** The txnId from a decision's or a transaction's JSON (its first "txnId"). */
    private static String txnId(final byte[] value) {
        final String json = new String(value, 0, Math.min(value.length, 200), StandardCharsets.UTF_8);
        final int start = json.indexOf("\"txnId\":\"") + 9;
        return json.substring(start, json.indexOf('"', start));
    }

    private static Traffic traffic(final long seed) {
        return new Traffic(Traffic.Settings.defaults(new WorkloadGenerator.Settings(seed, 20_000, 500, START_MS,
            10_000, 0.004)).withKinds(EnumSet.of(Kind.TRANSACTION)));
    }

    private KafkaProducer<String, String> producer(final int lingerMs) {
        final Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.LINGER_MS_CONFIG, lingerMs);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        return new KafkaProducer<>(config);
    }

    private KafkaConsumer<byte[], byte[]> fromEnd(final String topic) {
        final Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, System.getProperty("isolation", "read_committed"));
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, Integer.getInteger("fetchWaitMs", 500));
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        final KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config);
        final List<TopicPartition> partitions = new ArrayList<>();
        for (final PartitionInfo p : consumer.partitionsFor(topic)) {
            partitions.add(new TopicPartition(p.topic(), p.partition()));
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        return consumer;
    }

    private Process startService() throws Exception {
        final ProcessBuilder builder = new ProcessBuilder(ecap.toString(), "run", "--data", data.toString(),
            "--port", "0").redirectErrorStream(true);
        builder.environment().put("ECAP_KAFKA_BOOTSTRAP_SERVERS", bootstrap);
        builder.environment().put("ECAP_KAFKA_INSTANCE_ID", "bench");
        final Process process = builder.start();
        final BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
            StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (line.startsWith("Kafka at") || line.startsWith("ECAP ready")) {
                System.out.println("service: " + line);
            }
            if (line.startsWith("ECAP ready")) {
                System.out.println("service metrics: http://127.0.0.1:" + line.replaceAll(".*:(\\d+).*", "$1")
                    + "/metrics");
                final Thread drain = new Thread(() -> drain(in), "service-output");
                drain.setDaemon(true);
                drain.start();
                return process;
            }
        }
        throw new IllegalStateException("ecap run exited before it was ready");
    }

    private static void drain(final BufferedReader in) {
        try {
            while (in.readLine() != null) {
                // the service's output after it is ready is not needed
            }
        } catch (final java.io.IOException e) {
            // the service stopped
        }
    }

    private static void stop(final Process service) throws InterruptedException {
        service.toHandle().descendants().forEach(ProcessHandle::destroy);
        service.destroy();
        service.waitFor(60, TimeUnit.SECONDS);
    }
}
