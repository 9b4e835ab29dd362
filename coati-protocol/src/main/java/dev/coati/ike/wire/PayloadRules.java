package dev.coati.ike.wire;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What each exchange may carry, checked before any task sees a message (strongSwan's message.c rule
 * tables): how many of each payload type, which exchanges must be encrypted, and that a protected
 * message starts with its HASH.
 */
public final class PayloadRules {
  /** Up to {@code max} payloads of this type; at least {@code min}. */
  private record Rule(int min, int max) {}

  private record Table(Map<Integer, Rule> rules, boolean mustEncrypt, boolean hashFirst) {}

  /** Unknown payload types are ignored (IKEv1 has no critical bit) but bounded. */
  static final int MAX_UNKNOWN = 8;

  private static final Map<Integer, Table> TABLES = new HashMap<>();

  static {
    Map<Integer, Rule> phase1 =
        rules(
            PayloadType.SA,
            0,
            1,
            PayloadType.KE,
            0,
            1,
            PayloadType.NONCE,
            0,
            1,
            PayloadType.ID,
            0,
            1,
            PayloadType.CERT,
            0,
            8,
            PayloadType.CERTREQ,
            0,
            8,
            PayloadType.HASH,
            0,
            1,
            PayloadType.SIG,
            0,
            1,
            PayloadType.NOTIFY,
            0,
            16,
            PayloadType.VENDOR_ID,
            0,
            32,
            PayloadType.NAT_D,
            0,
            8,
            PayloadType.NAT_D_DRAFT,
            0,
            8,
            PayloadType.FRAGMENT,
            0,
            1);
    TABLES.put(ExchangeType.IDENTITY_PROTECTION.code(), new Table(phase1, false, false));
    TABLES.put(ExchangeType.AGGRESSIVE.code(), new Table(phase1, false, false));
    TABLES.put(
        ExchangeType.QUICK_MODE.code(),
        new Table(
            rules(
                PayloadType.HASH,
                1,
                1,
                PayloadType.SA,
                0,
                1,
                PayloadType.NONCE,
                0,
                1,
                PayloadType.KE,
                0,
                1,
                PayloadType.ID,
                0,
                2,
                PayloadType.NAT_OA,
                0,
                2,
                PayloadType.NAT_OA_DRAFT,
                0,
                2,
                PayloadType.NOTIFY,
                0,
                8),
            true,
            true));
    TABLES.put(
        ExchangeType.INFORMATIONAL.code(),
        new Table(
            rules(PayloadType.HASH, 0, 1, PayloadType.NOTIFY, 0, 16, PayloadType.DELETE, 0, 16),
            false,
            true));
    TABLES.put(
        ExchangeType.TRANSACTION.code(),
        new Table(rules(PayloadType.HASH, 1, 1, PayloadType.ATTRIBUTE, 1, 1), true, true));
  }

  private PayloadRules() {}

  private static Map<Integer, Rule> rules(Object... spec) {
    Map<Integer, Rule> m = new HashMap<>();
    for (int i = 0; i < spec.length; i += 3) {
      m.put(((PayloadType) spec[i]).code(), new Rule((Integer) spec[i + 1], (Integer) spec[i + 2]));
    }
    return Map.copyOf(m);
  }

  /** Throws if the payloads break the exchange's rules. */
  public static void check(ExchangeType exchange, List<Payload> payloads, boolean encrypted) {
    Table t = TABLES.get(exchange.code());
    if (t == null) {
      throw new IkeProtocolException(
          NotifyType.UNSUPPORTED_EXCHANGE_TYPE, "exchange type " + exchange);
    }
    if (t.mustEncrypt && !encrypted) {
      throw new IkeProtocolException(NotifyType.INVALID_FLAGS, exchange + " must be encrypted");
    }
    Map<Integer, Integer> counts = new HashMap<>();
    int unknown = 0;
    for (Payload p : payloads) {
      if (p instanceof UnknownPayload) {
        if (++unknown > MAX_UNKNOWN) {
          throw new IkeProtocolException(NotifyType.INVALID_PAYLOAD_TYPE, "too many unknown");
        }
        continue;
      }
      Rule r = t.rules.get(p.type().code());
      int n = counts.merge(p.type().code(), 1, Integer::sum);
      if (r == null || n > r.max) {
        throw new IkeProtocolException(
            NotifyType.INVALID_PAYLOAD_TYPE, p.type() + " not allowed here (" + exchange + ")");
      }
    }
    for (Map.Entry<Integer, Rule> e : t.rules.entrySet()) {
      if (counts.getOrDefault(e.getKey(), 0) < e.getValue().min) {
        throw new IkeProtocolException(
            NotifyType.PAYLOAD_MALFORMED,
            "missing " + PayloadType.valueOf(e.getKey()) + " in " + exchange);
      }
    }
    if (t.hashFirst
        && encrypted
        && !payloads.isEmpty()
        && !payloads.get(0).type().equals(PayloadType.HASH)) {
      throw new IkeProtocolException(
          NotifyType.INVALID_HASH_INFORMATION, "protected " + exchange + " must start with HASH");
    }
  }
}
