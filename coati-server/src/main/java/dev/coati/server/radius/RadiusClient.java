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
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A blocking RADIUS client over UDP (RFC 2865, 2866). Each request goes to the servers in order:
 * {@code 1 + retries} transmissions of the same packet (same identifier and authenticator, RFC 2865
 * section 2.5) per server, {@code timeout} each, then the next server. Answers that do not verify
 * (identifier, Response Authenticator, Message-Authenticator) are dropped and logged. A server that
 * does not answer is logged once per request with host:port, never with its secret.
 */
public final class RadiusClient {
  private final List<RadiusEndpoint> servers;
  private final Duration timeout;
  private final int retries;
  private final boolean requireMessageAuthenticator;
  private final PrintStream log;
  private final SecureRandom random = new SecureRandom();
  private final AtomicInteger nextId = new AtomicInteger(new SecureRandom().nextInt(256));

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
    if (servers.isEmpty()) {
      throw new IllegalArgumentException("at least one RADIUS server");
    }
    this.servers = List.copyOf(servers);
    this.timeout = timeout;
    this.retries = retries;
    this.requireMessageAuthenticator = requireMessageAuthenticator;
    this.log = log;
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
    for (int i = 0; i < servers.size(); i++) {
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
          return new Answer(answer, s, s.name(acct));
        }
        why =
            "did not answer "
                + Radius.codeName(code)
                + " ("
                + (retries + 1)
                + " tries, "
                + timeout.toMillis()
                + " ms each)";
      } catch (PortUnreachableException e) {
        why = "refused " + Radius.codeName(code) + " (ICMP port unreachable: nothing listens)";
      } catch (IOException e) {
        why = "unreachable: " + e.getMessage();
      } finally {
        java.util.Arrays.fill(secret, (byte) 0);
      }
      String next = i + 1 < servers.size() ? "; trying " + servers.get(i + 1).name(acct) : "";
      log.println("coati: RADIUS server " + s.name(acct) + " " + why + next);
    }
    throw new NoAnswerException("no RADIUS server answered (" + servers.size() + " configured)");
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
          byte[] data = java.util.Arrays.copyOf(buf, in.getLength());
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
