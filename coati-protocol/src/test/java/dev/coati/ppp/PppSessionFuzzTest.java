package dev.coati.ppp;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.coati.auth.AuthRequest;
import dev.coati.auth.AuthResult;
import dev.coati.ppp.wire.AuthProtocol;
import dev.coati.ppp.wire.PppFrame;
import dev.coati.util.ByteReader;

/**
 * Jazzer target: what an L2TP client sends into one PPP session: LCP and IPCP through the option
 * automaton, PAP, CHAP-MD5 and MS-CHAPv2 through the authentication phase, IP and unknown
 * protocols. The input is a list of records {@code [u16 length][frame]}; a record of length 0 lets
 * 3 s pass (restart timers, echo). Authentication requests get a verdict at once: failure for users
 * starting with "x", else success. {@link PppSession#receive} never throws, and every frame the
 * session sends is a well-formed PPP frame within the MRU it may use.
 */
class PppSessionFuzzTest {
  @FuzzTest
  void receive(byte[] input) {
    SessionHost h =
        new SessionHost(
            SessionHost.config(
                5000, 1400, AuthProtocol.MSCHAPV2, AuthProtocol.CHAP_MD5, AuthProtocol.PAP));
    h.session.start(0);
    ByteReader r = new ByteReader(input);
    int answered = 0;
    for (int records = 0; r.remaining() >= 2 && records < 64; records++) {
      int len = Math.min(r.u16(), r.remaining());
      if (len == 0) {
        h.tick(h.now + 3000);
      } else {
        int off = r.position();
        r.skip(len);
        h.session.receive(input, off, len, h.now);
      }
      while (answered < h.authRequests.size()) {
        AuthRequest a = h.authRequests.get(answered++);
        AuthResult verdict =
            a.user().startsWith("x")
                ? AuthResult.failure(a.user(), "fuzz", AuthResult.ERROR_AUTHENTICATION_FAILURE)
                : AuthResult.success(a.user(), null, 0, "S=" + "0".repeat(40));
        h.session.authenticated(verdict, h.now);
      }
      while (!h.out.isEmpty()) {
        byte[] sent = h.out.poll();
        assertTrue(sent.length <= 1500 + 4, "frame of " + sent.length);
        PppFrame.decode(sent);
      }
    }
  }
}
