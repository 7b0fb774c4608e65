package io.currents.api.meta;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;

import java.util.List;

/** An access control list for cross-namespace references, matched against the caller's namespace labels. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AccessFrom {

    @Required
    private List<NamespaceSelector> namespaceSelectors;

    public List<NamespaceSelector> getNamespaceSelectors() {
        return namespaceSelectors;
    }

    public void setNamespaceSelectors(List<NamespaceSelector> namespaceSelectors) {
        this.namespaceSelectors = namespaceSelectors;
    }
}
