package dev.coati.ppp;

import dev.coati.auth.AuthRequest;
import dev.coati.auth.AuthResult;
import dev.coati.ppp.wire.AuthProtocol;
import dev.coati.ppp.wire.ControlPacket;
import dev.coati.ppp.wire.PapPacket;
import dev.coati.ppp.wire.PppProtocol;
import dev.coati.util.RandomSource;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The Authenticate phase of a {@link PppSession}: an {@link AuthenticationPhase} for the protocol
 * LCP negotiated, the PAP request that came before LCP was Opened (kept, the latest only, see
 * {@link PppSession}), and an overall limit of twice the restart budget (timeout × Max-Configure)
 * from LCP Opened to a verdict, which also bounds a verifier that never answers.
 */
final class SessionAuth {
  private final String ourName;
  private final RandomSource random;
  private final RestartConfig restart;
  private final BiConsumer<PppProtocol, ControlPacket> out;
  private final Consumer<AuthRequest> verify;
  private final Consumer<AuthResult> succeeded;
  private final Consumer<String> failed;
  private AuthenticationPhase phase;
  private AuthResult result;
  private long limit = Transmitter.NO_DEADLINE;
  private ControlPacket earlyPap;

  SessionAuth(
      String ourName,
      RandomSource random,
      RestartConfig restart,
      BiConsumer<PppProtocol, ControlPacket> out,
      Consumer<AuthRequest> verify,
      Consumer<AuthResult> succeeded,
      Consumer<String> failed) {
    this.ourName = ourName;
    this.random = random;
    this.restart = restart;
    this.out = out;
    this.verify = verify;
    this.succeeded = succeeded;
    this.failed = failed;
  }

  boolean started() {
    return phase != null;
  }

  /** LCP is Opened with {@code protocol} negotiated: Challenge (CHAP) or the kept PAP request. */
  void start(AuthProtocol protocol, long now) {
    phase = new AuthenticationPhase(protocol, ourName, random, restart, new Listener());
    limit = now + 2 * restart.restartMillis() * restart.maxConfigure();
    phase.start(now);
    ControlPacket pap = earlyPap;
    earlyPap = null;
    if (pap != null) {
      packet(PppProtocol.PAP, pap, now);
    }
  }

  /** A PAP or CHAP packet; before {@link #start} only a PAP Authenticate-Request is kept. */
  void packet(PppProtocol protocol, ControlPacket c, long now) {
    if (phase == null) {
      if (protocol.equals(PppProtocol.PAP) && c.code() == PapPacket.AUTHENTICATE_REQUEST) {
        earlyPap = c;
      }
    } else if (protocol.equals(phase.pppProtocol())) {
      phase.receive(c, now).ifPresent(verify);
    }
  }

  /** The verifier's answer; ignored unless a request is being verified. */
  void verdict(AuthResult r) {
    if (phase != null && phase.status() == AuthenticationPhase.Status.VERIFYING) {
      result = r;
      phase.complete(r);
    }
  }

  /** The protocol LCP negotiated, once started. */
  boolean runs(PppProtocol protocol) {
    return phase != null && protocol.equals(phase.pppProtocol());
  }

  long deadline() {
    return phase == null ? limit : Math.min(limit, phase.deadline());
  }

  void tick(long now) {
    if (phase != null) {
      phase.tick(now);
    }
    if (now >= limit) {
      limit = Transmitter.NO_DEADLINE;
      failed.accept("authentication timeout");
    }
  }

  private final class Listener implements AutomatonListener {
    @Override
    public void send(ControlPacket packet) {
      out.accept(phase.pppProtocol(), packet);
    }

    @Override
    public void thisLayerUp() {
      limit = Transmitter.NO_DEADLINE;
      succeeded.accept(result);
    }

    @Override
    public void thisLayerFinished() {
      limit = Transmitter.NO_DEADLINE;
      failed.accept(
          result == null ? "authentication timeout" : "authentication failed: " + result.reason());
    }
  }
}
