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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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

  /**
   * Accounting-On (null {@code accounting}: nothing), waited for up to {@code waitMillis} before
   * the gateway lets anyone log in: the server (FreeRADIUS sqlippool's on_clear) frees the leases
   * of an earlier run that ended without its Stops, and must do so before it leases addresses to
   * this run. Returns the Acct-Session-Id it used ({@code SSSSSSSS-00000000}: the start time and a
   * counter no session has), for {@link #accountingOff}.
   */
  public static String accountingOn(
      RadiusAccounting accounting, long nowMillis, long waitMillis, PrintStream log) {
    String id = String.format("%08x-00000000", nowMillis / 1000);
    if (accounting != null) {
      await(accounting.accountingOn(id), waitMillis, "Accounting-On not answered at start", log);
    }
    return id;
  }

  /**
   * Accounting-Off at shutdown, queued after the sessions' Stops, waited for up to {@code
   * waitMillis} (the Stops before it included): what does not get through in time is lost, and the
   * next start's Accounting-On (or the server's lease expiry) covers it.
   */
  public static void accountingOff(
      RadiusAccounting accounting, String id, long waitMillis, PrintStream log) {
    if (accounting != null) {
      await(
          accounting.accountingOff(id),
          waitMillis,
          "accounting not finished at shutdown (Stops or Accounting-Off lost)",
          log);
    }
  }

  private static void await(
      CompletableFuture<Boolean> f, long waitMillis, String what, PrintStream log) {
    try {
      f.get(waitMillis, TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      log.println("coati: RADIUS " + what + " after " + waitMillis + " ms");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * How long one exchange may take at most before the client gives up (every server, every
   * retransmission, plus half a second): waiting that long for the Accounting-On means it is either
   * answered or abandoned when logins begin, never delivered after them (it would free their
   * leases).
   */
  public static long exchangeMillis(GatewayConfig.RadiusConfig c) {
    return c == null ? 0 : c.timeoutSeconds() * 1000 * (c.retries() + 1) * c.servers().size() + 500;
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
