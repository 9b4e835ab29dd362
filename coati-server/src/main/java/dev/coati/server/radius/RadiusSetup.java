package dev.coati.server.radius;

import dev.coati.config.GatewayConfig;
import dev.coati.radius.DisconnectRequest;
import dev.coati.server.sessions.UserSessions;
import dev.coati.util.Ipv4Address;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;

/** Builds the RADIUS client, authenticator and accounting from the {@code radius:} section. */
public final class RadiusSetup {
  private RadiusSetup() {}

  public static RadiusClient client(GatewayConfig.RadiusConfig c, PrintStream log) {
    List<RadiusEndpoint> servers =
        c.servers().stream()
            .map(s -> new RadiusEndpoint(s.address(), s.port(), s.acctPort(), s.secret()))
            .toList();
    return new RadiusClient(
        servers,
        Duration.ofSeconds(c.timeoutSeconds()),
        c.retries(),
        c.requireMessageAuthenticator(),
        log);
  }

  /** host:port of each server, for the startup line. */
  public static String describe(GatewayConfig.RadiusConfig c) {
    return String.join(", ", c.servers().stream().map(s -> s.address() + ":" + s.port()).toList());
  }

  /**
   * The Disconnect-Request listener of {@code radius.dynamic_authorization}, started; null when the
   * section has none. A request's NAS-Identifier must be {@code nas_identifier}; its NAS-IP-Address
   * the listen address (unless 0.0.0.0) or one of {@code gatewayAddresses}.
   */
  public static DynamicAuthServer dynamicAuthorization(
      GatewayConfig.RadiusConfig c,
      Set<Ipv4Address> gatewayAddresses,
      DynamicAuthServer.Handler handler,
      PrintStream log)
      throws IOException {
    GatewayConfig.DynamicAuthorization d = c.dynamicAuthorization();
    if (d == null) {
      return null;
    }
    Set<Ipv4Address> ours = new HashSet<>(gatewayAddresses);
    Ipv4Address listen = Ipv4Address.parse(d.listenAddress());
    if (listen.value() != 0) {
      ours.add(listen);
    }
    return new DynamicAuthServer(
            d, new DisconnectRequest.Nas(c.nasIdentifier(), ours), handler, log, Clock.systemUTC())
        .start();
  }

  /**
   * The Disconnect-Request listener of {@code radius.dynamic_authorization} ending matching
   * sessions (see {@link RadiusDisconnects}), started; null without that section. The gateway's
   * listen addresses count as its NAS-IP-Address.
   */
  public static DynamicAuthServer disconnects(
      GatewayConfig config, Executor socketThread, UserSessions sessions, PrintStream log)
      throws IOException {
    if (config.radius() == null || config.radius().dynamicAuthorization() == null) {
      return null;
    }
    Set<Ipv4Address> ours = new HashSet<>();
    for (String a : config.listen()) {
      try {
        ours.add(Ipv4Address.parse(a));
      } catch (IllegalArgumentException e) {
        // not IPv4 (or a wildcard name): the listen address of the section still counts
      }
    }
    return dynamicAuthorization(
        config.radius(), ours, new RadiusDisconnects(socketThread, sessions), log);
  }
}
