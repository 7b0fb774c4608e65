package io.currents.runtime.operator;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;

/**
 * An informer store that drops {@code metadata.managedFields} from what it caches. Controllers never read them from
 * the cache (status is written by server-side apply), and their nested field sets are a large share of each cached
 * object: with a thousand Kustomizations, megabytes of heap.
 */
public class ManagedFieldsFreeStore<T extends HasMetadata> extends BasicItemStore<T> {

    public ManagedFieldsFreeStore() {
        super(Cache::metaNamespaceKeyFunc);
    }

    @Override
    public T put(String key, T obj) {
        if (obj.getMetadata() != null) {
            obj.getMetadata().setManagedFields(null);
        }
        return super.put(key, obj);
    }
}
