package dev.coati.server.radius;

import dev.coati.config.GatewayConfig;
import dev.coati.crypto.Secret;
import dev.coati.radius.DisconnectRequest;
import dev.coati.radius.DynamicAuthException;
import dev.coati.radius.Radius;
import dev.coati.radius.RadiusAttribute;
import dev.coati.radius.RadiusCodec;
import dev.coati.radius.RadiusException;
import dev.coati.radius.RadiusPacket;
import dev.coati.radius.RadiusSigner;
import dev.coati.util.Hex;
import java.io.IOException;
import java.io.PrintStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Dynamic Authorization Server of RFC 5176: a UDP listener (port 3799 by default) on its own
 * daemon thread that lets the RADIUS side end sessions with a Disconnect-Request.
 *
 * <p>A packet counts only if it comes from a configured client address and verifies with that
 * client's secret (RFC 5176 section 6.2, RFC 2865 section 3: the source address picks the secret);
 * anything else is dropped and logged at most once a minute per address, never with a secret. A
 * Disconnect-Request then goes through {@link DisconnectRequest#parse} (a NAK with its Error-Cause
 * if refused, nothing at all for a stale Event-Timestamp) and the {@link Handler}: at least one
 * session ended is a Disconnect-ACK, none a Disconnect-NAK with Error-Cause 503 Session Context Not
 * Found, a handler failure a NAK with 506 Resources Unavailable (section 3.5). A CoA-Request gets a
 * CoA-NAK with 406 Unsupported Extension, which section 3.5 defines for "lack of support for an
 * extension such as Disconnect and/or CoA packets" (405 Unsupported Service is about a Service-Type
 * value). Every answer carries a Message-Authenticator and the request's Proxy-State attributes in
 * order (section 3.1).
 *
 * <p>Requests are handled one at a time. A retransmission (same source address and port, identifier
 * and Request Authenticator within 30 s, RFC 5176 section 2.3) gets the same answer again without
 * the handler being called twice.
 */
public final class DynamicAuthServer implements AutoCloseable {
  /** How long an answer is kept for retransmissions of its request. */
  static final long RETRANSMISSION_MILLIS = 30_000;

  /** Answers kept at most; the oldest goes first. */
  static final int CACHE_ENTRIES = 256;

  /** At most one log line per address and kind of drop in this time. */
  static final long LOG_INTERVAL_MILLIS = 60_000;

  /** Ends sessions for a Disconnect-Request. */
  @FunctionalInterface
  public interface Handler {
    /**
     * Ends every session {@code r} names (see {@link DisconnectRequest#matches}) and returns how
     * many: 0 when none matched. Called on the listener's thread, one request at a time, so it may
     * block for a few seconds (the DAC retransmits meanwhile) but no more than about 5. An
     * exception is answered with Error-Cause 506.
     */
    int disconnect(DisconnectRequest r) throws Exception;
  }

  private record Key(SocketAddress from, int identifier, String authenticator) {}

  private record Answer(byte[] bytes, long atMillis) {}

