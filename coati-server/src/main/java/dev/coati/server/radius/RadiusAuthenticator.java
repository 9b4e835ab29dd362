package dev.coati.server.radius;

import dev.coati.auth.AuthRequest;
import dev.coati.auth.AuthResult;
import dev.coati.auth.Authenticator;
import dev.coati.radius.Radius;
import dev.coati.radius.RadiusAttribute;
import dev.coati.radius.RadiusAuthMapping;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Authenticates against RADIUS (see {@link RadiusAuthMapping} for what is sent per method). Blocks
 * the calling thread until a server answers or all time out: callers run it on the auth workers
 * (RemoteAccessService, PppLink). No answer is a failure, never an exception. With {@code
 * framedIpRequired} ({@code radius.framed_ip: required}) an Access-Accept without a
 * Framed-IP-Address (or with 255.255.255.254/255: "the NAS picks") fails the login, so a gateway
 * that shares RADIUS's address pool with others never falls back to its own pool.
 */
public record RadiusAuthenticator(
    RadiusClient client, String nasIdentifier, boolean framedIpRequired) implements Authenticator {

  /** Without {@code framed_ip: required}: the local pool when RADIUS names no address. */
  public RadiusAuthenticator(RadiusClient client, String nasIdentifier) {
    this(client, nasIdentifier, false);
  }

  @Override
  public CompletionStage<AuthResult> authenticate(AuthRequest request) {
    List<RadiusAttribute> attrs = new ArrayList<>(RadiusAuthMapping.attributes(request));
    attrs.add(RadiusAttribute.text(Radius.NAS_IDENTIFIER, nasIdentifier));
    attrs.add(RadiusAttribute.integer(Radius.NAS_PORT_TYPE, Radius.NAS_PORT_TYPE_VIRTUAL));
    AuthResult r;
    try {
      RadiusClient.Answer a = client.exchange(Radius.ACCESS_REQUEST, attrs);
      r = RadiusAuthMapping.result(request, a.packet(), a.serverName());
      if (framedIpRequired && r.success() && r.staticAddress().isEmpty()) {
        r =
            AuthResult.failure(
                request.user(),
                "RADIUS accepted the user without a Framed-IP-Address and radius.framed_ip is"
                    + " required (is the RADIUS address pool exhausted?)",
                request instanceof AuthRequest.MsChapV2
                    ? AuthResult.ERROR_AUTHENTICATION_FAILURE
                    : 0);
      }
    } catch (RadiusClient.NoAnswerException e) {
      int code =
          request instanceof AuthRequest.MsChapV2 ? AuthResult.ERROR_AUTHENTICATION_FAILURE : 0;
      r = AuthResult.failure(request.user(), e.getMessage(), code);
    }
    return CompletableFuture.completedFuture(r);
  }
}
