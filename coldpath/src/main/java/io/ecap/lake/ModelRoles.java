package io.ecap.lake;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * {@code ecap lake models}: the registry ({@code gold/fraud_models}) with what the engine did with each model, as its
 * journal says ({@code bronze/config_changes}): the model live now and the challenger in the shadow, each since when.
 * The journal is the one record of it (a model goes live through the admin API, {@code --promote}, a start's
 * {@code engine.model}, a rollback), so the roles are as fresh as bronze.
 */
final class ModelRoles {
    private static final Pattern NAME = Pattern.compile("(?m)^name[ \\t]+(\\S+)");
    private static final Pattern VERSION = Pattern.compile("(?m)^version[ \\t]+(\\S+)");

    /** A role and since when the engine has held it; {@code model} null when the entry put none live. */
    record Role(String role, String model, java.sql.Timestamp since, long journalIndex) {
    }

    private final SparkSession spark;
    private final Lake lake;

    ModelRoles(final SparkSession spark, final Lake lake) {
        this.spark = spark;
        this.lake = lake;
    }

    /** The newest {@code live} and {@code challenger} entries of the journal (none when bronze has none). */
    List<Role> roles() {
        final List<Role> roles = new ArrayList<>();
        final String table = lake.bronze("config_changes");
        if (!DeltaWrites.exists(spark, table)) {
            return roles;
        }
        for (final String[] kind : new String[][] {{"model", "live"}, {"shadow-model", "challenger"}}) {
            final List<Row> last = spark.read().format("delta").load(table).where(functions.col("kind")
                .equalTo(kind[0])).orderBy(functions.desc("journal_index")).select("text", "event_ts",
                    "journal_index").limit(1).collectAsList();
            if (!last.isEmpty()) {
                final Row row = last.get(0);
                roles.add(new Role(kind[1], label(row.getString(0)), row.getTimestamp(1), row.getLong(2)));
            }
        }
        return roles;
    }

    /** {@code name@version} of a model file's text, or null for none (an empty text takes the model away). */
    static String label(final String text) {
        if (text == null) {
            return null;
        }
        final Matcher name = NAME.matcher(text);
        final Matcher version = VERSION.matcher(text);
        return name.find() && version.find() ? name.group(1) + "@" + version.group(1) : null;
    }

    /** Prints the registry, newest first, each model with its role; then a role held by a model it lacks. */
    void print() {
        final String registry = lake.gold("fraud_models");
        if (!DeltaWrites.exists(spark, registry)) {
            throw new IllegalArgumentException("models: no gold/fraud_models in " + lake.root() + ": train a model "
                + "first (ecap lake train-fraud)");
        }
        final List<Role> roles = roles();
        final List<Row> models = spark.read().format("delta").load(registry).orderBy(functions.desc("trained_at"))
            .select("name", "version", "model_type", "trained_at", "roc_auc", "pr_auc").collectAsList();
        System.out.printf("models: %,d in gold/fraud_models, newest first; roles from the engine's journal "
            + "(bronze/config_changes)%n", models.size());
        final List<String> listed = new ArrayList<>();
        for (final Row m : models) {
            final String label = m.getString(0) + "@" + m.getString(1);
            listed.add(label);
            System.out.printf(Locale.ROOT, "  %-28s %-9s trained %s  ROC-AUC %.4f  PR-AUC %.4f%s%n", label,
                m.getString(2), m.getTimestamp(3).toInstant().toString().substring(0, 16), m.getDouble(4),
                m.getDouble(5), roleOf(label, roles));
        }
        for (final Role role : roles) {
            if (role.model() == null) {
                System.out.printf("%s: none since %s (journal entry %x)%n", role.role(), instant(role),
                    role.journalIndex());
            } else if (!listed.contains(role.model())) {
                System.out.printf("%s: %s since %s (journal entry %x), not a model of gold/fraud_models%n",
                    role.role(), role.model(), instant(role), role.journalIndex());
            }
        }
        if (roles.isEmpty()) {
            System.out.println("no model went live or into the shadow in the journal bronze has");
        }
    }

    private static String roleOf(final String label, final List<Role> roles) {
        final StringBuilder out = new StringBuilder();
        for (final Role role : roles) {
            if (label.equals(role.model())) {
                out.append("  ").append(role.role()).append(" since ").append(instant(role));
            }
        }
        return out.toString();
    }

    private static String instant(final Role role) {
        return role.since().toInstant().toString().substring(0, 19) + "Z";
    }
}
