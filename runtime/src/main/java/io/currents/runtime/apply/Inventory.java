package io.currents.runtime.apply;

import io.currents.api.meta.ResourceInventory;
import io.currents.api.meta.ResourceRef;
import io.fabric8.kubernetes.api.model.HasMetadata;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The objects a Kustomization (or HelmRelease) applied, as stored in {@code status.inventory}: one entry
 * per object, {@code {id: <namespace>_<name>_<group>_<kind>, v: <version>}}. Comparing the previous
 * inventory with the new one tells what to prune.
 */
public final class Inventory {

    /** One inventory entry: the object and the API version it was applied with. */
    public record Entry(String id, String version) {

        public ObjectRef ref() {
            return ObjectRef.parse(id);
        }

        public String apiVersion() {
            return ref().apiVersion(version);
        }
    }

    private final List<Entry> entries;

    private Inventory(Collection<Entry> entries) {
        // Keyed by id so an object listed twice (e.g. across apply stages) appears once.
        Map<String, Entry> unique = new LinkedHashMap<>();
        entries.forEach(e -> unique.put(e.id(), e));
        this.entries = List.copyOf(unique.values());
    }

    public static Inventory empty() {
        return new Inventory(List.of());
    }

    /** The inventory of everything in a change set, in the order it was applied. */
    public static Inventory of(ChangeSet changeSet) {
        return new Inventory(changeSet.entries().stream()
                .map(e -> new Entry(e.ref().id(), e.version())).toList());
    }

    /** The inventory of a set of objects. */
    public static Inventory ofObjects(Collection<? extends HasMetadata> objects) {
        return new Inventory(objects.stream()
                .map(o -> new Entry(ObjectRef.of(o).id(), ObjectRef.versionOf(o.getApiVersion()))).toList());
    }

    /** Reads {@code status.inventory}; null means nothing was applied yet. */
    public static Inventory from(ResourceInventory inventory) {
        if (inventory == null || inventory.getEntries() == null) {
            return empty();
        }
        return new Inventory(inventory.getEntries().stream().map(r -> new Entry(r.getId(), r.getVersion())).toList());
    }

    /** The API form, for {@code status.inventory}. */
    public ResourceInventory toResourceInventory() {
        ResourceInventory inventory = new ResourceInventory();
        inventory.setEntries(entries.stream().map(e -> new ResourceRef(e.id(), e.version()))
                .collect(Collectors.toCollection(ArrayList::new)));
        return inventory;
    }

    public List<Entry> entries() {
        return Collections.unmodifiableList(entries);
    }

    public List<ObjectRef> refs() {
        return entries.stream().map(Entry::ref).toList();
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /**
     * The entries of this (previous) inventory that are absent from {@code newer}: the objects that left
     * the set and are candidates for pruning. Only the id counts, so a version bump is not a removal.
     */
    public List<Entry> diff(Inventory newer) {
        Set<String> kept = newer.entries.stream().map(Entry::id).collect(Collectors.toSet());
        return entries.stream().filter(e -> !kept.contains(e.id())).toList();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Inventory other && entries.equals(other.entries);
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }

    @Override
    public String toString() {
        return entries.toString();
    }
}
