package io.currents.api.meta;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a list whose items are identified by key fields, as Flux's {@code +listType=map} and
 * {@code +listMapKey} markers say; becomes {@code x-kubernetes-list-type: map} and
 * {@code x-kubernetes-list-map-keys} in the generated CRD schema, so server-side apply merges
 * items by key and the API server refuses two items with the same key.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.METHOD})
public @interface ListMap {

    /** The item fields that together identify an item. */
    String[] keys();
}
