package io.currents.kustomize.yaml;

import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.constructor.StandardConstructor;
import org.snakeyaml.engine.v2.nodes.Node;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * snakeyaml-engine's {@code Load} for text from users (SOPS files, Secrets, repositories): the same objects, but each
 * document is composed and checked against {@link AliasBudget} before anything is constructed from it.
 */
public final class BoundedLoad {

    private BoundedLoad() {
    }

    /** The single document of {@code text} (null when empty), as {@code new Load(settings).loadFromString(text)}. */
    public static Object loadOne(LoadSettings settings, String text) {
        Optional<Node> node = new Compose(settings).composeString(text);
        node.ifPresent(AliasBudget::check);
        return new StandardConstructor(settings).constructSingleDocument(node);
    }

    /** Every document of {@code text}, as {@code new Load(settings).loadAllFromString(text)}. */
    public static List<Object> loadAll(LoadSettings settings, String text) {
        StandardConstructor constructor = new StandardConstructor(settings);
        List<Object> documents = new ArrayList<>();
        for (Node node : new Compose(settings).composeAllFromString(text)) {
            AliasBudget.check(node);
            documents.add(constructor.constructSingleDocument(Optional.of(node)));
        }
        return documents;
    }
}
