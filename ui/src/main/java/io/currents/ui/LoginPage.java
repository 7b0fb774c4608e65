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

    @POST
    @Path("logout")
    public Response logout(@CookieParam(Sessions.COOKIE) String session) {
        sessions.close(session);
        NewCookie gone = new NewCookie.Builder(Sessions.COOKIE).value("").path("/").maxAge(0).build();
        return Response.seeOther(URI.create("/login")).cookie(gone).build();
    }

    private TemplateInstance page(String error) {
        return login.data("error", error);
    }
}