  private final DatagramSocket socket;
  private final Map<InetAddress, Secret> clients = new HashMap<>();
  private final DisconnectRequest.Nas nas;
  private final Handler handler;
  private final PrintStream log;
  private final Clock clock;
  private final Thread thread;
  private final String description;
  private final Map<Key, Answer> answers =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Answer> eldest) {
          return size() > CACHE_ENTRIES;
        }
      };
  private final Map<String, Long> lastLogged = new HashMap<>();
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong acks = new AtomicLong();
  private final AtomicLong naks = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong retransmissions = new AtomicLong();

  /**
   * Binds {@code config}'s address and port (0: any free port, for tests); {@link #start} listens.
   * {@code nas} is what NAS-Identifier and NAS-IP-Address in requests must match; {@code clock} is
   * what Event-Timestamp and the retransmission cache go by.
   */
  public DynamicAuthServer(
      GatewayConfig.DynamicAuthorization config,
      DisconnectRequest.Nas nas,
      Handler handler,
      PrintStream log,
      Clock clock)
      throws IOException {
    for (GatewayConfig.DaeClient c : config.clients()) {
      clients.put(InetAddress.getByName(c.address()), c.secret());
    }
    this.nas = nas;
    this.handler = handler;
    this.log = log;
    this.clock = clock;
    socket =
        new DatagramSocket(
            new InetSocketAddress(InetAddress.getByName(config.listenAddress()), config.port()));
    thread = new Thread(this::run, "coati-radius-dae");
    thread.setDaemon(true);
    description =
        config.listenAddress()
            + ":"
            + socket.getLocalPort()
            + " for "
            + String.join(", ", config.clients().stream().map(c -> c.address()).toList());
  }

  /** Starts the listener thread and logs where it listens; returns this. */
  public DynamicAuthServer start() {
    thread.start();
    log.println("coati: RADIUS Dynamic Authorization (RFC 5176) on " + description);
    return this;
  }

  /** The UDP port listened on. */
  public int port() {
    return socket.getLocalPort();
  }

  /**
   * What the listener did so far.
   *
   * @param requests verified Disconnect-Request and CoA-Request packets, retransmissions not
   *     counted
   * @param dropped packets not answered: unknown source, bad signature or format, stale
   *     Event-Timestamp
   * @param retransmissions retransmissions answered from the cache
   */
  public record Stats(long requests, long acks, long naks, long dropped, long retransmissions) {}

  public Stats stats() {
    return new Stats(requests.get(), acks.get(), naks.get(), dropped.get(), retransmissions.get());
  }

  private void run() {
    byte[] buf = new byte[RadiusCodec.MAX_LENGTH];
    while (!socket.isClosed()) {
      DatagramPacket in = new DatagramPacket(buf, buf.length);
      try {
        socket.receive(in);
        receive(in);
      } catch (IOException e) {
        if (!socket.isClosed()) {
          log.println("coati: RADIUS Dynamic Authorization: " + e.getMessage());
        }
      } catch (RuntimeException e) {
        log.println("coati: RADIUS Dynamic Authorization: a request failed: " + e);
      }
    }
  }

  private void receive(DatagramPacket in) throws IOException {
    InetAddress from = in.getAddress();
    String who = from.getHostAddress();
    Secret s = clients.get(from);
    if (s == null) {
      drop(
          "unknown " + who,
          "dropped a packet from "
              + who
              + ":"
              + in.getPort()
              + ", which is not in radius.dynamic_authorization.clients");
      return;
    }
    byte[] data = Arrays.copyOf(in.getData(), in.getLength());
    byte[] secret = s.bytes();
    try {
      RadiusPacket p;
      try {
        p = RadiusSigner.verifyDynamicRequest(data, secret);
      } catch (RadiusException e) {
        drop("bad " + who, "dropped a packet from client " + who + ": " + e.getMessage());
        return;
      }
      Key key = new Key(in.getSocketAddress(), p.identifier(), Hex.encode(p.authenticator()));
      long now = clock.millis();
      Answer cached = answers.get(key);
      if (cached != null && now - cached.atMillis() <= RETRANSMISSION_MILLIS) {
        retransmissions.incrementAndGet();
        socket.send(new DatagramPacket(cached.bytes(), cached.bytes().length, key.from()));
        return;
      }
      byte[] answer = answer(p, who, secret);
      if (answer != null) {
        answers.remove(key);
        answers.put(key, new Answer(answer, now));
        socket.send(new DatagramPacket(answer, answer.length, key.from()));
      }
    } finally {
      Arrays.fill(secret, (byte) 0);
    }
  }

  /** The signed ACK or NAK for a verified request, or null to stay silent. */
  private byte[] answer(RadiusPacket p, String who, byte[] secret) {
    String what = "coati: RADIUS " + Radius.codeName(p.code()) + " from " + who;
    if (p.code() == Radius.COA_REQUEST) {
      requests.incrementAndGet();
      return nak(p, Radius.ERROR_UNSUPPORTED_EXTENSION, what + ": CoA is not supported", secret);
    }
    DisconnectRequest r;
    try {
      r = DisconnectRequest.parse(p, nas, clock);
    } catch (DynamicAuthException e) {
      if (e.discard()) {
        drop("stale " + who, "dropped a Disconnect-Request from " + who + ": " + e.getMessage());
        return null;
      }
      requests.incrementAndGet();
      return nak(p, e.errorCause(), what + ": " + e.getMessage(), secret);
    }
    requests.incrementAndGet();
    what += " (" + r.describe() + ")";
    int ended;
    try {
      ended = handler.disconnect(r);
    } catch (Exception e) {
      return nak(
          p,
          Radius.ERROR_RESOURCES_UNAVAILABLE,
          what + ": could not end the sessions (" + e + ")",
          secret);
    }
    if (ended <= 0) {
      return nak(p, Radius.ERROR_SESSION_CONTEXT_NOT_FOUND, what + ": no such session", secret);
    }
    acks.incrementAndGet();
    log.println(
        what
            + ": "
            + ended
            + (ended == 1 ? " session" : " sessions")
            + " ended, "
            + Radius.codeName(Radius.DISCONNECT_ACK));
    return reply(p, Radius.DISCONNECT_ACK, List.of(), secret);
  }

  private byte[] nak(RadiusPacket p, int cause, String why, byte[] secret) {
    naks.incrementAndGet();
    int code = p.code() == Radius.COA_REQUEST ? Radius.COA_NAK : Radius.DISCONNECT_NAK;
    log.println(
        why
            + ", "
            + Radius.codeName(code)
            + " (Error-Cause "
            + cause
            + " "
            + Radius.errorCauseName(cause)
            + ")");
    return reply(p, code, List.of(RadiusAttribute.integer(Radius.ERROR_CAUSE, cause)), secret);
  }

  /** {@code attrs}, the request's Proxy-State in order, Message-Authenticator; signed. */
  private static byte[] reply(
      RadiusPacket request, int code, List<RadiusAttribute> attrs, byte[] secret) {
    List<RadiusAttribute> all = new ArrayList<>(attrs);
    for (RadiusAttribute a : request.attributes()) {
      if (a.is(0, Radius.PROXY_STATE)) {
        all.add(a);
      }
    }
    RadiusPacket answer = new RadiusPacket(code, request.identifier(), new byte[16], all);
    return RadiusSigner.response(answer, request.authenticator(), secret);
  }

  /** Counts a dropped packet; logs it unless {@code kind} was logged within the last minute. */
  private void drop(String kind, String message) {
    long now = clock.millis();
    Long last = lastLogged.get(kind);
    if (last == null || now - last >= LOG_INTERVAL_MILLIS) {
      if (lastLogged.size() >= 1024) {
        lastLogged.clear();
      }
      lastLogged.put(kind, now);
      log.println(
          "coati: RADIUS Dynamic Authorization: "
              + message
              + " (more like it are not logged for a minute)");
    }
    dropped.incrementAndGet();
  }

  @Override
  public void close() {
    socket.close();
    if (Thread.currentThread() != thread) {
      try {
        thread.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
