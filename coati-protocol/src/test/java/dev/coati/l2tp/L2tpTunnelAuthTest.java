package dev.coati.l2tp;

import static dev.coati.l2tp.L2tpTunnelTest.LAC_TUNNEL;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coati.l2tp.L2tpTunnelTest.Lac;
import dev.coati.l2tp.L2tpTunnelTest.Recorder;
import dev.coati.l2tp.wire.Avp;
import dev.coati.l2tp.wire.AvpType;
import dev.coati.l2tp.wire.Avps;
import dev.coati.l2tp.wire.ControlMessage;
import dev.coati.l2tp.wire.HiddenAvp;
import dev.coati.l2tp.wire.MessageType;
import dev.coati.l2tp.wire.ResultCode;
import dev.coati.util.Hex;
import dev.coati.util.RandomSource;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Tunnel authentication (RFC 2661 section 5.1.1) and hidden AVPs (section 4.3) through {@link
 * L2tpTunnel}, against the scripted LAC of {@link L2tpTunnelTest}. Expected responses are computed
 * here with the JDK's MessageDigest, not with {@link TunnelSecurity#challengeResponse}.
 */
class L2tpTunnelAuthTest {
  static final byte[] SECRET = "coati-secret".getBytes(StandardCharsets.US_ASCII);
  static final byte[] LAC_CHALLENGE = Hex.decode("0102030405060708090a0b0c0d0e0f10");
  static final byte[] LAC_RV = Hex.decode("a0a1a2a3a4a5a6a7a8a9aaabacadaeaf");

  static byte[] md5(int chapId, byte[] secret, byte[] challenge) throws Exception {
    MessageDigest md = MessageDigest.getInstance("MD5");
    md.update((byte) chapId);
    md.update(secret);
    return md.digest(challenge);
  }

  static TunnelSecurity security(boolean require, boolean hide) {
    return TunnelSecurity.withSecret(SECRET, require, hide, RandomSource.deterministic(7));
  }

  static Lac lac(Recorder r, TunnelSecurity sec) {
    return new Lac(new L2tpTunnel(77, "coati", r, 60_000, ControlChannel.Config.DEFAULT, sec));
  }

  static ControlMessage sccrq(Avp... extra) {
    List<Avp> avps = new ArrayList<>(L2tpTunnelTest.sccrq().avps().subList(1, 7));
    avps.addAll(List.of(extra));
    return ControlMessage.of(0, 0, MessageType.SCCRQ, avps);
  }

  static ControlMessage scccn(Avp... avps) {
    return ControlMessage.of(77, 0, MessageType.SCCCN, List.of(avps));
  }

  /** Sends the SCCRQ, returns the SCCRP (revealed with {@link #SECRET} when hidden). */
  static ControlMessage request(Lac lac, ControlMessage sccrq) {
    lac.send(sccrq);
    lac.channel.peerTunnelId(77);
    ControlMessage sccrp = lac.last();
    assertEquals(MessageType.SCCRP, sccrp.messageType().orElseThrow());
    return sccrp.reveal(SECRET);
  }

  static byte[] value(ControlMessage m, AvpType t) {
    return m.find(t).orElseThrow(() -> new AssertionError("no " + t + " in " + m)).value();
  }

  static void assertRefused(Lac lac, Recorder r) {
    ControlMessage stop = lac.last();
    assertEquals(MessageType.STOP_CCN, stop.messageType().orElseThrow());
    assertFalse(stop.hasHidden(), "StopCCN is sent plain");
    assertEquals(ResultCode.NOT_AUTHORIZED, stop.resultCode().orElseThrow().result());
    assertEquals(LAC_TUNNEL, stop.tunnelId());
    assertEquals(L2tpTunnel.State.CLOSED, lac.lns.state());
    assertTrue(r.events.getLast().startsWith("tunnel down: refused"), r.events.toString());
  }

  @Test
  void challengeResponse_knownAnswer() throws Exception {
    // python3: hashlib.md5(bytes([2]) + b"coati-secret" + bytes(range(1, 17))).hexdigest()
    byte[] sccrp = TunnelSecurity.challengeResponse(MessageType.SCCRP, SECRET, LAC_CHALLENGE);
    assertArrayEquals(Hex.decode("5cf1824091829ba73353baed43b5c6c2"), sccrp);
    assertArrayEquals(md5(2, SECRET, LAC_CHALLENGE), sccrp);
    byte[] scccn = TunnelSecurity.challengeResponse(MessageType.SCCCN, SECRET, LAC_CHALLENGE);
    assertArrayEquals(Hex.decode("1ad0de69d7876db0a7b02907eb10003d"), scccn);
  }

