package dev.coati.server.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coati.config.GatewayConfig;
import dev.coati.crypto.DhFactory;
import dev.coati.crypto.Secret;
import dev.coati.ike.IkeContext;
import dev.coati.ike.IkeEngine;
import dev.coati.ike.IkeListener;
import dev.coati.ike.PeerAddress;
import dev.coati.ike.RetransmitPolicy;
import dev.coati.ike.wire.ExchangeType;
import dev.coati.server.policy.ConfiguredPolicy;
import dev.coati.util.RandomSource;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OperationsTest {
  final List<byte[]> sent = new ArrayList<>();
  final List<String> deleted = new ArrayList<>();
  final GatewayConfig config =
      GatewayConfig.demo(Secret.wrap("k".getBytes(StandardCharsets.UTF_8)));
  final ConfiguredPolicy policy = new ConfiguredPolicy(config);
  final IkeEngine engine =
      new IkeEngine(
          new IkeContext(
              System::currentTimeMillis,
              RandomSource.secure(),
              DhFactory.using(RandomSource.secure()),
              policy,
              (from, to, d) -> sent.add(d),
              new IkeListener() {
                @Override
                public void ikeDeleted(dev.coati.ike.IkeSaView sa, String reason) {
                  deleted.add(sa.name() + ": " + reason);
                }
              },
              RetransmitPolicy.DEFAULT));
  final Operations ops =
      new Operations(
          new Operations.Gateway(
              Runnable::run,
              engine,
              null,
              null,
              new Reloader(
                  null, config, policy, null, null, new PrintStream(new ByteArrayOutputStream())),
              null),
          new PrintStream(new ByteArrayOutputStream()));

  @Test
  void statusKickAndBadRequests() {
    assertEquals(new ControlServer.Response(0, "no sessions\n"), ops.handle("status"));
    assertEquals(new ControlServer.Response(0, "[]\n"), ops.handle("status --json"));
    PeerAddress local = new PeerAddress(new byte[] {10, 0, 0, 1}, 500);
    PeerAddress peer = new PeerAddress(new byte[] {10, 0, 0, 9}, 500);
    String name = engine.initiate(local, peer, ExchangeType.IDENTITY_PROTECTION).name();
    String json = ops.handle("status --json").text();
    assertTrue(json.contains("\"kind\":\"site-to-site\""), json);
    assertTrue(json.contains("\"session\":\"" + name + "\""), json);
    assertTrue(json.contains("\"public_address\":\"10.0.0.9:500\""), json);
    assertEquals(1, ops.handle("kick 10.0.0.8").code());
    ControlServer.Response k = ops.handle("kick 10.0.0.9");
    assertEquals(0, k.code(), k.text());
    assertTrue(k.text().startsWith("kicked " + name), k.text());
    assertEquals(List.of(name + ": kicked by the operator"), deleted);
    assertEquals("no sessions\n", ops.handle("status").text());
    assertEquals(2, ops.handle("shutdown").code());
    ControlServer.Response r = ops.handle("reload");
    assertEquals(1, r.code());
    assertTrue(r.text().contains("embedded demo configuration"), r.text());
  }
}
