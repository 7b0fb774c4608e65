package io.currents.ui;

import jakarta.enterprise.context.RequestScoped;

/** The user of the request being served, set by {@link Authentication}. */
@RequestScoped
public class CurrentUser {

    private UiUser user;

    public UiUser get() {
        if (user == null) {
            throw new IllegalStateException("no user on this request");
        }
        return user;
    }

    void set(UiUser user) {
        this.user = user;
    }
}
