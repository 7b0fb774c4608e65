package io.currents.runtime.operator;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ManagedFieldsFreeStoreTest {

    @Test
    void cachedObjectsKeepEverythingButTheirManagedFields() {
        ConfigMap cm = new ConfigMapBuilder().withNewMetadata().withName("app").withNamespace("team").withResourceVersion("7")
                .addToLabels("app", "web")
                .addToManagedFields(new ManagedFieldsEntryBuilder().withManager("kubectl").withOperation("Apply").build())
                .endMetadata().addToData("k", "v").build();
        ManagedFieldsFreeStore<ConfigMap> store = new ManagedFieldsFreeStore<>();

        store.put(store.getKey(cm), cm);

        ConfigMap cached = store.get("team/app");
        assertThat(cached.getMetadata().getManagedFields()).isNullOrEmpty();
        assertThat(cached.getMetadata().getResourceVersion()).isEqualTo("7");
        assertThat(cached.getMetadata().getLabels()).containsEntry("app", "web");
        assertThat(cached.getData()).containsEntry("k", "v");
        assertThat(store.size()).isEqualTo(1);
    }
}
