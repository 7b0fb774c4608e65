package io.currents.runtime.apply;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The result of applying or deleting a set of objects, rendered one line per object as Flux logs it. */
public final class ChangeSet {

    private final List<ChangeSetEntry> entries = new ArrayList<>();

    public void add(ChangeSetEntry entry) {
        entries.add(entry);
    }

    public void append(ChangeSet other) {
        entries.addAll(other.entries);
    }

    public List<ChangeSetEntry> entries() {
        return Collections.unmodifiableList(entries);
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** Subject to action, in order; what Flux puts in events' metadata. */
    public Map<String, String> toMap() {
        Map<String, String> map = new LinkedHashMap<>();
        entries.forEach(e -> map.put(e.ref().subject(), e.action().toString()));
        return map;
    }

    /** The entries whose action is one of {@code actions}. */
    public List<ChangeSetEntry> with(Action... actions) {
        List<Action> wanted = List.of(actions);
        return entries.stream().filter(e -> wanted.contains(e.action())).toList();
    }

    /** True when something was created, configured or deleted. */
    public boolean hasChanges() {
        return !with(Action.CREATED, Action.CONFIGURED, Action.DELETED).isEmpty();
    }

    @Override
    public String toString() {
        return String.join("\n", entries.stream().map(ChangeSetEntry::toString).toList());
    }
}
