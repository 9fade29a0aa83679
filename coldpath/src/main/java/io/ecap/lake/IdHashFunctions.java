package io.ecap.lake;

import io.ecap.model.field.IdHash;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;

/**
 * The engine's id hash ({@link IdHash}) as Spark SQL functions, so that the lake can find an entity by the hash an
 * erasure entry journals, without its id: {@value #OF_ID}{@code (column)} hashes an id column, and
 * {@value #OF_JSON}{@code (text)} the contents of a JSON string as a raw entry writes it (escapes undone first).
 * Both give null for null, and for text that is not an id (empty, too long, not printable ASCII), which no id hashes
 * to.
 */
final class IdHashFunctions {
    static final String OF_ID = "ecap_id_hash";
    static final String OF_JSON = "ecap_json_id_hash";

    private IdHashFunctions() {
    }

    static void register(final SparkSession spark) {
        spark.udf().register(OF_ID, (UDF1<String, Long>) IdHashFunctions::ofId, DataTypes.LongType);
        spark.udf().register(OF_JSON, (UDF1<String, Long>) text -> text == null ? null : ofId(unescape(text)),
            DataTypes.LongType);
    }

    /** The hash of an id, as the engine's index, erasure entries and case database have it; null if not an id. */
    static Long ofId(final String id) {
        if (id == null || id.isEmpty() || id.length() > io.ecap.model.field.Ids.MAX_LENGTH) {
            return null;
        }
        for (int i = 0; i < id.length(); i++) {
            final char c = id.charAt(i);
            if (c < '!' || c > '~') {
                return null;
            }
        }
        return IdHash.of(id);
    }

    /** The text a JSON string's contents stand for ({@code \"}, {@code \\}, {@code \/}, {@code \u0041}...). */
    static String unescape(final String json) {
        if (json.indexOf('\\') < 0) {
            return json;
        }
        final StringBuilder out = new StringBuilder(json.length());
        for (int i = 0; i < json.length(); i++) {
            final char c = json.charAt(i);
            if (c != '\\' || i + 1 == json.length()) {
                out.append(c);
                continue;
            }
            final char e = json.charAt(++i);
            switch (e) {
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> {
                    if (i + 4 >= json.length()) {
                        return json;
                    }
                    try {
                        out.append((char) Integer.parseInt(json.substring(i + 1, i + 5), 16));
                    } catch (final NumberFormatException notHex) {
                        return json;
                    }
                    i += 4;
                }
                default -> out.append(e);
            }
        }
        return out.toString();
    }
}
