package dev.coati.server.radius;

import dev.coati.radius.Radius;
import dev.coati.radius.RadiusAccountingRecords;
import dev.coati.radius.RadiusAccountingRecords.Counters;
import dev.coati.radius.RadiusAccountingRecords.Session;
import dev.coati.radius.RadiusAccountingRecords.TerminateCause;
import dev.coati.radius.RadiusAttribute;
import dev.coati.server.queues.BoundedQueues;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;

/**
 * RADIUS accounting (RFC 2866): Start when a session has its address, Interim-Update optionally,
 * Stop when it ends. Requests go out on one daemon thread in order, so the caller (the engine)
 * never blocks; each future completes with whether a server acknowledged the record. Accounting-On
 * when the gateway starts and Accounting-Off when it stops tell the server that no session of an
 * earlier run (one that crashed without its Stops) is still up.
 */
public final class RadiusAccounting implements AutoCloseable {
  private static final int QUEUE = 65_536; // records waiting for a slow or dead server

  private final RadiusClient client;
  private final String nasIdentifier;
  private final PrintStream log;

  private final ExecutorService sender =
      BoundedQueues.singleThread(BoundedQueues.RADIUS_ACCOUNTING, "coati-radius-acct", QUEUE);

  public RadiusAccounting(RadiusClient client, String nasIdentifier, PrintStream log) {
    this.client = client;
    this.nasIdentifier = nasIdentifier;
    this.log = log;
  }

  /** Accounting-On, before any Start; {@code sessionId}: one no session uses. */
  public CompletableFuture<Boolean> accountingOn(String sessionId) {
    return send("Accounting-On", "the gateway", RadiusAccountingRecords.nasState(true, sessionId));
  }

  /** Accounting-Off, after the last Stop. */
  public CompletableFuture<Boolean> accountingOff(String sessionId) {
    return send(
        "Accounting-Off", "the gateway", RadiusAccountingRecords.nasState(false, sessionId));
  }

  public CompletableFuture<Boolean> start(Session s) {
    return send("Start", s, RadiusAccountingRecords.start(s));
  }

  private CompletableFuture<Boolean> send(String what, Session s, List<RadiusAttribute> attrs) {
    return send(what, s.user() + " (session " + s.sessionId() + ")", attrs);
  }

  public CompletableFuture<Boolean> interim(Session s, Counters c) {
    return send("Interim-Update", s, RadiusAccountingRecords.interim(s, c));
  }

  public CompletableFuture<Boolean> stop(Session s, Counters c, TerminateCause cause) {
    return send("Stop", s, RadiusAccountingRecords.stop(s, c, cause));
  }

  private CompletableFuture<Boolean> send(String what, String about, List<RadiusAttribute> attrs) {
    List<RadiusAttribute> all = new ArrayList<>(attrs);
    all.add(RadiusAttribute.text(Radius.NAS_IDENTIFIER, nasIdentifier));
    try {
      return sendAsync(what, about, all);
    } catch (RejectedExecutionException e) {
      log.println(
          "coati: RADIUS accounting " + what + " for " + about + " lost: " + e.getMessage());
      return CompletableFuture.completedFuture(false);
    }
  }

  private CompletableFuture<Boolean> sendAsync(
      String what, String about, List<RadiusAttribute> all) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            client.exchange(Radius.ACCOUNTING_REQUEST, all);
            return true;
          } catch (RadiusClient.NoAnswerException e) {
            log.println(
                "coati: RADIUS accounting " + what + " for " + about + " lost: " + e.getMessage());
            return false;
          }
        },
        sender);
  }

  @Override
  public void close() {
    sender.shutdown();
  }
}
