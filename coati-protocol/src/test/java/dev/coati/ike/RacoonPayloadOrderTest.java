package dev.coati.ike;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.coati.ike.wire.ExchangeType;
import dev.coati.ike.wire.IdPayload;
import dev.coati.testing.PcapWriter;
import dev.coati.testing.Tshark;
import dev.coati.util.Hex;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every message coati sends, in the payload order racoon (ipsec-tools 0.9.1, the parser of macOS,
 * iOS and Android <= 11 too) accepts. racoon reads payloads in order and drops the whole message on
 * the first payload its receive function does not expect; in particular it takes NAT-D only after a
 * NAT-T vendor ID has set up its NAT-T options ({@code isakmp_agg.c} agg_i2recv, {@code
 * isakmp_ident.c} ident_i3recv). A whole remote-access session (our client and gateway through a
 * NAT: phase 1, Xauth, mode config push and pull, quick mode in UDP transport mode with NAT-OA,
 * DPD, Delete) is decrypted by tshark and each message checked against those functions' rules.
 */
class RacoonPayloadOrderTest {
  static final int SA = 1;
  static final int KE = 4;
  static final int ID = 5;
  static final int CERT = 6;
  static final int CR = 7;
  static final int HASH = 8;
  static final int SIG = 9;
  static final int NONCE = 10;
  static final int N = 11;
  static final int D = 12;
  static final int VID = 13;
  static final int ATTR = 14;
  static final int NAT_D = 20;
  static final int NAT_OA = 21;
  static final int NAT_D_DRAFT = 130;
  static final int NAT_OA_DRAFT = 131;

