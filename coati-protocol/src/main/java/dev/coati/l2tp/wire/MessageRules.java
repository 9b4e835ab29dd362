package dev.coati.l2tp.wire;

import java.util.List;
import java.util.Map;

/**
 * AVPs each control message must carry (RFC 2661 section 6), checked before dispatch. Messages not
 * listed here have no required AVPs beyond Message Type.
 */
public final class MessageRules {
  private MessageRules() {}

  private static final Map<MessageType, List<AvpType>> REQUIRED =
      Map.of(
          MessageType.SCCRQ,
          List.of(
              AvpType.PROTOCOL_VERSION,
              AvpType.HOST_NAME,
              AvpType.FRAMING_CAPABILITIES,
              AvpType.ASSIGNED_TUNNEL_ID),
          MessageType.SCCRP,
          List.of(
              AvpType.PROTOCOL_VERSION,
              AvpType.FRAMING_CAPABILITIES,
              AvpType.HOST_NAME,
              AvpType.ASSIGNED_TUNNEL_ID),
          MessageType.SCCCN,
          List.of(),
          MessageType.STOP_CCN,
          List.of(AvpType.ASSIGNED_TUNNEL_ID, AvpType.RESULT_CODE),
          MessageType.HELLO,
          List.of(),
          MessageType.ICRQ,
          List.of(AvpType.ASSIGNED_SESSION_ID, AvpType.CALL_SERIAL_NUMBER),
          MessageType.ICRP,
          List.of(AvpType.ASSIGNED_SESSION_ID),
          MessageType.ICCN,
          List.of(AvpType.TX_CONNECT_SPEED, AvpType.FRAMING_TYPE),
          MessageType.CDN,
          List.of(AvpType.RESULT_CODE, AvpType.ASSIGNED_SESSION_ID));

  public static List<AvpType> required(MessageType type) {
    return REQUIRED.getOrDefault(type, List.of());
  }

  /** Throws FIELD_OUT_OF_RANGE naming the first required AVP that is missing. */
  public static void check(MessageType type, List<Avp> avps) {
    for (AvpType t : required(type)) {
      if (avps.stream().noneMatch(a -> a.isIetf(t))) {
        throw L2tpProtocolException.general(
            ResultCode.FIELD_OUT_OF_RANGE, type + " without required " + t + " AVP");
      }
    }
  }
}
