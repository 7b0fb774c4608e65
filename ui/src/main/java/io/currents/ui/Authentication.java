package io.currents.ui;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Who is asking. OIDC mode: Quarkus OIDC has authenticated the request (login through the provider, or a bearer
 * token); the configured claims name the user and groups to impersonate. Token mode: the login token as a bearer
 * header, or the session cookie that {@code /login} set. Every page but the login page needs one of them.
 */
@jakarta.enterprise.context.ApplicationScoped
public class Authentication {

    @Inject
    UiConfig config;

    @Inject
    Sessions sessions;

    @Inject
    CurrentUser currentUser;

    @Inject
    SecurityIdentity identity;

    /** The filter itself; a separate bean because filters are built at static init, before the configuration. */
    public static class Filter {
        @Inject
        Authentication authentication;

        @ServerRequestFilter
        public Optional<Response> authenticate(ContainerRequestContext request) {
            return authentication.authenticate(request);
        }
    }

    public Optional<Response> authenticate(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (path.equals("/login") || path.equals("/logout") || path.equals("/logged-out")) {
            return Optional.empty();
        }
        Optional<UiUser> user = config.oidc().enabled() ? fromOidc() : fromToken(request);
        if (user.isPresent()) {
            currentUser.set(user.get());
            return Optional.empty();
        }
        boolean page = "GET".equals(request.getMethod()) && !path.equals("/events")
                && Optional.ofNullable(request.getHeaderString(HttpHeaders.ACCEPT)).orElse("").contains("text/html");
        if (page) {
            return Optional.of(Response.seeOther(URI.create("/login")).build());
        }
        return Optional.of(Response.status(Response.Status.UNAUTHORIZED).entity("log in first: /login\n").build());
    }

    private Optional<UiUser> fromOidc() {
        if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken token)) {
            return Optional.empty();
        }
        Object name = token.getClaim(config.oidc().usernameClaim());
        if (name == null || name.toString().isBlank()) {
            return Optional.empty();
        }
        List<String> groups = new ArrayList<>();
        Object claim = token.getClaim(config.oidc().groupsClaim());
        if (claim instanceof Collection<?> values) {
            values.forEach(v -> groups.add(config.oidc().groupsPrefix().orElse("") + unquote(v)));
        } else if (claim instanceof jakarta.json.JsonArray array) {
            array.forEach(v -> groups.add(config.oidc().groupsPrefix().orElse("") + unquote(v)));
        } else if (claim != null) {
            groups.add(config.oidc().groupsPrefix().orElse("") + unquote(claim));
        }
        return Optional.of(new UiUser(config.oidc().usernamePrefix().orElse("") + unquote(name), List.copyOf(groups)));
    }

    private static String unquote(Object value) {
        return value instanceof jakarta.json.JsonString s ? s.getString() : String.valueOf(value);
    }

    private Optional<UiUser> fromToken(ContainerRequestContext request) {
        Optional<String> expected = config.token().value();
        if (expected.isEmpty()) {
            return Optional.empty();
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header != null && header.startsWith("Bearer ")) {
            return Sessions.tokenMatches(expected.get(), header.substring(7).trim()) ? Optional.of(tokenUser()) : Optional.empty();
        }
        Cookie cookie = request.getCookies().get(Sessions.COOKIE);
        return sessions.find(cookie == null ? null : cookie.getValue());
    }

    UiUser tokenUser() {
        return new UiUser(config.token().user(), config.token().groups().orElse(List.of()));
    }
}