  static final Set<String> NAT_T_VIDS =
      Set.of(
          Hex.encode(VendorIds.NAT_T_RFC3947),
          Hex.encode(VendorIds.NAT_T_DRAFT_03),
          Hex.encode(VendorIds.NAT_T_DRAFT_02N),
          Hex.encode(VendorIds.NAT_T_DRAFT_02));

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"main", "aggressive"})
  void everyMessage_inRacoonsOrder(String mode, @TempDir Path dir) throws Exception {
    assumeFalse(Tshark.skipped(), "COATI_SKIP_TSHARK=1");
    RemoteAccessEngineTest.Gateway gw = new RemoteAccessEngineTest.Gateway();
    gw.push = true; // SET from the gateway, and our client still pulls: both directions
    EnginePair p = RemoteAccessEngineTest.pair(gw, "wonderland");
    p.natBetween = true;
    p.iPolicy.dpdDelay = 10;
    p.rPolicy.dpdDelay = 10;
    boolean aggressive = mode.equals("aggressive");
    if (aggressive) {
      p.iPolicy.localId = IdPayload.fqdn("vpngroup");
      p.rPolicy.aggressiveIds.add("vpngroup");
    }
    IkeSa i = p.connect(aggressive ? ExchangeType.AGGRESSIVE : ExchangeType.IDENTITY_PROTECTION);
    p.pump();
    p.initiator.initiateChild(i, ExchangeManagerTest.hostToHost()); // transport: NAT-OA
    p.pump();
    assertEquals(1, p.rEvents.children.size());
    p.advance(11_000); // both probe with R-U-THERE, both answer
    p.pump();
    String key =
        String.format("%016x", i.initiatorCookie()) + "," + Hex.encode(i.encryptionKey().bytes());
    p.initiator.delete(i, "bye");
    p.pump();

    Path pcap = dir.resolve("session.pcap");
    PcapWriter.write(
        pcap,
        p.wire.stream()
            .map(
                d ->
                    new PcapWriter.Packet(
                        d.from().address(), 500, d.to().address(), 500, d.bytes()))
            .toList());
    List<List<String>> rows =
        Tshark.fields(
            pcap,
            List.of("-o", "uat:ikev1_decryption_table:" + key),
            "ip.src",
            "isakmp.exchangetype",
            "isakmp.messageid",
            "isakmp.typepayload",
            "isakmp.vid_bytes");
    assertEquals(p.wire.size(), rows.size());
    String client = rows.get(0).get(0);
    Map<String, Integer> perMid = new HashMap<>();
    Set<String> nattAnnounced = new HashSet<>();
    Set<Integer> seenExchanges = new HashSet<>();
    boolean unreadInformational = false;
    int loneDeletes = 0;
    for (List<String> r : rows) {
      int exchange = Integer.parseInt(r.get(1));
      seenExchanges.add(exchange);
      String sender = r.get(0).equals(client) ? "client" : "gateway";
      int index = perMid.merge(r.get(2), 1, Integer::sum) - 1;
      // tshark lists the proposal (2) and transform (3) payloads nested inside an SA as well
      List<Integer> types =
          Arrays.stream(r.get(3).split(","))
              .map(Integer::parseInt)
              .filter(t -> t != 2 && t != 3)
              .toList();
      List<String> vids = r.get(4).isEmpty() ? List.of() : List.of(r.get(4).split(","));
      if (exchange == 5 && types.size() > 2) {
        // racoon hashes only the first payload after HASH (isakmp_info_recv): it drops this one,
        // so a message it does take must follow (the ISAKMP Delete alone)
        unreadInformational = true;
        continue;
      }
      if (exchange == 5 && types.equals(List.of(HASH, D))) {
        unreadInformational = false;
        loneDeletes++;
      }
      String why = racoonRejects(exchange, index, types, vids, nattAnnounced, sender);
      assertNull(why, sender + " exchange " + exchange + " message " + (index + 1) + " " + types);
    }
    assertFalse(unreadInformational, "racoon reads no message after the last Delete it drops");
    assertTrue(loneDeletes > 0, "a Delete racoon takes ends the session");
    int phase1 = aggressive ? 4 : 2;
    assertEquals(Set.of(phase1, 5, 6, 32), seenExchanges, "every exchange was checked");
  }

  /**
   * Why racoon would drop this message, or null. {@code nattAnnounced} holds the senders whose
   * NAT-T vendor ID racoon has seen in this phase 1 (its natt_options).
   */
  static String racoonRejects(
      int exchange,
      int index,
      List<Integer> types,
      List<String> vids,
      Set<String> nattAnnounced,
      String sender) {
    if (exchange == 32
        && (types.stream().filter(t -> t == ID).count() > 2
            || types.stream().filter(t -> t == NAT_OA || t == NAT_OA_DRAFT).count() > 2)) {
      return "more than two ID or NAT-OA payloads";
    }
    Rule rule = rule(exchange, index);
    if (rule == null) {
      return "exchange type racoon does not speak";
    }
    List<Integer> allowed = rule.allowed();
    int first = rule.first();
    if (first >= 0 && types.get(0) != first) {
      return "first payload must be " + first;
    }
    int vid = 0;
    for (int t : types) {
      if (!allowed.contains(t)) {
        return "unexpected payload " + t;
      }
      if (t == VID && NAT_T_VIDS.contains(vids.get(vid++))) {
        nattAnnounced.add(sender);
      }
      if ((t == NAT_D || t == NAT_D_DRAFT) && !nattAnnounced.contains(sender)) {
        return "NAT-D before the NAT-T vendor ID";
      }
    }
    return null;
  }

  /** What one of racoon's receive functions accepts: the first payload (-1: any) and the set. */
  record Rule(int first, List<Integer> allowed) {}

  static Rule rule(int exchange, int index) {
    return switch (exchange) {
      // isakmp_ident.c: ident_r1recv, i2recv, r2recv, i3recv, r3recv, i4recv
      case 2 ->
          index < 2
              ? new Rule(SA, List.of(SA, VID))
              : index < 4
                  ? new Rule(-1, List.of(KE, NONCE, VID, CR, NAT_D, NAT_D_DRAFT))
                  : new Rule(
                      -1,
                      index == 4
                          ? List.of(ID, HASH, CR, CERT, SIG, VID, N)
                          : List.of(ID, HASH, CERT, SIG, VID, N));
      // isakmp_agg.c: agg_r1recv, agg_i2recv, agg_r2recv
      case 4 ->
          index == 0
              ? new Rule(SA, List.of(SA, KE, NONCE, ID, VID, CR))
              : index == 1
                  ? new Rule(
                      SA,
                      List.of(SA, KE, NONCE, ID, HASH, CR, CERT, SIG, VID, N, NAT_D, NAT_D_DRAFT))
                  : new Rule(-1, List.of(HASH, VID, CERT, SIG, N, NAT_D, NAT_D_DRAFT));
      // isakmp_quick.c: quick_r1recv, quick_i2recv (HASH first), quick_r3recv
      case 32 ->
          new Rule(
              HASH,
              index < 2
                  ? List.of(HASH, SA, NONCE, KE, ID, N, NAT_OA, NAT_OA_DRAFT)
                  : List.of(HASH, N));
      // isakmp_cfg.c isakmp_cfg_r: HASH checked first, then ATTR
      case 6 -> new Rule(HASH, List.of(HASH, ATTR));
      // isakmp_inf.c isakmp_info_recv: HASH first, then N or D
      case 5 -> new Rule(HASH, List.of(HASH, N, D));
      default -> null;
    };
  }

  /** The checker itself: coati's old aggressive-mode reply (NAT-D before the VIDs) is refused. */
  @org.junit.jupiter.api.Test
  void checker_refusesNatDBeforeTheVendorId() {
    String rfc = Hex.encode(VendorIds.NAT_T_RFC3947);
    String dpd = Hex.encode(VendorIds.DPD);
    List<Integer> old = List.of(SA, KE, NONCE, ID, HASH, NAT_D, NAT_D, VID, VID);
    assertTrue(
        racoonRejects(4, 1, old, List.of(dpd, rfc), new HashSet<>(), "gateway")
            .contains("NAT-D before"));
    List<Integer> fixed = List.of(SA, KE, NONCE, ID, HASH, VID, VID, NAT_D, NAT_D);
    assertNull(racoonRejects(4, 1, fixed, List.of(dpd, rfc), new HashSet<>(), "gateway"));
    assertTrue(
        racoonRejects(2, 3, List.of(KE, NONCE, N), List.of(), new HashSet<>(), "gateway")
            .contains("unexpected payload 11"));
    assertTrue(
        racoonRejects(32, 1, List.of(SA, HASH), List.of(), new HashSet<>(), "gateway")
            .contains("first payload"));
  }
}
