package dev.coati.ppp;

import dev.coati.auth.AuthRequest;
import dev.coati.auth.AuthResult;
import dev.coati.crypto.MsChapV2;
import dev.coati.ppp.wire.AuthProtocol;
import dev.coati.ppp.wire.ChapPacket;
import dev.coati.ppp.wire.ControlPacket;
import dev.coati.ppp.wire.PapPacket;
import dev.coati.ppp.wire.PppProtocol;
import dev.coati.ppp.wire.PppProtocolException;
import dev.coati.util.ByteReader;
import dev.coati.util.RandomSource;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The authenticator side of PPP's Authenticate phase (RFC 1661 section 3.5) for the protocol LCP
 * negotiated: PAP (RFC 1334), CHAP-MD5 (RFC 1994) or MS-CHAPv2 (RFC 2759). It turns the peer's
 * packet into an {@link AuthRequest}; the owner runs the {@code Authenticator} and hands the {@link
 * AuthResult} back through {@link #complete} on its own thread, so this class stays free of
 * threads. The Challenge is retransmitted on the restart timer; a retransmitted request after the
 * verdict gets the same answer again. An MS-CHAPv2 Response with a wrong identifier is accepted
 * (SoftEther Q16), its Failure reads {@code E=691 R=0 C=... V=3}.
 */
public final class AuthenticationPhase {
  /** MS-CHAPv2 Response value: peer challenge, 8 reserved, NT-Response, flags (RFC 2759 §4). */
  static final int MSCHAPV2_RESPONSE_LENGTH = 49;

  /** State of the phase. */
  public enum Status {
    WAITING,
    VERIFYING,
    SUCCEEDED,
    FAILED
  }

  private final AuthProtocol protocol;
  private final byte[] ourName;
  private final RandomSource random;
  private final RestartConfig config;
  private final AutomatonListener listener;
  private Status status = Status.WAITING;
  private byte[] challenge;
  private int identifier;
  private int retransmits;
  private long deadline = Long.MAX_VALUE;
  private ControlPacket verdict;

  public AuthenticationPhase(
      AuthProtocol protocol,
      String ourName,
      RandomSource random,
      RestartConfig config,
      AutomatonListener listener) {
    this.protocol = protocol;
    this.ourName = ourName.getBytes(StandardCharsets.UTF_8);
    this.random = random;
    this.config = config;
    this.listener = listener;
  }

  public PppProtocol pppProtocol() {
    return protocol.protocol();
  }

  public Status status() {
    return status;
  }

  public long deadline() {
    return deadline;
  }

  /** LCP is Opened: CHAP sends its Challenge; PAP waits for the peer's request. */
  public void start(long now) {
    if (protocol == AuthProtocol.PAP) {
      deadline = now + config.restartMillis() * config.maxConfigure();
      return;
    }
    identifier = random.bytes(1)[0] & 0xff;
    challenge = random.bytes(MsChapV2.CHALLENGE_LENGTH);
    retransmits = config.maxConfigure();
    sendChallenge(now);
  }

  /** The restart timer: retransmit the Challenge or give up (peer silent). */
  public void tick(long now) {
    if (now < deadline || status != Status.WAITING) {
      return;
    }
    if (protocol != AuthProtocol.PAP && retransmits > 0) {
      sendChallenge(now);
      return;
    }
    deadline = Long.MAX_VALUE;
    status = Status.FAILED;
    listener.thisLayerFinished();
  }

  /**
   * A PAP or CHAP packet arrived. Returns the request to verify; empty when there is nothing to
   * verify (duplicate, wrong code, malformed).
   */
  public Optional<AuthRequest> receive(ControlPacket packet, long now) {
    try {
      if (status == Status.SUCCEEDED || status == Status.FAILED) {
        resendVerdict(packet);
        return Optional.empty();
      }
      if (status != Status.WAITING) {
        return Optional.empty();
      }
      Optional<AuthRequest> req =
          protocol == AuthProtocol.PAP ? papRequest(packet) : chapResponse(packet);
      req.ifPresent(
          r -> {
            status = Status.VERIFYING;
            deadline = Long.MAX_VALUE;
          });
      return req;
    } catch (PppProtocolException malformed) {
      return Optional.empty();
    }
  }

  private Optional<AuthRequest> papRequest(ControlPacket p) {
    PapPacket pap = PapPacket.decode(p.encode());
    if (pap.code() != PapPacket.AUTHENTICATE_REQUEST) {
      return Optional.empty();
    }
    identifier = pap.identifier();
    return Optional.of(AuthRequest.Plain.fromWire(pap.peerId(), pap.password()));
  }

  private Optional<AuthRequest> chapResponse(ControlPacket p) {
    ChapPacket chap = ChapPacket.decode(p.encode());
    boolean idOk = chap.identifier() == identifier || protocol == AuthProtocol.MSCHAPV2;
    if (chap.code() != ChapPacket.RESPONSE || !idOk) {
      return Optional.empty();
    }
    identifier = chap.identifier();
    String user = new String(chap.name(), StandardCharsets.UTF_8);
    byte[] v = chap.value();
    if (protocol == AuthProtocol.CHAP_MD5) {
      return Optional.of(new AuthRequest.ChapMd5(user, identifier, challenge, v));
    }
    if (v.length != MSCHAPV2_RESPONSE_LENGTH) {
      throw new PppProtocolException("MS-CHAPv2 response of " + v.length + " octets");
    }
    ByteReader r = new ByteReader(v);
    byte[] peerChallenge = r.bytes(MsChapV2.CHALLENGE_LENGTH);
    r.skip(8);
    byte[] ntResponse = r.bytes(MsChapV2.NT_RESPONSE_LENGTH);
    return Optional.of(new AuthRequest.MsChapV2(user, challenge, peerChallenge, ntResponse));
  }

  /** The owner's verdict on the request {@link #receive} returned; sends Success or Failure. */
  public void complete(AuthResult result) {
    if (status != Status.VERIFYING) {
      throw new IllegalStateException("no request being verified: " + status);
    }
    verdict = verdictPacket(result);
    status = result.success() ? Status.SUCCEEDED : Status.FAILED;
    listener.send(verdict);
    if (result.success()) {
      listener.thisLayerUp();
    } else {
      listener.thisLayerFinished();
    }
  }

  private ControlPacket verdictPacket(AuthResult result) {
    boolean ok = result.success();
    if (protocol == AuthProtocol.PAP) {
      byte[] msg = (ok ? "Welcome" : "Authentication failed").getBytes(StandardCharsets.UTF_8);
      return PapPacket.reply(ok, identifier, msg).toControlPacket();
    }
    String msg;
    if (protocol == AuthProtocol.CHAP_MD5) {
      msg = ok ? "Welcome" : "Authentication failed";
    } else if (ok) {
      msg = result.authenticatorResponse().orElseThrow() + " M=Welcome";
    } else {
      int code =
          result.errorCode() != 0 ? result.errorCode() : AuthResult.ERROR_AUTHENTICATION_FAILURE;
      msg = "E=" + code + " R=0 C=" + HexFormat.of().withUpperCase().formatHex(challenge) + " V=3";
    }
    return ChapPacket.result(ok, identifier, msg.getBytes(StandardCharsets.UTF_8))
        .toControlPacket();
  }

  private void resendVerdict(ControlPacket p) {
    int request =
        protocol == AuthProtocol.PAP ? PapPacket.AUTHENTICATE_REQUEST : ChapPacket.RESPONSE;
    if (p.code() == request && verdict != null) {
      listener.send(verdict);
    }
  }

  private void sendChallenge(long now) {
    retransmits--;
    deadline = now + config.restartMillis();
    listener.send(
        ChapPacket.challenge(ChapPacket.CHALLENGE, identifier, challenge, ourName)
            .toControlPacket());
  }
}
