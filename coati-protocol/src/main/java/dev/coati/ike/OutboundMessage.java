package dev.coati.ike;

import dev.coati.ike.wire.ExchangeType;
import dev.coati.ike.wire.Payload;
import java.util.ArrayList;
import java.util.List;

/** A message a task builds; the exchange manager assigns cookies, encodes and encrypts it. */
final class OutboundMessage {
  private ExchangeType exchangeType;
  private final int messageId;
  private final List<Payload> payloads = new ArrayList<>();
  private boolean encrypted;
  private int extraFlags;

  OutboundMessage(ExchangeType exchangeType, int messageId) {
    this.exchangeType = exchangeType;
    this.messageId = messageId;
  }

  ExchangeType exchangeType() {
    return exchangeType;
  }

  /** Sends this message as another exchange type (CONNECTED goes out as informational). */
  OutboundMessage exchangeType(ExchangeType type) {
    this.exchangeType = type;
    return this;
  }

  int messageId() {
    return messageId;
  }

  OutboundMessage add(Payload p) {
    payloads.add(p);
    return this;
  }

  OutboundMessage addAll(List<? extends Payload> ps) {
    payloads.addAll(ps);
    return this;
  }

  List<Payload> payloads() {
    return payloads;
  }

  boolean isEmpty() {
    return payloads.isEmpty();
  }

  OutboundMessage encrypted(boolean e) {
    this.encrypted = e;
    return this;
  }

  boolean encrypted() {
    return encrypted;
  }

  /** Extra header flags, e.g. the commit bit. */
  OutboundMessage flags(int f) {
    this.extraFlags |= f;
    return this;
  }

  int extraFlags() {
    return extraFlags;
  }
}
