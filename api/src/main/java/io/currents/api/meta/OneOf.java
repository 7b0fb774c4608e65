package io.currents.api.meta;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The values a string field may take, as Flux's {@code kubebuilder:validation:Enum} marker says;
 * becomes {@code enum} in the generated CRD schema. The field stays a {@code String} so that a
 * value added by a newer Flux version never breaks deserialization.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.METHOD})
public @interface OneOf {

    /** The allowed values. */
    String[] value();
}
