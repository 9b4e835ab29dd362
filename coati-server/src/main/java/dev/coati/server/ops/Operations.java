package dev.coati.server.ops;

import dev.coati.ike.IkeEngine;
import dev.coati.ike.IkeSaView;
import dev.coati.server.dataplane.DataPlane;
import dev.coati.server.l2tp.L2tpServer;
import dev.coati.server.sessions.UserSessions;
import dev.coati.util.LogSafe;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The operators' requests ({@code status}, {@code kick}, {@code reload}) against the running
 * gateway. Whatever reads or changes engine or L2TP state runs on the socket thread ({@code
 * engineThread}) and is awaited here with a timeout; config files are read on the caller's thread.
 */
public final class Operations implements ControlServer.Handler {
  private static final long TIMEOUT_SECONDS = 5;

  /** The parts of the running gateway the operations touch (dp, lns and sessions may be null). */
  public record Gateway(
      Executor engineThread,
      IkeEngine engine,
      DataPlane dp,
      L2tpServer lns,
      Reloader reloader,
      UserSessions sessions) {}

  private final Gateway g;
  private final PrintStream log;

  public Operations(Gateway g, PrintStream log) {
    this.g = g;
    this.log = log;
  }

  @Override
  public ControlServer.Response handle(String line) {
    ControlRequest r;
    try {
      r = ControlRequest.parse(line);
    } catch (IllegalArgumentException e) {
      return new ControlServer.Response(2, e.getMessage() + "\n");
    }
    try {
      return switch (r.verb()) {
        case STATUS -> {
          List<SessionRow> rows = onEngine(this::rows);
          yield new ControlServer.Response(
              0, r.json() ? SessionRow.json(rows) + "\n" : SessionRow.table(rows));
        }
        case KICK -> kick(r.argument());
        case RELOAD -> reload();
      };
    } catch (TimeoutException e) {
      return new ControlServer.Response(1, "the gateway did not answer in time\n");
    }
  }

  private List<SessionRow> rows() {
    Map<String, String> ids = new HashMap<>();
    if (g.sessions() != null) {
      g.sessions().live().forEach(e -> ids.put(e.name(), e.accountingId()));
    }
    return StatusCollector.collect(
        g.engine().sas(), g.dp(), g.lns(), ids::get, System.currentTimeMillis());
  }

  private ControlServer.Response kick(String selector) throws TimeoutException {
    List<String> done =
        onEngine(
            () ->
                kickRows(
                    rows().stream().filter(row -> row.matches(selector)).toList(),
                    "kicked",
                    "kicked by the operator"));
    if (done.isEmpty()) {
      return new ControlServer.Response(1, "no session matches " + selector + "\n");
    }
    done.forEach(d -> log.println("coati: operator " + d));
    return new ControlServer.Response(0, String.join("\n", done) + "\n");
  }

  /**
   * Ends the sessions of {@code rows} (socket thread): L2TP tunnels with StopCCN first (while their
   * SA can still carry it), then the IKE SAs with Delete notifies; the listeners release addresses.
   */
  List<String> kickRows(List<SessionRow> rows, String verb, String why) {
    List<String> done = new ArrayList<>();
    Set<IkeSaView> sas = new LinkedHashSet<>();
    for (SessionRow row : rows) {
      if (row.l2tpSession() != null && g.lns() != null) {
        g.lns().closeTunnelOf(row.l2tpSession(), why);
      }
      if (row.ike() != null) {
        sas.add(row.ike());
      }
      done.add(
          verb
              + " "
              + (row.l2tpSession() != null
                  ? row.l2tpSession() + " (IKE SA " + row.session() + ")"
                  : row.session())
              + " "
              + row.kind()
              + (row.user() == null ? "" : " user " + LogSafe.value(row.user()))
              + (row.address() == null ? "" : " address " + row.address())
              + " from "
              + row.peer());
    }
    for (IkeSaView sa : sas) {
      g.engine().kick(sa, why);
    }
    return done;
  }

  /**
   * Ends the session named {@code name} (an IKE SA or an L2TP session) because {@code why}: a
   * RADIUS limit or Disconnect-Request. Socket thread. False if no such session.
   */
  public boolean end(String name, String why) {
    List<SessionRow> named =
        rows().stream()
            .filter(
                r ->
                    name.equals(r.l2tpSession())
                        || (r.l2tpSession() == null && name.equals(r.session())))
            .toList();
    kickRows(named, "ended", why);
    return !named.isEmpty();
  }

  /** SIGHUP and {@code coati reload}: the outcome, also logged. */
  public ControlServer.Response reload() throws TimeoutException {
    ControlServer.Response r = g.reloader().reload(this);
    log.println("coati: reload: " + r.text().strip().replace("\n", "; "));
    return r;
  }

  /** Runs {@code work} on the socket thread and waits for it (at most five seconds). */
  <T> T onEngine(Supplier<T> work) throws TimeoutException {
    CompletableFuture<T> f = new CompletableFuture<>();
    g.engineThread()
        .execute(
            () -> {
              try {
                f.complete(work.get());
              } catch (RuntimeException e) {
                f.completeExceptionally(e);
              }
            });
    try {
      return f.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TimeoutException("interrupted");
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause().toString(), e.getCause());
    }
  }

  /** The rows of every session whose user {@code known} does not know (socket thread). */
  List<SessionRow> usersGone(Predicate<String> known) {
    return rows().stream().filter(r -> r.user() != null && !known.test(r.user())).toList();
  }
}