  @Test
  void securityOptions_areChecked() {
    RandomSource r = RandomSource.deterministic(1);
    assertThrows(
        IllegalArgumentException.class, () -> new TunnelSecurity(Optional.empty(), true, false, r));
    assertThrows(
        IllegalArgumentException.class, () -> new TunnelSecurity(Optional.empty(), false, true, r));
    assertThrows(
        IllegalArgumentException.class,
        () -> TunnelSecurity.withSecret(new byte[0], false, false, r));
    byte[] s = SECRET.clone();
    TunnelSecurity sec = TunnelSecurity.withSecret(s, false, false, r);
    s[0] ^= 1;
    sec.secret().orElseThrow()[1] ^= 1;
    assertArrayEquals(SECRET, sec.secret().orElseThrow(), "copied in and out");
  }

  @Test
  void secretNotRequired_answersAPeerChallenge_elseBehavesAsWithout() throws Exception {
    for (boolean challenged : new boolean[] {true, false}) {
      Lac lac = lac(new Recorder(), security(false, false));
      ControlMessage sccrp =
          request(lac, challenged ? sccrq(Avps.challenge(LAC_CHALLENGE)) : sccrq());
      assertFalse(lac.last().hasHidden(), "hiding is off");
      Optional<byte[]> response = sccrp.find(AvpType.CHALLENGE_RESPONSE).map(Avp::value);
      assertEquals(challenged, response.isPresent());
      if (challenged) {
        assertArrayEquals(md5(2, SECRET, LAC_CHALLENGE), response.get());
      }
      assertTrue(sccrp.find(AvpType.CHALLENGE).isEmpty(), "no challenge of ours");
      lac.send(scccn());
      assertEquals(L2tpTunnel.State.ESTABLISHED, lac.lns.state());
    }
  }

  @Test
  void requiredAuthentication_mutual_rightResponse_establishes_andCallsWork() throws Exception {
    Recorder r = new Recorder();
    Lac lac = lac(r, security(true, false));
    ControlMessage sccrp = request(lac, sccrq(Avps.challenge(LAC_CHALLENGE)));
    assertArrayEquals(md5(2, SECRET, LAC_CHALLENGE), value(sccrp, AvpType.CHALLENGE_RESPONSE));
    byte[] ours = value(sccrp, AvpType.CHALLENGE);
    assertEquals(TunnelSecurity.CHALLENGE_LENGTH, ours.length);
    lac.send(scccn(Avps.challengeResponse(md5(3, SECRET, ours))));
    assertEquals(L2tpTunnel.State.ESTABLISHED, lac.lns.state());
    int s = L2tpTunnelTest.call(lac, 4);
    assertEquals(List.of("up " + s + "/4"), r.events);
  }

  @Test
  void requiredAuthentication_wrongResponse_stopCcnResult4() throws Exception {
    Recorder r = new Recorder();
    Lac lac = lac(r, security(true, false));
    byte[] ours = value(request(lac, sccrq()), AvpType.CHALLENGE);
    byte[] wrongId = md5(2, SECRET, ours); // the SCCRP's CHAP ID instead of the SCCCN's
    lac.send(scccn(Avps.challengeResponse(wrongId)));
    assertRefused(lac, r);
    assertTrue(lac.last().resultCode().orElseThrow().message().contains("wrong"));
  }

  @Test
  void requiredAuthentication_wrongSecret_orNoResponse_stopCcnResult4() throws Exception {
    Recorder r = new Recorder();
    Lac lac = lac(r, security(true, false));
    byte[] ours = value(request(lac, sccrq()), AvpType.CHALLENGE);
    lac.send(scccn(Avps.challengeResponse(md5(3, "other".getBytes(), ours))));
    assertRefused(lac, r);

    Recorder r2 = new Recorder();
    Lac silent = lac(r2, security(true, false));
    request(silent, sccrq());
    silent.send(scccn());
    assertRefused(silent, r2);
    assertTrue(silent.last().resultCode().orElseThrow().message().contains("no Challenge Resp"));
  }

  @Test
  void challengeButNoSecret_stopCcnResult4() {
    Recorder r = new Recorder();
    Lac lac = new Lac(new L2tpTunnel(77, "coati", r, 0, ControlChannel.Config.DEFAULT));
    lac.send(sccrq(Avps.challenge(LAC_CHALLENGE)));
    assertRefused(lac, r);
  }

