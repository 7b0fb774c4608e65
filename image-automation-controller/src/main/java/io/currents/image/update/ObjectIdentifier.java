package io.currents.image.update;

import java.util.Comparator;
import java.util.Objects;

/** The Kubernetes object a setter marker sits in, as Flux's commit template sees it ({@code .Kind}, {@code .Name}, ...). */
public record ObjectIdentifier(String apiVersion, String kind, String name, String namespace)
        implements Comparable<ObjectIdentifier>, TemplateFields {

    private static final Comparator<ObjectIdentifier> ORDER = Comparator
            .comparing((ObjectIdentifier o) -> Objects.toString(o.apiVersion, ""))
            .thenComparing(o -> Objects.toString(o.kind, ""))
            .thenComparing(o -> Objects.toString(o.name, ""))
            .thenComparing(o -> Objects.toString(o.namespace, ""));

    @Override
    public Object field(String field) {
        return switch (field) {
            case "APIVersion" -> nz(apiVersion);
            case "Kind" -> nz(kind);
            case "Name" -> nz(name);
            case "Namespace" -> nz(namespace);
            default -> throw new IllegalArgumentException("an object has no field '" + field + "' (it has APIVersion, Kind, Name, Namespace)");
        };
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    @Override
    public int compareTo(ObjectIdentifier o) {
        return ORDER.compare(this, o);
    }

    @Override
    public String toString() {
        return "{" + nz(apiVersion) + " " + nz(kind) + " " + nz(namespace) + " " + nz(name) + "}";
    }
}
