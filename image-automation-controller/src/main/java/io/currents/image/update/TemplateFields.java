package io.currents.image.update;

/** A value whose fields a commit message template may read ({@code .Field}). */
public interface TemplateFields {
    /** The field's value; throws IllegalArgumentException naming the fields there are. */
    Object field(String name);
}
