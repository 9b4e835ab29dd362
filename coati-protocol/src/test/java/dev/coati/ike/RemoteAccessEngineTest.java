package dev.coati.ike;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coati.ike.wire.Attribute;
import dev.coati.ike.wire.AttributePayload;
import dev.coati.ike.wire.CfgAttr;
import dev.coati.ike.wire.ExchangeType;
import dev.coati.ike.wire.IkeAttr;
import dev.coati.ike.wire.IpsecAttr;
import dev.coati.util.Hex;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/**
 * Xauth and mode config between our gateway and our client in memory: pull and push, bounded
 * retries with a wrong password, and quick mode refused until Xauth succeeded.
 */
class RemoteAccessEngineTest {
  static final byte[] VIP = {10, 99, 99, 10};

  /** A gateway with one user (alice / wonderland) and one address to give. */
  static class Gateway implements RemoteAccess {
    boolean push;
    final List<String> checked = new ArrayList<>();
    final List<String> configured = new ArrayList<>();

    @Override
    public CompletionStage<XauthResult> xauth(IkeSaView sa, byte[] user, byte[] password) {
      String u = new String(user, StandardCharsets.UTF_8);
      checked.add(u);
      boolean ok =
          u.equals("alice") && new String(password, StandardCharsets.UTF_8).equals("wonderland");
      return CompletableFuture.completedFuture(
          new XauthResult(ok, u, ok ? "ok" : "wrong password"));
    }

    @Override
    public Optional<ClientConfig> clientConfig(IkeSaView sa, String user) {
      configured.add(user);
      return Optional.of(
          new ClientConfig(
              VIP,
              24,
              List.of(new byte[] {10, 99, 99, 53}),
              List.of(),
              "corp.test",
              "welcome",
              List.of("10.203.0.0/24"),
              false,
              List.of("corp.test", "lab.test"),
              true));
    }

    @Override
    public boolean push(IkeSaView sa) {
      return push;
    }
  }

  static EnginePair pair(Gateway gw, String password) {
    EnginePair p = new EnginePair("aes128-sha1-modp2048", "aes128-sha1", 60);
    p.iPolicy.auth = Set.of(IkeAttr.XAUTH_INIT_PSK);
    p.rPolicy.auth = Set.of(IkeAttr.PSK, IkeAttr.XAUTH_INIT_PSK);
    p.rPolicy.remoteAccess = gw;
    p.iPolicy.credentials =
        new RemoteAccess.Credentials(
            "alice".getBytes(StandardCharsets.UTF_8), password.getBytes(StandardCharsets.UTF_8));
    return p;
  }

  @Test
  void pull_xauthThenModeConfig_bothSidesKnowTheAddress() {
    Gateway gw = new Gateway();
    EnginePair p = pair(gw, "wonderland");
    IkeSa i = p.connect(ExchangeType.IDENTITY_PROTECTION);
    p.pump();
    IkeSa r = p.responderSa();
    assertEquals(IkeAttr.XAUTH_INIT_PSK, r.transform().orElseThrow().authMethod());
    assertEquals(List.of("alice"), gw.checked);
    assertEquals(Optional.of("alice"), r.user());
    assertArrayEquals(VIP, r.virtualAddress().orElseThrow());
    assertArrayEquals(VIP, i.virtualAddress().orElseThrow(), "the client pulled its address");
    assertEquals(1, gw.configured.size());
  }

  @Test
  void client_getsTheWholeConfiguration_prefixDnsBannerSplitIncludeSplitDns() {
    Gateway gw = new Gateway();
    EnginePair p = pair(gw, "wonderland");
    p.connect(ExchangeType.IDENTITY_PROTECTION);
    p.pump();
    assertEquals(1, p.iEvents.configs.size());
    RemoteAccess.ClientConfig c = p.iEvents.configs.get(0);
    assertArrayEquals(VIP, c.address());
    assertEquals(24, c.prefix());
    assertArrayEquals(new byte[] {10, 99, 99, 53}, c.dns().get(0));
    assertEquals("welcome", c.banner());
    assertEquals("corp.test", c.defaultDomain());
    assertEquals(List.of("10.203.0.0/24"), c.splitInclude());
    assertEquals(List.of("corp.test", "lab.test"), c.splitDns());
    assertTrue(c.pfs(), "Unity PFS: quick mode must use PFS");
    assertTrue(p.rEvents.configs.isEmpty(), "the gateway is no client");
  }

