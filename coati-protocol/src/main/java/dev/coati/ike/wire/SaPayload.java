package dev.coati.ike.wire;

import dev.coati.util.ByteReader;
import dev.coati.util.ByteWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Security Association payload (RFC 2408 section 3.4, IPsec DOI situation RFC 2407 4.6.1).
 *
 * <pre>
 * ! Next Payload  !   RESERVED    !         Payload Length        !
 * !              Domain of Interpretation  (DOI)                  !
 * ~                           Situation                           ~
 * ~                  Proposal payloads (nested)                   ~
 * </pre>
 */
public record SaPayload(int doi, int situation, List<Proposal> proposals) implements Payload {
  public SaPayload {
    proposals = List.copyOf(proposals);
  }

  public static SaPayload decodeBody(ByteReader body) {
    int doi = body.i32();
    int situation = body.i32();
    List<Proposal> ps = new ArrayList<>();
    int next = PayloadType.PROPOSAL.code();
    while (body.hasRemaining()) {
      if (next != PayloadType.PROPOSAL.code() || ps.size() >= Limits.MAX_PROPOSALS) {
        throw new MalformedPacketException(NotifyType.BAD_PROPOSAL_SYNTAX, "proposal chain");
      }
      next = body.u8();
      body.skip(1);
      int len = body.u16();
      if (len < 8) {
        throw new MalformedPacketException("proposal length " + len);
      }
      ps.add(Proposal.decodeBody(body.slice(len - 4)));
    }
    if (ps.isEmpty() || next != PayloadType.NONE.code()) {
      throw new MalformedPacketException(NotifyType.BAD_PROPOSAL_SYNTAX, "no proposal");
    }
    return new SaPayload(doi, situation, ps);
  }

  @Override
  public PayloadType type() {
    return PayloadType.SA;
  }

  @Override
  public void encodeBody(ByteWriter out) {
    out.i32(doi).i32(situation);
    for (int i = 0; i < proposals.size(); i++) {
      Proposal p = proposals.get(i);
      out.u8(i + 1 < proposals.size() ? PayloadType.PROPOSAL.code() : 0).u8(0);
      out.u16(4 + p.bodyLength());
      p.encodeBody(out);
    }
  }

  @Override
  public int bodyLength() {
    int n = 8;
    for (Proposal p : proposals) {
      n += 4 + p.bodyLength();
    }
    return n;
  }
}
