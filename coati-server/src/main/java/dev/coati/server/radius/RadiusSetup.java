package dev.coati.server.radius;

import dev.coati.config.GatewayConfig;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;

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
}