  @Test
  void splitNetworksAndPrefix_decodeWhatEncodeWrote() {
    List<String> nets = List.of("10.203.0.0/24", "192.0.2.0/25", "0.0.0.0/0");
    assertEquals(nets, ModeConfigAttributes.splitNetworks(ModeConfigAttributes.splitInclude(nets)));
    for (int n = 0; n <= 32; n++) {
      assertEquals(n, ModeConfigAttributes.prefix(ModeConfigAttributes.netmask(n)));
    }
  }

  @Test
  void push_theGatewaySetsTheAddress() {
    Gateway gw = new Gateway();
    gw.push = true;
    EnginePair p = pair(gw, "wonderland");
    IkeSa i = p.connect(ExchangeType.IDENTITY_PROTECTION);
    p.pump();
    assertArrayEquals(VIP, i.virtualAddress().orElseThrow());
    assertEquals(2, gw.configured.size(), "pushed once; the client's pull gets the same lease");
    assertEquals("welcome", p.iEvents.configs.get(0).banner(), "Unity: the client sent its VID");
  }

  @Test
  void wrongPassword_threeAttemptsThenDeleted_nothingConfigured() {
    Gateway gw = new Gateway();
    EnginePair p = pair(gw, "looking-glass");
    IkeSa i = p.connect(ExchangeType.IDENTITY_PROTECTION);
    p.pump();
    assertEquals(List.of("alice", "alice", "alice"), gw.checked);
    assertTrue(gw.configured.isEmpty());
    assertTrue(p.responder.sas().isEmpty(), "the gateway deleted the SA");
    assertEquals(IkeSa.State.DELETED, i.state(), "and told the client");
    assertTrue(p.rEvents.deleted.contains("Xauth failed"), p.rEvents.deleted.toString());
  }

  @Test
  void clientNeverAnswersXauth_theGatewayDeletesTheSaAfterItsRetransmits() {
    Gateway gw = new Gateway();
    EnginePair p = pair(gw, "wonderland");
    p.iPolicy.credentials = null; // a client that does not speak Xauth
    p.connect(ExchangeType.IDENTITY_PROTECTION);
    p.pump();
    assertEquals(1, p.responder.sas().size());
    for (int n = 0;
        n <= RetransmitPolicy.DEFAULT.maxRetransmits() && !p.responder.sas().isEmpty();
        n++) {
      p.advance(RetransmitPolicy.DEFAULT.delay(n));
      p.pump();
    }
    assertTrue(p.responder.sas().isEmpty(), "deleted after the last retransmit");
    assertTrue(
        p.rEvents.deleted.stream().anyMatch(r -> r.startsWith("Xauth timed out")),
        p.rEvents.deleted.toString());
    assertTrue(gw.checked.isEmpty() && gw.configured.isEmpty());
  }

  @Test
  void quickModeBeforeXauth_isIgnored_theRetransmitAfterItSucceeds() {
    Gateway gw = new Gateway();
    EnginePair p = pair(gw, "wonderland");
    IkeSa i = p.connect(ExchangeType.IDENTITY_PROTECTION);
    // queued now, so it starts the moment phase 1 is up: before Xauth has finished
    p.initiator.initiateChild(
        i,
        new ChildRequest(
            TrafficSelector.host(VIP, 0, 0),
            TrafficSelector.subnet(new byte[] {10, (byte) 203, 0, 0}, 24, 0, 0),
            IpsecAttr.TUNNEL));
    p.pump();
    assertTrue(p.responder.counters().unhandled >= 1, "the early quick mode was ignored");
    assertTrue(p.rEvents.children.isEmpty());
    p.advance(RetransmitPolicy.DEFAULT.delay(0));
    p.pump();
    assertEquals(1, p.rEvents.children.size(), "the retransmitted quick mode went through");
    assertEquals(1, p.iEvents.children.size());
  }

  @Test
  void attributes_netmaskSplitIncludeAndUnityOnlyWhenAsked() {
    RemoteAccess.ClientConfig cfg = new Gateway().clientConfig(null, "alice").orElseThrow();
    List<Attribute> pulled =
        ModeConfigAttributes.encode(
            cfg, Set.of(CfgAttr.INTERNAL_IP4_ADDRESS, CfgAttr.INTERNAL_IP4_NETMASK), true);
    assertEquals(2, pulled.size(), "only what was asked (the address always)");
    assertArrayEquals(new byte[] {(byte) 255, (byte) 255, (byte) 255, 0}, pulled.get(1).value());
    List<Attribute> pushed = ModeConfigAttributes.encode(cfg, null, true);
    byte[] split =
        pushed.stream()
            .filter(a -> a.type() == CfgAttr.UNITY_SPLIT_INCLUDE)
            .findFirst()
            .orElseThrow()
            .value();
    assertEquals("0acb0000ffffff00000000000000", Hex.encode(split));
    assertTrue(pushed.stream().anyMatch(a -> a.type() == CfgAttr.UNITY_BANNER));
    Attribute dns =
        pushed.stream().filter(a -> a.type() == CfgAttr.UNITY_SPLITDNS_NAME).findFirst().get();
    assertEquals("corp.test,lab.test", new String(dns.value(), StandardCharsets.UTF_8));
    assertEquals(
        1, pushed.stream().filter(a -> a.type() == CfgAttr.UNITY_PFS).findFirst().get().intValue());
    List<Attribute> plain = ModeConfigAttributes.encode(cfg, null, false);
    assertTrue(plain.stream().noneMatch(a -> a.type() >= CfgAttr.UNITY_BANNER), "no Unity");
    assertArrayEquals(new byte[] {0, 0, 0, 0}, ModeConfigAttributes.netmask(0));
    assertArrayEquals(
        new byte[] {(byte) 255, (byte) 255, (byte) 255, (byte) 255},
        ModeConfigAttributes.netmask(32));
  }

