package io.currents.kustomize.yaml;

import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * go-yaml's bound on alias expansion (a "billion laughs" document): while decoding, count every node and the nodes
 * reached through an alias; once more than 100 nodes came from aliases in a document of more than 1,000, refuse it
 * when the aliased share passes 99% (up to 400,000 nodes), falling linearly to 10% (from 4,000,000). A few hundred
 * bytes of nested aliases would otherwise expand to gigabytes in whoever walks the result.
 */
public final class AliasBudget {

    private static final long RANGE_LOW = 400_000;
    private static final long RANGE_HIGH = 4_000_000;

    private long decoded;
    private long aliased;

    /** Counts one decoded node; {@code throughAlias} when it was reached by expanding an alias. */
    public void count(boolean throughAlias) {
        decoded++;
        if (throughAlias) {
            aliased++;
        }
        if (aliased > 100 && decoded > 1000 && (double) aliased / decoded > allowedRatio(decoded)) {
            throw new YamlException("document contains excessive aliasing (more than " + aliased
                    + " nodes come from expanding aliases)");
        }
    }

    private static double allowedRatio(long decoded) {
        if (decoded <= RANGE_LOW) {
            return 0.99;
        }
        if (decoded >= RANGE_HIGH) {
            return 0.10;
        }
        return 0.99 - 0.89 * ((double) (decoded - RANGE_LOW) / (RANGE_HIGH - RANGE_LOW));
    }

    /**
     * Walks a composed document as a decoder would (aliases expanded) and throws a {@link YamlException} when the
     * expansion breaks the budget or an anchor contains itself; composing alone shares aliased nodes and stays small.
     */
    public static void check(Node root) {
        try {
            new Walk().visit(root, 0, 0);
        } catch (StackOverflowError e) {
            throw new YamlException("document nested too deeply");
        }
    }

    /**
     * Checks every document of {@code text} before a parser that does not apply this bound reads it (Jackson's YAML);
     * a malformed text is left to that parser to report.
     */
    public static void checkText(String text) {
        org.snakeyaml.engine.v2.api.LoadSettings settings = org.snakeyaml.engine.v2.api.LoadSettings.builder()
                .setCodePointLimit(Integer.MAX_VALUE).setMaxAliasesForCollections(Integer.MAX_VALUE).build();
        try {
            for (Node document : new org.snakeyaml.engine.v2.api.lowlevel.Compose(settings).composeAllFromString(text)) {
                check(document);
            }
        } catch (org.snakeyaml.engine.v2.exceptions.YamlEngineException e) {
            // not YAML: the caller's own parser says why
        }
    }

    private static final class Walk {
        private final AliasBudget budget = new AliasBudget();
        private final Map<Node, Boolean> seen = new IdentityHashMap<>();
        private final Map<Node, Boolean> active = new IdentityHashMap<>();

        void visit(Node node, int aliasDepth, int depth) {
            if (depth > 10_000) {
                throw new YamlException("document nested too deeply");
            }
            // a node met again can only have been reached through an alias
            int inside = seen.put(node, Boolean.TRUE) != null ? aliasDepth + 1 : aliasDepth;
            budget.count(inside > 0);
            if (!(node instanceof MappingNode) && !(node instanceof SequenceNode)) {
                return;
            }
            if (active.put(node, Boolean.TRUE) != null) {
                throw new YamlException("anchor value contains itself");
            }
            try {
                if (node instanceof SequenceNode sequence) {
                    for (Node item : sequence.getValue()) {
                        visit(item, inside, depth + 1);
                    }
                } else {
                    for (NodeTuple tuple : ((MappingNode) node).getValue()) {
                        visit(tuple.getKeyNode(), inside, depth + 1);
                        visit(tuple.getValueNode(), inside, depth + 1);
                    }
                }
            } finally {
                active.remove(node);
            }
        }
    }
}
