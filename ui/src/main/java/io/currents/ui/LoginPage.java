package io.currents.ui;

import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import java.net.URI;

/** Token login ({@code /login}, {@code /login?token=…} as printed by dev up) and logout. */
@Path("/")
public class LoginPage {

    @Inject
    Template login;

    @Inject
    UiConfig config;

    @Inject
    Sessions sessions;

    @Inject
    Authentication authentication;

    @GET
    @Path("login")
    @Produces(MediaType.TEXT_HTML)
    public Response form(@QueryParam("token") String token, @Context UriInfo uri) {
        if (config.oidc().enabled()) {
            return Response.seeOther(URI.create("/")).build();
        }
        if (token != null) {
            return submit(token, uri);
        }
        return Response.ok(page(null)).build();
    }

    @POST
    @Path("login")
    @Produces(MediaType.TEXT_HTML)
    @jakarta.ws.rs.Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response submit(@FormParam("token") String token, @Context UriInfo uri) {
        if (config.oidc().enabled() || !Sessions.tokenMatches(config.token().value().orElse(null), token)) {
            return Response.status(Response.Status.UNAUTHORIZED).entity(page(config.token().value().isEmpty()
                    ? "Token login is off: set CURRENTS_UI_TOKEN_VALUE, or log in with OIDC." : "That token is not valid.")).build();
        }
        String session = sessions.open(authentication.tokenUser());
        NewCookie cookie = new NewCookie.Builder(Sessions.COOKIE).value(session).path("/").httpOnly(true)
                .secure("https".equals(uri.getRequestUri().getScheme())).sameSite(NewCookie.SameSite.STRICT).build();
        return Response.seeOther(URI.create("/")).cookie(cookie).build();
    }

    @Inject
    jakarta.enterprise.inject.Instance<io.quarkus.oidc.OidcSession> oidcSession;

    @Inject
    jakarta.enterprise.inject.Instance<io.quarkus.oidc.OidcConfigurationMetadata> oidcMetadata;

    @Inject
    Template loggedOut;

    /**
     * Log out. With OIDC the UI's session cookies are removed, then the browser is sent to the provider's
     * end_session_endpoint (RP-initiated logout, with the ID token as hint and /logged-out to come back to) when the
     * provider advertises one, else straight to /logged-out (the provider's own session stays).
     */
    @POST
    @Path("logout")
    public Response logout(@CookieParam(Sessions.COOKIE) String session, @Context UriInfo uri) {
        if (config.oidc().enabled()) {
            io.quarkus.oidc.OidcSession oidc = oidcSession.get();
            String idToken = oidc.getIdToken() == null ? null : oidc.getIdToken().getRawToken();
            oidc.logout().await().atMost(java.time.Duration.ofSeconds(10));
            URI back = uri.getBaseUriBuilder().path("logged-out").build();
            String endSession = oidcMetadata.get().getEndSessionUri();
            if (endSession == null || endSession.isBlank()) {
                return Response.seeOther(back).build();
            }
            jakarta.ws.rs.core.UriBuilder provider = jakarta.ws.rs.core.UriBuilder.fromUri(endSession)
                    .queryParam("post_logout_redirect_uri", back)
                    .queryParam("client_id", org.eclipse.microprofile.config.ConfigProvider.getConfig()
                            .getOptionalValue("quarkus.oidc.client-id", String.class).orElse(""));
            if (idToken != null) {
                provider.queryParam("id_token_hint", idToken);
            }
            return Response.seeOther(provider.build()).build();
        }
        sessions.close(session);
        NewCookie gone = new NewCookie.Builder(Sessions.COOKIE).value("").path("/").maxAge(0).build();
        return Response.seeOther(URI.create("/login")).cookie(gone).build();
    }

    /** Where a logout ends (no sign-in needed). */
    @GET
    @Path("logged-out")
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance loggedOut() {
        return loggedOut.instance();
    }

    private TemplateInstance page(String error) {
        return login.data("error", error);
    }
}
