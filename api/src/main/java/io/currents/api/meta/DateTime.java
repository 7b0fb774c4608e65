package io.currents.api.meta;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a string field holding an RFC 3339 timestamp (a Kubernetes {@code metav1.Time});
 * becomes {@code format: date-time} in the generated CRD schema. Kept as text so a round trip
 * never changes the value.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.METHOD})
public @interface DateTime {
}
