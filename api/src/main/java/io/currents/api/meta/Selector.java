package io.currents.api.meta;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Selects the objects a kustomize patch or rule applies to; every set criterion must match. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Selector {

    private String group;

    private String version;

    private String kind;

    private String namespace;

    private String name;

    private String annotationSelector;

    private String labelSelector;

    public String getGroup() {
        return group;
    }

    public void setGroup(String group) {
        this.group = group;
    }

    public String getVersion() {
        return version;
    }

    public void setVersion(String version) {
        this.version = version;
    }

    public String getKind() {
        return kind;
    }

    public void setKind(String kind) {
        this.kind = kind;
    }

    public String getNamespace() {
        return namespace;
    }

    public void setNamespace(String namespace) {
        this.namespace = namespace;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getAnnotationSelector() {
        return annotationSelector;
    }

    public void setAnnotationSelector(String annotationSelector) {
        this.annotationSelector = annotationSelector;
    }

    public String getLabelSelector() {
        return labelSelector;
    }

    public void setLabelSelector(String labelSelector) {
        this.labelSelector = labelSelector;
    }
}
