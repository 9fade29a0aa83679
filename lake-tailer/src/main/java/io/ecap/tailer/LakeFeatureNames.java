package io.ecap.tailer;

import io.ecap.model.storage.FeatureNames;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** Keeps the lake's feature names file ({@link FeatureNames}) up to date before the tailer loads anything. */
final class LakeFeatureNames {
    private LakeFeatureNames() {
    }

    /** Writes {@code names} to the lake at {@code root} unless the file there already says enough. */
    static void record(final Configuration hadoop, final String root, final List<String> names) throws IOException {
        final Path file = new Path(root + "/" + FeatureNames.FILE);
        // without Hadoop's local checksum files: a file edited by hand reads as what it says, and is judged by it
        final FileSystem any = file.getFileSystem(hadoop);
        final FileSystem fs = any instanceof ChecksumFileSystem checked ? checked.getRawFileSystem() : any;
        String existing = null;
        if (fs.exists(file)) {
            try (InputStream in = fs.open(file)) {
                existing = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
        final String text = FeatureNames.merged(existing, names, file.toString());
        if (text == null) {
            return;
        }
        // written beside it and moved into place: a reader sees the old list or the new one, never half of one
        final Path tmp = new Path(file.getParent(), "." + file.getName() + ".tmp");
        try (OutputStream out = fs.create(tmp, true)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        if (fs.exists(file)) {
            fs.delete(file, false);
        }
        if (!fs.rename(tmp, file)) {
            throw new IOException("cannot move " + tmp + " to " + file);
        }
    }
}