  @Test
  void hiding_whatWeSend_isHiddenBehindARandomVector_andReveals() throws Exception {
    Recorder r = new Recorder();
    Lac lac = lac(r, security(true, true));
    lac.send(sccrq(Avps.challenge(LAC_CHALLENGE)));
    lac.channel.peerTunnelId(77);
    ControlMessage wire = lac.last();
    List<Avp> avps = wire.avps();
    assertTrue(avps.get(1).isIetf(AvpType.RANDOM_VECTOR), "Random Vector right after the type");
    for (Avp a : avps) {
      assertEquals(a.avpType().mayBeHidden(), a.hidden(), a.toString());
    }
    assertTrue(wire.find(AvpType.HOST_NAME).isPresent(), "Host Name MUST NOT be hidden");
    assertTrue(wire.assignedTunnelId().isEmpty(), "Assigned Tunnel ID is hidden");
    ControlMessage sccrp = wire.reveal(SECRET);
    assertEquals(77, sccrp.assignedTunnelId().orElseThrow());
    assertArrayEquals(md5(2, SECRET, LAC_CHALLENGE), value(sccrp, AvpType.CHALLENGE_RESPONSE));
    lac.send(scccn(Avps.challengeResponse(md5(3, SECRET, value(sccrp, AvpType.CHALLENGE)))));
    assertEquals(L2tpTunnel.State.ESTABLISHED, lac.lns.state());
    lac.send(
        ControlMessage.of(
            77, 0, MessageType.ICRQ, List.of(Avps.assignedSessionId(3), Avps.callSerialNumber(3))));
    ControlMessage icrp = lac.last();
    assertTrue(icrp.assignedSessionId().isEmpty(), "Assigned Session ID is hidden");
    assertEquals(1, icrp.reveal(SECRET).assignedSessionId().orElseThrow());
    ControlMessage stop = ControlMessage.decode(lac.lns.close("bye", 0).getLast());
    assertEquals(MessageType.STOP_CCN, stop.messageType().orElseThrow());
    assertFalse(stop.hasHidden());
  }

  @Test
  void peerHiddenAvps_revealedWithTheTunnelSecret() {
    Recorder r = new Recorder();
    Lac lac = lac(r, security(false, false));
    ControlMessage sccrq =
        sccrq().hide(SECRET, LAC_RV); // hides framing capabilities, vendor and Assigned Tunnel ID
    assertTrue(sccrq.encode().length > sccrq().encode().length);
    ControlMessage sccrp = request(lac, sccrq);
    assertEquals(LAC_TUNNEL, lac.last().tunnelId(), "the hidden Assigned Tunnel ID was read");
    assertFalse(sccrp.hasHidden());
    lac.send(scccn());
    Avp hiddenSession = HiddenAvp.hide(Avps.assignedSessionId(0x4242), SECRET, LAC_RV, 5);
    lac.send(
        ControlMessage.of(
            77,
            0,
            MessageType.ICRQ,
            List.of(Avps.randomVector(LAC_RV), hiddenSession, Avps.callSerialNumber(1))));
    assertEquals(0x4242, lac.last().sessionId(), "ICRP to the hidden Assigned Session ID");
  }

  @Test
  void peerHiddenAvps_withoutASecret_stopCcnResult4() {
    Recorder r = new Recorder();
    Lac lac = new Lac(new L2tpTunnel(77, "coati", r, 0, ControlChannel.Config.DEFAULT));
    // Assigned Tunnel ID left plain so the StopCCN can be addressed
    Avp hiddenVendor = HiddenAvp.hide(Avps.vendorName("Microsoft"), SECRET, LAC_RV, 0);
    lac.send(sccrq(Avps.randomVector(LAC_RV), hiddenVendor));
    assertRefused(lac, r);
  }

  @Test
  void peerHiddenAvps_wrongSecret_stopCcnGeneralError() {
    Recorder r = new Recorder();
    Lac lac = lac(r, security(false, false));
    Avp hidden = HiddenAvp.hide(Avps.vendorName("Microsoft"), "other".getBytes(), LAC_RV, 0);
    lac.send(sccrq(Avps.randomVector(LAC_RV), hidden));
    ControlMessage stop = lac.last();
    assertEquals(MessageType.STOP_CCN, stop.messageType().orElseThrow());
    ResultCode rc = stop.resultCode().orElseThrow();
    assertEquals(ResultCode.GENERAL_ERROR, rc.result());
    assertEquals(ResultCode.LENGTH_WRONG, rc.errorCode());
    assertEquals(L2tpTunnel.State.CLOSED, lac.lns.state());
  }

  @Test
  void peerStopCcn_thatDoesNotReveal_stillEndsTheTunnel_withoutAnswer() {
    Recorder r = new Recorder();
    Lac lac = new Lac(new L2tpTunnel(77, "coati", r, 0, ControlChannel.Config.DEFAULT));
    request(lac, sccrq());
    lac.send(scccn());
    int before = lac.got.size();
    Avp hiddenId = HiddenAvp.hide(Avps.assignedTunnelId(LAC_TUNNEL), SECRET, LAC_RV, 0);
    lac.send(
        ControlMessage.of(
            77,
            0,
            MessageType.STOP_CCN,
            List.of(Avps.randomVector(LAC_RV), hiddenId, Avps.resultCode(ResultCode.of(1)))));
    assertEquals(L2tpTunnel.State.CLOSED, lac.lns.state());
    assertEquals(before, lac.got.size(), "no StopCCN sent back");
    assertTrue(r.events.getLast().contains("not revealed"), r.events.toString());
  }
}
