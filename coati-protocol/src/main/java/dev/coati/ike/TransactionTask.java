package dev.coati.ike;

import static dev.coati.ike.QuickModeMessages.encode;
import static dev.coati.ike.QuickModeMessages.rest;
import static dev.coati.ike.QuickModeMessages.verifyHash;

import dev.coati.ike.wire.AttributePayload;
import dev.coati.ike.wire.ExchangeType;
import dev.coati.ike.wire.HashPayload;
import dev.coati.ike.wire.IkeProtocolException;
import dev.coati.ike.wire.NotifyType;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One ISAKMP transaction exchange (exchange type 6, draft-dukes-ike-mode-cfg-02 section 3.3): a
 * REQUEST answered by a REPLY, or a SET answered by an ACK, each message {@code HASH | ATTR} with
 * HASH = prf(SKEYID_a, M-ID | ATTR), encrypted under the phase-2 IV of its message ID. Xauth
 * (draft-beaulieu-ike-xauth-02) runs on the same exchange. As initiator the task sends {@code
 * first} and hands the answer to {@code onAnswer}; as responder it hands the peer's message to
 * {@code respond} and sends what that returns.
 */
final class TransactionTask implements Task {
  private final IkeSa sa;
  private final AttributePayload first;
  private final Consumer<AttributePayload> onAnswer;
  private final Function<AttributePayload, AttributePayload> respond;
  private final Runnable onAbort;

  private TransactionTask(
      IkeSa sa,
      AttributePayload first,
      Consumer<AttributePayload> onAnswer,
      Function<AttributePayload, AttributePayload> respond,
      Runnable onAbort) {
    this.sa = sa;
    this.first = first;
    this.onAnswer = onAnswer;
    this.respond = respond;
    this.onAbort = onAbort;
  }

  /** We send {@code message} (REQUEST or SET) and expect the matching REPLY or ACK. */
  static TransactionTask initiator(
      IkeSa sa, AttributePayload message, Consumer<AttributePayload> onAnswer, Runnable onAbort) {
    return new TransactionTask(sa, message, onAnswer, null, onAbort);
  }

  /** The peer sent a REQUEST or SET; {@code respond} builds our REPLY or ACK. */
  static TransactionTask responder(IkeSa sa, Function<AttributePayload, AttributePayload> respond) {
    return new TransactionTask(sa, null, null, respond, () -> {});
  }

  @Override
  public ExchangeType exchangeType() {
    return ExchangeType.TRANSACTION;
  }

  @Override
  public Status initiate(OutboundMessage out) {
    add(out, out.messageId(), first);
    return Status.NEED_MORE;
  }

  @Override
  public Status process(InboundMessage in, OutboundMessage out) {
    int mid = in.header().messageId();
    verifyHash(in, Keymat.informationalHash(sa.prf(), sa.skeyidA(), mid, rest(in)));
    AttributePayload got =
        in.first(AttributePayload.class)
            .orElseThrow(
                () -> new IkeProtocolException(NotifyType.PAYLOAD_MALFORMED, "no ATTR payload"));
    if (respond == null) {
      int want =
          first.cfgType() == AttributePayload.CFG_REQUEST
              ? AttributePayload.CFG_REPLY
              : AttributePayload.CFG_ACK;
      if (got.cfgType() != want) {
        throw new IkeProtocolException(
            NotifyType.PAYLOAD_MALFORMED, "expected ATTR type " + want + ", got " + got.cfgType());
      }
      onAnswer.accept(got);
      return Status.DONE;
    }
    AttributePayload answer = respond.apply(got);
    if (answer != null) {
      add(out, mid, answer);
    }
    return Status.DONE;
  }

  private void add(OutboundMessage out, int mid, AttributePayload attr) {
    byte[] hash = Keymat.informationalHash(sa.prf(), sa.skeyidA(), mid, encode(List.of(attr)));
    out.add(new HashPayload(hash)).add(attr).encrypted(true);
  }

  @Override
  public void abort(String reason) {
    onAbort.run();
  }
}
