package io.currents.ui;

import java.util.List;

/** The logged-in person as Kubernetes sees them through impersonation. */
public record UiUser(String name, List<String> groups) {
}
