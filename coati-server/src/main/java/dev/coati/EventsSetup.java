package dev.coati;

import dev.coati.config.GatewayConfig;
import dev.coati.server.events.Hooks;
import dev.coati.server.events.SessionEvent;
import dev.coati.server.events.SessionEvents;
import dev.coati.server.metrics.Metrics;
import dev.coati.server.metrics.MetricsServer;
import dev.coati.server.radius.RadiusAccounting;
import dev.coati.server.radius.RadiusSessionAccounting;
import dev.coati.server.sessions.UserSessions;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.function.Consumer;

/** Builds what watches the gateway from the configuration: session events, hooks, metrics. */
public final class EventsSetup {
  private EventsSetup() {}

  /** The JSON event log and the hooks of the {@code events:} section, if any. */
  public static SessionEvents create(
      GatewayConfig config, Consumer<SessionEvent> accounting, PrintStream out) {
    GatewayConfig.EventsConfig e = config.events();
    if (e == null) {
      return accounting == null
          ? SessionEvents.NONE
          : new SessionEvents(null, null, accounting, System::currentTimeMillis);
    }
    Hooks hooks =
        e.upScript() == null && e.downScript() == null
            ? null
            : new Hooks(
                e.upScript(),
                e.downScript(),
                e.hookTimeoutSeconds(),
                config.tun() == null ? null : config.tun().name(),
                out);
    out.println(
        "coati: events: JSON log "
            + (e.jsonLog() == null ? "off" : e.jsonLog())
            + ", up hook "
            + (e.upScript() == null ? "none" : e.upScript())
            + ", down hook "
            + (e.downScript() == null ? "none" : e.downScript()));
    return new SessionEvents(e.jsonLog(), hooks, accounting, System::currentTimeMillis);
  }

  /**
   * The sessions register with its events: the JSON log and hooks of {@code events:}, and RADIUS
   * accounting when {@code radius.accounting} is on ({@code accounting} non-null).
   */
  public static UserSessions sessions(
      GatewayConfig config, RadiusAccounting accounting, PrintStream out) {
    SessionEvents events =
        create(
            config,
            accounting == null
                ? null
                : new RadiusSessionAccounting(
                    accounting, config.usersSource() != GatewayConfig.UserSource.LOCAL),
            out);
    long interim =
        accounting == null || config.radius() == null
            ? 0
            : config.radius().interimIntervalSeconds();
    return new UserSessions(events, System::currentTimeMillis, interim, out);
  }

  /** The Prometheus endpoint, if {@code metrics.listen} is set. */
  public static MetricsServer metrics(GatewayConfig config, Metrics metrics, PrintStream out)
      throws IOException {
    if (config.metricsListen() == null) {
      return null;
    }
    String l = config.metricsListen();
    int colon = l.lastIndexOf(':');
    MetricsServer m =
        new MetricsServer(
            new InetSocketAddress(
                InetAddress.getByName(l.substring(0, colon)),
                Integer.parseInt(l.substring(colon + 1))),
            metrics);
    out.println("coati: metrics on http://" + l + "/metrics");
    return m;
  }
}
