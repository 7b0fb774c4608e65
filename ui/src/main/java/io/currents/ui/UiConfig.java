package io.currents.ui;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.List;
import java.util.Optional;

/** The UI's settings ({@code currents.ui.*}, or CURRENTS_UI_* environment variables). */
@ConfigMapping(prefix = "currents.ui")
public interface UiConfig {

    /** Overview rows per page. */
    @WithDefault("100")
    int pageSize();

    Oidc oidc();

    Token token();

    /** OIDC login (Quarkus OIDC, the quarkus.oidc.* settings) and how token claims become the impersonated user. */
    interface Oidc {
        /** CURRENTS_UI_OIDC_ENABLED=true: users log in with the OIDC provider at QUARKUS_OIDC_AUTH_SERVER_URL. */
        @WithDefault("false")
        boolean enabled();

        /** The claim naming the user (kube-apiserver's --oidc-username-claim). */
        @WithDefault("email")
        String usernameClaim();

        /** The claim listing the user's groups (--oidc-groups-claim). */
        @WithDefault("groups")
        String groupsClaim();

        /** Prepended to the user name (--oidc-username-prefix), e.g. "oidc:". */
        Optional<String> usernamePrefix();

        /** Prepended to each group (--oidc-groups-prefix). */
        Optional<String> groupsPrefix();
    }

    /** Token login, for `currents dev up` and single-user installs: one shared secret mapped to one identity. */
    interface Token {
        /** The login token (CURRENTS_UI_TOKEN_VALUE); token login is off when unset. */
        Optional<String> value();

        /** The Kubernetes user the token's holder acts as. */
        @WithDefault("currents-ui-user")
        String user();

        /** The groups the token's holder acts with. */
        Optional<List<String>> groups();
    }
}