  /**
   * racoon's mode config REQUEST (ipsec-tools 0.9.1 isakmp_cfg.c isakmp_cfg_getconfig, as Android
   * <= 11, macOS and iOS send it: the four IPv4 attributes with 4-byte zero values, the Unity ones
   * and APPLICATION_VERSION empty) through our gateway: the REPLY has every attribute we have a
   * value for, under the request's identifier.
   */
  @Test
  void racoonsModeConfigRequest_getsEveryAttributeItAsksFor() {
    Gateway gw = new Gateway();
    EnginePair p = pair(gw, "wonderland");
    IkeSa i = p.connect(ExchangeType.IDENTITY_PROTECTION);
    p.pump();
    byte[] zero = new byte[4];
    byte[] none = new byte[0];
    AttributePayload racoon =
        new AttributePayload(
            AttributePayload.CFG_REQUEST,
            0x4d2c,
            List.of(
                Attribute.tlv(CfgAttr.INTERNAL_IP4_ADDRESS, zero),
                Attribute.tlv(CfgAttr.INTERNAL_IP4_NETMASK, zero),
                Attribute.tlv(CfgAttr.INTERNAL_IP4_DNS, zero),
                Attribute.tlv(CfgAttr.INTERNAL_IP4_NBNS, zero),
                Attribute.tlv(CfgAttr.UNITY_BANNER, none),
                Attribute.tlv(CfgAttr.UNITY_DEF_DOMAIN, none),
                Attribute.tlv(CfgAttr.UNITY_SPLITDNS_NAME, none),
                Attribute.tlv(CfgAttr.UNITY_SPLIT_INCLUDE, none),
                Attribute.tlv(CfgAttr.UNITY_LOCAL_LAN, none),
                Attribute.tlv(CfgAttr.APPLICATION_VERSION, none)));
    List<AttributePayload> replies = new ArrayList<>();
    i.exchanges()
        .start(
            i.exchanges().newMessageId(),
            TransactionTask.initiator(i, racoon, replies::add, () -> {}));
    p.pump();
    assertEquals(1, replies.size(), "one REPLY");
    AttributePayload reply = replies.get(0);
    assertEquals(AttributePayload.CFG_REPLY, reply.cfgType());
    assertEquals(0x4d2c, reply.identifier());
    java.util.Map<Integer, byte[]> got = new java.util.HashMap<>();
    reply.attributes().forEach(a -> got.put(a.type(), a.value()));
    assertArrayEquals(VIP, got.get(CfgAttr.INTERNAL_IP4_ADDRESS));
    assertArrayEquals(
        new byte[] {(byte) 255, (byte) 255, (byte) 255, 0}, got.get(CfgAttr.INTERNAL_IP4_NETMASK));
    assertArrayEquals(new byte[] {10, 99, 99, 53}, got.get(CfgAttr.INTERNAL_IP4_DNS));
    assertEquals("welcome", new String(got.get(CfgAttr.UNITY_BANNER), StandardCharsets.UTF_8));
    assertEquals(
        "corp.test", new String(got.get(CfgAttr.UNITY_DEF_DOMAIN), StandardCharsets.UTF_8));
    assertEquals(
        "corp.test,lab.test",
        new String(got.get(CfgAttr.UNITY_SPLITDNS_NAME), StandardCharsets.UTF_8));
    assertEquals("0acb0000ffffff00000000000000", Hex.encode(got.get(CfgAttr.UNITY_SPLIT_INCLUDE)));
    assertTrue(got.containsKey(CfgAttr.APPLICATION_VERSION));
    assertTrue(!got.containsKey(CfgAttr.INTERNAL_IP4_NBNS), "no WINS configured, none sent");
  }
}
