package dev.coati.ppp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coati.auth.AuthRequest;
import dev.coati.auth.AuthResult;
import dev.coati.ppp.wire.AuthProtocol;
import dev.coati.ppp.wire.ControlPacket;
import dev.coati.ppp.wire.PppFrame;
import dev.coati.ppp.wire.PppOption;
import dev.coati.ppp.wire.PppProtocol;
import dev.coati.util.Hex;
import dev.coati.util.Ipv4Address;
import dev.coati.util.RandomSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The server around a {@link PppSession} in tests, and the scripted client: frames the session
 * sends are queued in {@link #out}, the client's frames go in through {@link #in}.
 */
final class SessionHost implements PppSession.Host {
  static final Ipv4Address OURS = Ipv4Address.parse("10.9.0.1");
  static final Ipv4Address PEER = Ipv4Address.parse("10.9.0.23");
  static final IpcpGrant GRANT =
      new IpcpGrant(
          OURS,
          PEER,
          List.of(Ipv4Address.parse("192.0.2.53"), Ipv4Address.parse("192.0.2.54")),
          List.of());
  static final RestartConfig RESTART = new RestartConfig(3000, 2, 4, 3);

  /** Random bytes 1, 2, 3, ...: our magic is 0x05060708, the CHAP identifier 9, its value 10-25. */
  static RandomSource counting() {
    int[] next = {1};
    return b -> {
      for (int i = 0; i < b.length; i++) {
        b[i] = (byte) next[0]++;
      }
    };
  }

  static PppSession.Config config(long echoInterval, int ourMru, AuthProtocol... auth) {
    return new PppSession.Config(List.of(auth), "coati", RESTART, echoInterval, 3, ourMru);
  }

  final Deque<byte[]> out = new ArrayDeque<>();
  final List<AuthRequest> authRequests = new ArrayList<>();
  final List<AuthResult> leases = new ArrayList<>();
  final List<byte[]> ip = new ArrayList<>();
  final List<String> events = new ArrayList<>();
  Function<AuthResult, Optional<IpcpGrant>> leaser = r -> Optional.of(GRANT);
  final PppSession session;
  long now;

  SessionHost(PppSession.Config config) {
    session = new PppSession(config, counting(), this);
  }

  @Override
  public void transmit(byte[] frame, int off, int len) {
    out.add(Arrays.copyOfRange(frame, off, off + len));
  }

  @Override
  public void authenticate(AuthRequest request) {
    authRequests.add(request);
  }

  @Override
  public Optional<IpcpGrant> lease(AuthResult user) {
    leases.add(user);
    return leaser.apply(user);
  }

  @Override
  public void ipPacket(byte[] buf, int off, int len) {
    ip.add(Arrays.copyOfRange(buf, off, off + len));
  }

  @Override
  public void up(Ipv4Address peerAddress, String user) {
    events.add("up " + peerAddress + " " + user);
  }

  @Override
  public void down(String reason) {
    events.add("down " + reason);
  }

  /** The client sends a frame given in hex (spaces allowed). */
  void in(String hex) {
    byte[] b = Hex.decode(hex.replace(" ", ""));
    byte[] padded = new byte[b.length + 6];
    System.arraycopy(b, 0, padded, 3, b.length);
    session.receive(padded, 3, b.length, now);
  }

  /** The client sends a control packet in a full frame. */
  void in(PppProtocol protocol, ControlPacket p) {
    byte[] f = p.toFrame(protocol).encode();
    session.receive(f, 0, f.length, now);
  }

  void in(PppProtocol protocol, int code, int id, PppOption... options) {
    in(protocol, ControlPacket.withOptions(code, id, List.of(options)));
  }

  /** Asserts the next frame the session sent, in hex (spaces ignored, any case). */
  void expect(String hex) {
    assertTrue(!out.isEmpty(), "nothing sent, expected " + hex);
    assertEquals(hex.replace(" ", "").toLowerCase(), Hex.encode(out.poll()).toLowerCase());
  }

  /** The next frame the session sent, which must be of {@code protocol}. */
  ControlPacket next(PppProtocol protocol) {
    assertTrue(!out.isEmpty(), "nothing sent, expected " + protocol);
    PppFrame f = PppFrame.decode(out.poll());
    assertEquals(protocol, f.protocol());
    return ControlPacket.decode(f.information());
  }

  void expectNothing() {
    assertTrue(out.isEmpty(), () -> "unexpected " + Hex.encode(out.peek()));
  }

  /** The client acks a Configure-Request the session sent. */
  void ack(PppProtocol protocol, ControlPacket request) {
    assertEquals(ControlPacket.CONFIGURE_REQUEST, request.code());
    in(
        protocol,
        new ControlPacket(ControlPacket.CONFIGURE_ACK, request.identifier(), request.data()));
  }

  void tick(long at) {
    now = at;
    session.tick(at);
  }
}
