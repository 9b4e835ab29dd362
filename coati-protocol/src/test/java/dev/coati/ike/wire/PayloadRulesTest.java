package dev.coati.ike.wire;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class PayloadRulesTest {
  static final HashPayload HASH = new HashPayload(new byte[20]);
  static final NoncePayload NONCE = new NoncePayload(new byte[16]);

  @Test
  void mainMode_acceptsWhatClientsSend() {
    assertDoesNotThrow(
        () ->
            PayloadRules.check(
                ExchangeType.IDENTITY_PROTECTION,
                List.of(
                    Samples.sa(),
                    new VendorIdPayload(new byte[16]),
                    new VendorIdPayload(new byte[16])),
                false));
  }

  @Test
  void mainMode_refusesTwoSaPayloads() {
    IkeProtocolException e =
        assertThrows(
            IkeProtocolException.class,
            () ->
                PayloadRules.check(
                    ExchangeType.IDENTITY_PROTECTION, List.of(Samples.sa(), Samples.sa()), false));
    assertEquals(NotifyType.INVALID_PAYLOAD_TYPE, e.notifyType());
  }

  @Test
  void quickMode_mustBeEncrypted_andStartWithHash() {
    assertEquals(
        NotifyType.INVALID_FLAGS,
        assertThrows(
                IkeProtocolException.class,
                () -> PayloadRules.check(ExchangeType.QUICK_MODE, List.of(HASH, NONCE), false))
            .notifyType());
    assertEquals(
        NotifyType.INVALID_HASH_INFORMATION,
        assertThrows(
                IkeProtocolException.class,
                () -> PayloadRules.check(ExchangeType.QUICK_MODE, List.of(NONCE, HASH), true))
            .notifyType());
    assertEquals(
        NotifyType.PAYLOAD_MALFORMED,
        assertThrows(
                IkeProtocolException.class,
                () -> PayloadRules.check(ExchangeType.QUICK_MODE, List.of(NONCE), true))
            .notifyType());
    assertDoesNotThrow(
        () ->
            PayloadRules.check(ExchangeType.QUICK_MODE, List.of(HASH, Samples.sa(), NONCE), true));
  }

  @Test
  void informational_andUnknownExchanges() {
    assertDoesNotThrow(
        () ->
            PayloadRules.check(
                ExchangeType.INFORMATIONAL,
                List.of(
                    new NotifyPayload(
                        1,
                        ProtocolId.ISAKMP,
                        NotifyType.NO_PROPOSAL_CHOSEN,
                        new byte[16],
                        new byte[0])),
                false));
    assertThrows(
        IkeProtocolException.class,
        () -> PayloadRules.check(ExchangeType.INFORMATIONAL, List.of(Samples.sa()), false));
    assertEquals(
        NotifyType.UNSUPPORTED_EXCHANGE_TYPE,
        assertThrows(
                IkeProtocolException.class,
                () -> PayloadRules.check(ExchangeType.valueOf(99), List.of(), false))
            .notifyType());
  }

  @Test
  void unknownPayloads_toleratedButBounded() {
    UnknownPayload u = new UnknownPayload(PayloadType.valueOf(250), new byte[0]);
    assertDoesNotThrow(
        () -> PayloadRules.check(ExchangeType.AGGRESSIVE, List.of(Samples.sa(), u), false));
    List<Payload> many = new java.util.ArrayList<>(java.util.Collections.nCopies(9, u));
    assertThrows(
        IkeProtocolException.class, () -> PayloadRules.check(ExchangeType.AGGRESSIVE, many, false));
  }
}
