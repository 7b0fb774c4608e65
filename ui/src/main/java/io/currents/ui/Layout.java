package io.currents.ui;

import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

/** The data every full page needs: the user, the CSRF token of its forms. */
@RequestScoped
public class Layout {

    @Inject
    CurrentUser user;

    @Inject
    Sessions sessions;

    @Inject
    UiConfig config;

    public TemplateInstance page(Template template) {
        UiUser current = user.get();
        return template.data("user", current).data("csrf", sessions.csrfToken(current))
                .data("logout", true);
    }
}
