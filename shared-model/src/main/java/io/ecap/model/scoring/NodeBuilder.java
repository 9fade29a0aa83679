package io.ecap.model.scoring;

import java.util.ArrayList;
import java.util.List;

/** Collects and checks the nodes of a tree ensemble while it is read. */
final class NodeBuilder {
    private final List<Integer> feature = new ArrayList<>();
    private final List<Double> threshold = new ArrayList<>();
    private final List<Integer> yes = new ArrayList<>();
    private final List<Integer> no = new ArrayList<>();
    private final List<Boolean> missingYes = new ArrayList<>();
    private final List<Double> leaf = new ArrayList<>();

    int size() {
        return feature.size();
    }

    /** Adds node {@code id} of a tree of {@code count} nodes whose first node is at {@link #size()} - id. */
    void add(final String[] node, final int id, final int count, final int features, final ModelParser parser)
        throws ModelException {
        final int line = parser.lineNo();
        if (node.length < 3 || !node[0].equals("node") || parser.integer(node[1]) != id) {
            throw new ModelException(line, "expected 'node " + id + " ...'");
        }
        final int base = size() - id;
        if (node[2].equals("leaf") && node.length == 4) {
            feature.add(-1);
            threshold.add(0.0);
            yes.add(-1);
            no.add(-1);
            missingYes.add(false);
            leaf.add(parser.number(node[3]));
        } else if (node[2].equals("split") && node.length == 8) {
            final int f = parser.integer(node[3]);
            if (f < 0 || f >= features) {
                throw new ModelException(line, "feature position " + f + " outside 0.." + (features - 1));
            }
            final int y = parser.integer(node[5]);
            final int n = parser.integer(node[6]);
            if (y <= id || n <= id || y >= count || n >= count) {
                throw new ModelException(line, "children of node " + id + " must be between " + (id + 1) + " and "
                    + (count - 1));
            }
            if (!node[7].equals("yes") && !node[7].equals("no")) {
                throw new ModelException(line, "the missing direction is 'yes' or 'no'");
            }
            feature.add(f);
            threshold.add(parser.number(node[4]));
            yes.add(base + y);
            no.add(base + n);
            missingYes.add(node[7].equals("yes"));
            leaf.add(0.0);
        } else {
            throw new ModelException(line, "expected 'node <id> leaf <value>' or "
                + "'node <id> split <feature> <threshold> <yes> <no> <yes|no>'");
        }
    }

    /**
     * The splits on the longest path from the root of the tree whose nodes are the last {@code count} added to a leaf
     * (children have higher ids than their parents, so one pass in id order finds it).
     */
    int depthOfLast(final int count) {
        final int base = size() - count;
        final int[] depth = new int[count];
        int deepest = 0;
        for (int id = 0; id < count; id++) {
            final int y = yes.get(base + id);
            if (y >= 0) {
                final int below = depth[id] + 1;
                depth[y - base] = Math.max(depth[y - base], below);
                depth[no.get(base + id) - base] = Math.max(depth[no.get(base + id) - base], below);
                deepest = Math.max(deepest, below);
            }
        }
        return deepest;
    }

    TreeEnsembleModel.NodeArrays build() {
        final boolean[] missing = new boolean[missingYes.size()];
        for (int i = 0; i < missing.length; i++) {
            missing[i] = missingYes.get(i);
        }
        return new TreeEnsembleModel.NodeArrays(
            feature.stream().mapToInt(Integer::intValue).toArray(),
            threshold.stream().mapToDouble(Double::doubleValue).toArray(),
            yes.stream().mapToInt(Integer::intValue).toArray(),
            no.stream().mapToInt(Integer::intValue).toArray(),
            missing,
            leaf.stream().mapToDouble(Double::doubleValue).toArray());
    }
}
