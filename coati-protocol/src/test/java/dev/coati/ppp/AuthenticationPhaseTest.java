package dev.coati.ppp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coati.auth.AuthRequest;
import dev.coati.auth.AuthResult;
import dev.coati.auth.LocalAuthenticator;
import dev.coati.auth.LocalUsers;
import dev.coati.crypto.ChapMd5;
import dev.coati.crypto.NtHash;
import dev.coati.ppp.AuthenticationPhase.Status;
import dev.coati.ppp.wire.AuthProtocol;
import dev.coati.ppp.wire.ChapPacket;
import dev.coati.ppp.wire.ControlPacket;
import dev.coati.ppp.wire.PapPacket;
import dev.coati.util.ByteWriter;
import dev.coati.util.Hex;
import dev.coati.util.RandomSource;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Authenticate phase against the users file, with RFC 2759 section 9.2 as known answer. */
class AuthenticationPhaseTest {
  static final byte[] AUTH_CHALLENGE = Hex.decode("5B5D7C7D7B3F2F3E3C2C602132262628");
  static final byte[] PEER_CHALLENGE = Hex.decode("21402324255E262A28295F2B3A337C7E");
  static final byte[] NT_RESPONSE = Hex.decode("82309ECD8D708B5EA08FAA3981CD83544233114A3D85D6DF");
  static final String S = "S=407A5589115FD0D6209F510FE9C04566932CDA56";

  final List<ControlPacket> sent = new ArrayList<>();
  final List<String> events = new ArrayList<>();
  final AutomatonListener listener =
      new AutomatonListener() {
        @Override
        public void send(ControlPacket p) {
          sent.add(p);
        }

        @Override
        public void thisLayerUp() {
          events.add("up");
        }

        @Override
        public void thisLayerFinished() {
          events.add("finished");
        }
      };
  final LocalAuthenticator users;

  AuthenticationPhaseTest() throws Exception {
    String nt = Hex.encode(NtHash.of("clientPass".getBytes(StandardCharsets.UTF_8)));
    users =
        new LocalAuthenticator(
            LocalUsers.parse("users.txt", "User:{plain}clientPass:" + nt + "\nbob:{plain}s3cret"));
  }

  /** Challenges are the RFC's, identifiers 0x2a. */
  static final RandomSource RFC =
      out -> {
        for (int i = 0; i < out.length; i++) {
          out[i] = out.length == 16 ? AUTH_CHALLENGE[i] : 0x2a;
        }
      };

  AuthenticationPhase phase(AuthProtocol p) {
    return new AuthenticationPhase(p, "coati", RFC, RestartConfig.DEFAULT, listener);
  }

  AuthResult verify(AuthenticationPhase phase, ControlPacket p) {
    AuthRequest req = phase.receive(p, 0).orElseThrow();
    assertEquals(Status.VERIFYING, phase.status());
    AuthResult r = users.authenticate(req).toCompletableFuture().join();
    phase.complete(r);
    return r;
  }

  static ControlPacket msChapResponse(int id, byte[] ntResponse) {
    byte[] value =
        new ByteWriter().bytes(PEER_CHALLENGE).zeros(8).bytes(ntResponse).u8(0).toByteArray();
    return ChapPacket.challenge(ChapPacket.RESPONSE, id, value, "User".getBytes())
        .toControlPacket();
  }

  @Test
  void msChapV2SucceedsWithTheRfcAuthenticatorResponse() {
    AuthenticationPhase phase = phase(AuthProtocol.MSCHAPV2);
    phase.start(0);
    ChapPacket challenge = ChapPacket.decode(sent.getFirst().encode());
    assertEquals(ChapPacket.CHALLENGE, challenge.code());
    assertEquals(Hex.encode(AUTH_CHALLENGE), Hex.encode(challenge.value()));
    assertEquals("coati", new String(challenge.name(), StandardCharsets.US_ASCII));
    // a wrong identifier is accepted for MS-CHAPv2 and answered with the response's (Q16)
    assertTrue(verify(phase, msChapResponse(0x2b, NT_RESPONSE)).success());
    ChapPacket success = ChapPacket.decode(sent.getLast().encode());
    assertEquals(ChapPacket.SUCCESS, success.code());
    assertEquals(0x2b, success.identifier());
    assertEquals(S + " M=Welcome", new String(success.message(), StandardCharsets.US_ASCII));
    assertEquals(List.of("up"), events);
    phase.receive(msChapResponse(0x2b, NT_RESPONSE), 10);
    assertEquals(success.toControlPacket(), sent.getLast(), "duplicate gets the same Success");
  }

  @Test
  void msChapV2FailureCarriesError691() {
    AuthenticationPhase phase = phase(AuthProtocol.MSCHAPV2);
    phase.start(0);
    byte[] wrong = NT_RESPONSE.clone();
    wrong[0] ^= 1;
    assertEquals(false, verify(phase, msChapResponse(0x2a, wrong)).success());
    String msg = new String(ChapPacket.decode(sent.getLast().encode()).message());
    assertEquals("E=691 R=0 C=" + Hex.encode(AUTH_CHALLENGE).toUpperCase() + " V=3", msg);
    assertEquals(Status.FAILED, phase.status());
    assertEquals(List.of("finished"), events);
  }

  @Test
  void chapMd5NeedsTheChallengeIdentifier() {
    AuthenticationPhase phase = phase(AuthProtocol.CHAP_MD5);
    phase.start(0);
    byte[] secret = "s3cret".getBytes();
    byte[] good = ChapMd5.response(0x2a, secret, AUTH_CHALLENGE);
    ControlPacket wrongId =
        ChapPacket.challenge(ChapPacket.RESPONSE, 0x2b, good, "bob".getBytes()).toControlPacket();
    assertTrue(phase.receive(wrongId, 0).isEmpty());
    ControlPacket resp =
        ChapPacket.challenge(ChapPacket.RESPONSE, 0x2a, good, "bob".getBytes()).toControlPacket();
    assertTrue(verify(phase, resp).success());
    assertEquals(ChapPacket.SUCCESS, sent.getLast().code());
  }

  @Test
  void papAcksTheRightPasswordAndNaksTheWrongOne() {
    AuthenticationPhase ok = phase(AuthProtocol.PAP);
    ok.start(0);
    assertTrue(sent.isEmpty(), "PAP: the peer speaks first");
    assertTrue(
        verify(ok, PapPacket.request(3, "bob".getBytes(), "s3cret".getBytes()).toControlPacket())
            .success());
    assertEquals(PapPacket.AUTHENTICATE_ACK, sent.getLast().code());
    assertEquals(3, sent.getLast().identifier());
    AuthenticationPhase bad = phase(AuthProtocol.PAP);
    bad.start(0);
    verify(bad, PapPacket.request(4, "bob".getBytes(), "nope".getBytes()).toControlPacket());
    assertEquals(PapPacket.AUTHENTICATE_NAK, sent.getLast().code());
  }

  @Test
  void challengeIsRetransmittedThenThePhaseFails() {
    AuthenticationPhase phase = phase(AuthProtocol.MSCHAPV2);
    phase.start(0);
    while (phase.deadline() != Long.MAX_VALUE) {
      phase.tick(phase.deadline());
    }
    assertEquals(RestartConfig.DEFAULT.maxConfigure(), sent.size());
    assertEquals(Status.FAILED, phase.status());
    assertEquals(List.of("finished"), events);
    assertTrue(phase.receive(new ControlPacket(2, 1, new byte[] {5}), 0).isEmpty());
  }
}
