package dev.coati.l2tp.wire;

import java.util.ArrayList;
import java.util.List;

/** Sample AVPs and messages for the L2TP codec tests. */
final class L2tpSamples {
  private L2tpSamples() {}

  static List<Avp> everyAvp() {
    return List.of(
        Avps.resultCode(new ResultCode(2, 8, "unknown AVP")),
        Avps.resultCode(ResultCode.of(1)),
        Avps.protocolVersion(1, 0),
        Avps.framingCapabilities(Avps.FRAMING_SYNC | Avps.FRAMING_ASYNC),
        Avps.bearerCapabilities(Avps.BEARER_ANALOG),
        Avps.tieBreaker(0x0102030405060708L),
        Avps.firmwareRevision(0x0690),
        Avps.hostName("lac.example.com"),
        Avps.vendorName("Microsoft"),
        Avps.assignedTunnelId(0x1234),
        Avps.receiveWindowSize(8),
        Avps.challenge(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}),
        Avps.challengeResponse(new byte[16]),
        Avps.q931Cause(new Avps.Q931Cause(16, 0x45, "normal")),
        Avps.assignedSessionId(0x4321),
        Avps.callSerialNumber(0xfedcba98L),
        Avps.minimumBps(9600),
        Avps.maximumBps(100_000_000),
        Avps.bearerType(Avps.BEARER_DIGITAL),
        Avps.framingType(Avps.FRAMING_SYNC),
        Avps.calledNumber("5551234"),
        Avps.callingNumber("192.0.2.10"),
        Avps.subAddress("sub"),
        Avps.txConnectSpeed(100_000_000),
        Avps.rxConnectSpeed(54_000_000),
        Avps.physicalChannelId(7),
        Avps.privateGroupId(new byte[] {'g', '1'}),
        Avps.sequencingRequired(),
        Avps.opaque(false, AvpType.INITIAL_RECEIVED_LCP_CONFREQ, new byte[] {1, 4, 5, (byte) 0xdc}),
        Avps.opaque(false, AvpType.LAST_SENT_LCP_CONFREQ, new byte[] {1, 4, 5, (byte) 0xdc}),
        Avps.opaque(false, AvpType.LAST_RECEIVED_LCP_CONFREQ, new byte[] {1, 4, 5, (byte) 0xdc}),
        Avps.opaque(false, AvpType.PROXY_AUTHEN_TYPE, new byte[] {0, 2}),
        Avps.opaque(false, AvpType.PROXY_AUTHEN_NAME, "alice".getBytes()),
        Avps.opaque(false, AvpType.PROXY_AUTHEN_CHALLENGE, new byte[16]),
        Avps.opaque(false, AvpType.PROXY_AUTHEN_ID, new byte[] {0, 9}),
        Avps.opaque(false, AvpType.PROXY_AUTHEN_RESPONSE, new byte[16]),
        Avps.opaque(true, AvpType.CALL_ERRORS, new byte[26]),
        Avps.opaque(true, AvpType.ACCM, new byte[10]),
        Avps.randomVector(new byte[] {9, 8, 7, 6}),
        new Avp(false, false, 311, 1, new byte[] {1, 2}));
  }

  static ControlMessage sccrq() {
    return ControlMessage.of(
        0,
        0,
        MessageType.SCCRQ,
        List.of(
            Avps.protocolVersion(1, 0),
            Avps.framingCapabilities(3),
            Avps.bearerCapabilities(0),
            Avps.firmwareRevision(0x0600),
            Avps.hostName("lac.example.com"),
            Avps.vendorName("Microsoft"),
            Avps.assignedTunnelId(0x1234),
            Avps.receiveWindowSize(8)));
  }

  static ControlMessage sccrp() {
    return ControlMessage.of(
            0x1234,
            0,
            MessageType.SCCRP,
            List.of(
                Avps.protocolVersion(1, 0),
                Avps.framingCapabilities(3),
                Avps.hostName("coati"),
                Avps.assignedTunnelId(0x0abc),
                Avps.receiveWindowSize(16)))
        .withSequence(0, 1);
  }

  static ControlMessage icrq() {
    return ControlMessage.of(
            0x0abc,
            0,
            MessageType.ICRQ,
            List.of(Avps.assignedSessionId(0x4321), Avps.callSerialNumber(1)))
        .withSequence(2, 1);
  }

  /** One valid message of every type coati handles, plus a ZLB. */
  static List<ControlMessage> everyMessage() {
    List<ControlMessage> all = new ArrayList<>();
    all.add(sccrq());
    all.add(sccrp());
    all.add(msg(MessageType.SCCCN));
    all.add(
        msg(
            MessageType.STOP_CCN,
            Avps.assignedTunnelId(0x0abc),
            Avps.resultCode(new ResultCode(2, 8, "x"))));
    all.add(msg(MessageType.HELLO));
    all.add(icrq());
    all.add(msg(MessageType.ICRP, Avps.assignedSessionId(9)));
    all.add(msg(MessageType.ICCN, Avps.txConnectSpeed(1_000_000), Avps.framingType(1)));
    all.add(msg(MessageType.CDN, Avps.resultCode(ResultCode.of(3)), Avps.assignedSessionId(9)));
    all.add(ControlMessage.zlb(0x1234, 5, 6));
    return all;
  }

  static ControlMessage msg(MessageType t, Avp... avps) {
    return ControlMessage.of(0x1234, 0x55, t, List.of(avps)).withSequence(3, 4);
  }
}
