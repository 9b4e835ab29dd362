package dev.coati.server.radius;

import dev.coati.radius.Radius;
import dev.coati.radius.RadiusAttribute;
import dev.coati.radius.RadiusException;
import dev.coati.radius.RadiusPacket;
import dev.coati.radius.RadiusSigner;
import java.io.IOException;
import java.io.PrintStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

/**
 * A blocking RADIUS client over UDP (RFC 2865, 2866). Each request goes to the servers in order:
 * {@code 1 + retries} transmissions of the same packet (same identifier and authenticator, RFC 2865
 * section 2.5) per server, {@code timeout} each, then the next server. Answers that do not verify
 * (identifier, Response Authenticator, Message-Authenticator) are dropped and logged. A server that
 * does not answer is logged once per request with host:port, never with its secret, and is tried
 * last for {@link #DEAD_SECONDS} (authentication and accounting apart), so one dead server does not
 * delay every login by its timeouts; when all are dead they are tried in order as usual.
 */
public final class RadiusClient {
  private final List<RadiusEndpoint> servers;
  private final Duration timeout;
  private final int retries;
  private final boolean requireMessageAuthenticator;
  private final PrintStream log;
  private final SecureRandom random = new SecureRandom();
  private final AtomicInteger nextId = new AtomicInteger(new SecureRandom().nextInt(256));
  private final AtomicLongArray deadUntil;
  private final LongSupplier nanoClock;

  /** How long a server that did not answer is tried after the others. */
  public static final long DEAD_SECONDS = 30;

  /** What a server answered, and which one. */
  public record Answer(RadiusPacket packet, RadiusEndpoint server, String serverName) {}

  /** No server answered in time. */
  public static final class NoAnswerException extends IOException {
    NoAnswerException(String message) {
      super(message);
    }
  }

  public RadiusClient(
      List<RadiusEndpoint> servers,
      Duration timeout,
      int retries,
      boolean requireMessageAuthenticator,
      PrintStream log) {
    this(servers, timeout, retries, requireMessageAuthenticator, log, System::nanoTime);
  }

  /** With {@code nanoClock} for the dead-server memory (tests). */
  RadiusClient(
      List<RadiusEndpoint> servers,
      Duration timeout,
      int retries,
      boolean requireMessageAuthenticator,
      PrintStream log,
      LongSupplier nanoClock) {
    if (servers.isEmpty()) {
      throw new IllegalArgumentException("at least one RADIUS server");
    }
    this.servers = List.copyOf(servers);
    this.timeout = timeout;
    this.retries = retries;
    this.requireMessageAuthenticator = requireMessageAuthenticator;
    this.log = log;
    this.nanoClock = nanoClock;
    this.deadUntil = new AtomicLongArray(2 * servers.size());
  }

  /** Server indexes to try: those not dead first, in order, then the dead ones, in order. */
  private List<Integer> order(boolean acct) {
    long now = nanoClock.getAsLong();
    List<Integer> alive = new ArrayList<>();
    List<Integer> dead = new ArrayList<>();
    for (int i = 0; i < servers.size(); i++) {
      long until = deadUntil.get(slot(i, acct));
      (until != 0 && now - until < 0 ? dead : alive).add(i);
    }
    alive.addAll(dead);
    return alive;
  }

  private int slot(int server, boolean acct) {
    return server * 2 + (acct ? 1 : 0);
  }

  public List<RadiusEndpoint> servers() {
    return servers;
  }

  /**
   * Sends an Access-Request or Accounting-Request with {@code attributes} (User-Password in plain
   * text: it is hidden per server) and returns the first verified answer.
   */
  public Answer exchange(int code, List<RadiusAttribute> attributes) throws NoAnswerException {
    boolean acct = code == Radius.ACCOUNTING_REQUEST;
    List<Integer> order = order(acct);
    for (int k = 0; k < order.size(); k++) {
      int i = order.get(k);
      RadiusEndpoint s = servers.get(i);
      int id = nextId.getAndIncrement() & 0xff;
      byte[] auth = new byte[RadiusPacket.AUTHENTICATOR_LENGTH];
      random.nextBytes(auth);
      RadiusPacket p = new RadiusPacket(code, id, auth, attributes);
      byte[] secret = s.secret().bytes();
      byte[] wire =
          acct ? RadiusSigner.accountingRequest(p, secret) : RadiusSigner.accessRequest(p, secret);
      String why;
      try {
        RadiusPacket answer = send(s, acct, wire, secret);
        if (answer != null) {
          deadUntil.set(slot(i, acct), 0);
          return new Answer(answer, s, s.name(acct));
        }
        why =
            "did not answer "
                + Radius.codeName(code)
                + " ("
                + (retries + 1)
                + (retries == 0 ? " try, " : " tries, ")
                + timeout.toMillis()
                + " ms each)";
      } catch (PortUnreachableException e) {
        why = "refused " + Radius.codeName(code) + " (ICMP port unreachable: nothing listens)";
      } catch (IOException e) {
        why = "unreachable: " + e.getMessage();
      } finally {
        Arrays.fill(secret, (byte) 0);
      }
      boolean wasDead = deadUntil.getAndSet(slot(i, acct), dead()) != 0;
      String next =
          k + 1 < order.size() ? "; trying " + servers.get(order.get(k + 1)).name(acct) : "";
      log.println(
          "coati: RADIUS server "
              + s.name(acct)
              + " "
              + why
              + (wasDead || servers.size() == 1 ? "" : "; tried last for " + DEAD_SECONDS + " s")
              + next);
    }
    throw new NoAnswerException("no RADIUS server answered (" + servers.size() + " configured)");
  }

  /** A dead mark that expires in {@link #DEAD_SECONDS} (never 0: 0 means alive). */
  private long dead() {
    long until = nanoClock.getAsLong() + DEAD_SECONDS * 1_000_000_000L;
    return until == 0 ? 1 : until;
  }

  /** The verified answer, or null after the last timeout. */
  private RadiusPacket send(RadiusEndpoint s, boolean acct, byte[] wire, byte[] secret)
      throws IOException {
    try (DatagramSocket socket = new DatagramSocket()) {
      socket.connect(s.address(acct));
      byte[] buf = new byte[4096];
      for (int attempt = 0; attempt <= retries; attempt++) {
        socket.send(new DatagramPacket(wire, wire.length));
        long deadline = System.nanoTime() + timeout.toNanos();
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
          socket.setSoTimeout((int) Math.max(1, left / 1_000_000));
          DatagramPacket in = new DatagramPacket(buf, buf.length);
          try {
            socket.receive(in);
          } catch (SocketTimeoutException e) {
            break;
          }
          byte[] data = Arrays.copyOf(buf, in.getLength());
          try {
            return RadiusSigner.verifyResponse(data, wire, secret, requireMessageAuthenticator);
          } catch (RadiusException e) {
            log.println("coati: RADIUS " + s.name(acct) + ": dropped an answer: " + e.getMessage());
          }
        }
      }
      return null;
    }
  }
}
