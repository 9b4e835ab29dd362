package dev.coati.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator commands against a running gateway, over its control socket: coati in {@code
 * coati-op-srv}, an unmodified strongSwan road warrior (PSK + Xauth) in {@code coati-op-cli}.
 * {@code coati status --json} shows the user, address and algorithms; {@code coati kick alice}
 * deletes the SA (strongSwan loses it, the lease is released); a broken configuration is refused by
 * {@code coati reload} while the old one keeps working; a good one is applied and a user removed
 * from the users file is kicked; SIGHUP reloads too; {@code coati check} judges files.
 */
class OpsIT {
  static final String SRV = "coati-op-srv";
  static final String CLI = "coati-op-cli";
  static final String PSK = "ops-psk-1";

  @TempDir Path dir;
  Path socket;
  Path config;

  @BeforeEach
  void topology() throws Exception {
    assumeFalse("1".equals(System.getenv("COATI_SKIP_INTEROP")), "COATI_SKIP_INTEROP=1");
    assertTrue(Netns.available(), "needs root and strongSwan, or COATI_SKIP_INTEROP=1");
    Netns.remove(CLI, SRV);
    Netns.run("ip", "netns", "add", CLI);
    Netns.run("ip", "netns", "add", SRV);
    Netns.veth(CLI, "opc0", Netns.CLI_ADDR, SRV, "ops0", Netns.SRV_ADDR);
    for (String ns : List.of(CLI, SRV)) {
      Netns.run("ip", "-n", ns, "link", "set", "lo", "up");
    }
    socket = dir.resolve("ctl/coati.sock");
    config = dir.resolve("coati.yaml");
  }

  @AfterEach
  void teardown() throws Exception {
    Netns.remove(CLI, SRV);
  }

  String gateway(String dns) {
    return RemoteAccessIT.GATEWAY.replace("10.99.99.53", dns)
        + "control:\n  socket: "
        + socket
        + "\n  mode: \"0660\"\n";
  }

  @Test
  void statusKickReloadCheck() throws Exception {
    user("add", "alice", "alice-pass");
    user("add", "bob", "bob-pass");
    try (CoatiProcess coati =
            new CoatiProcess(SRV, Netns.SRV_ADDR, dir, PSK, gateway("10.99.99.53"));
        Charon c =
            new Charon(
                CLI,
                dir.resolve("cli"),
                RemoteAccessIT.client(PSK, false, "alice", "alice-pass"),
                "")) {
      assertTrue(coati.log().contains("control socket " + socket), coati.log());
      assertEquals(
          "rw-rw----",
          java.nio.file.attribute.PosixFilePermissions.toString(
              Files.getPosixFilePermissions(socket)));
      String good = Files.readString(config);
      check(good);

      assertEquals("no sessions\n", ok("status").output());
      connect(c, coati);
      Netns.Result json = ok("status", "--json");
      String j = json.output();
      assertTrue(j.startsWith("[{\"kind\":\"xauth\""), j);
      assertTrue(j.contains("\"user\":\"alice\""), j);
      assertTrue(j.contains("\"address\":\"10.99.99.10\""), j);
      assertTrue(j.contains("\"auth\":\"psk+xauth\""), j);
      assertTrue(j.contains("\"public_address\":\"" + Netns.CLI_ADDR + ":"), j);
      // kernel-libipsec only does ESP in UDP: charon fakes its NAT-D, so coati sees a NAT
      assertTrue(j.contains("\"nat\":true"), j);
      assertTrue(j.contains("\"ike\":\"aes-cbc-256/sha2-256/modp-2048\""), j);
      assertTrue(j.contains("\"algorithms\":\"aes-cbc-128/hmac-sha1-96\""), j);
      assertTrue(j.contains("\"mode\":\"tunnel\""), j);
      String table = ok("status").output();
      assertTrue(table.contains("alice") && table.contains("10.99.99.10"), table);

      Netns.Result none = coati("kick", "nobody", "--socket", socket.toString());
      assertEquals(1, none.code(), none.output());
      assertTrue(none.output().contains("no session matches nobody"), none.output());
      Netns.Result kick = ok("kick", "alice");
      assertTrue(
          kick.output().contains("kicked ") && kick.output().contains("user alice"), kick.output());
      awaitGone(c, coati, "address released user=alice address=10.99.99.10\n");
      assertEquals("no sessions\n", ok("status").output());

      connect(c, coati);
      Files.writeString(config, good + "bogus: 1\n");
      Netns.Result refused = coati("reload", "--config", config.toString());
      assertEquals(1, refused.code(), refused.output());
      assertTrue(refused.output().contains("reload refused"), refused.output());
      assertTrue(refused.output().contains("coati.yaml:"), refused.output());
      assertTrue(coati.log().contains("reload: reload refused"), coati.log());
      assertTrue(ok("status", "--json").output().contains("\"user\":\"alice\""));
      Netns.Result bad = coati("check", "--config", config.toString());
      assertEquals(1, bad.code(), bad.output());
      assertTrue(
          bad.output().contains("coati.yaml:") && bad.output().contains("bogus"), bad.output());

      Files.writeString(config, good.replace("10.99.99.53", "10.99.99.54"));
      user("del", "alice", null);
      Netns.Result reloaded = ok("reload");
      assertTrue(reloaded.output().contains("reloaded " + config), reloaded.output());
      assertTrue(
          reloaded.output().contains("no longer in the users file: kicked"), reloaded.output());
      assertFalse(reloaded.output().contains("restart needed"), reloaded.output());
      awaitGone(c, coati, "address released user=alice address=10.99.99.10\n");
      assertEquals("no sessions\n", ok("status").output());

      Files.writeString(config, good.replace("coati0", "coati1"));
      Netns.run("kill", "-HUP", Long.toString(coati.pid()));
      for (int i = 0; i < 50 && !coati.log().contains("restart needed for: dataplane"); i++) {
        Thread.sleep(100);
      }
      assertTrue(coati.log().contains("restart needed for: dataplane"), coati.log());
      assertEquals(0, ok("status").code());
      coati.stop(); // SIGTERM
      assertFalse(Files.exists(socket), "the socket is gone with the gateway");
    }
    Netns.Result down = coati("status", "--socket", socket.toString());
    assertEquals(1, down.code(), down.output());
    assertTrue(down.output().contains("the gateway is not running"), down.output());
  }

  void connect(Charon c, CoatiProcess coati) throws Exception {
    Netns.Result up = c.swanctl("--initiate", "--child", "rw");
    assertEquals(0, up.code(), up.output() + coati.log() + c.log());
  }

  void awaitGone(Charon c, CoatiProcess coati, String logLine) throws Exception {
    for (int i = 0; i < 50 && c.swanctl("--list-sas").output().contains("ESTABLISHED"); i++) {
      Thread.sleep(100);
    }
    String sas = c.swanctl("--list-sas").output();
    assertFalse(sas.contains("ESTABLISHED"), "strongSwan got the Delete: " + sas + c.log());
    assertTrue(coati.log().contains(logLine), coati.log());
  }

  void check(String good) throws Exception {
    Netns.Result r = coati("check", "--config", config.toString());
    assertEquals(0, r.code(), r.output());
    // the test PSK is short on purpose: check says ok and warns about it (with file and line)
    assertTrue(r.output().contains("warning: the pre-shared key has 9 characters"), r.output());
    assertTrue(r.output().matches("(?s)(.*: warning: [^\n]*\n)+ok, \\d warnings?\n"), r.output());
  }

  Netns.Result ok(String verb, String... more) throws Exception {
    List<String> args = new ArrayList<>(List.of(verb));
    args.addAll(List.of(more));
    if (!verb.equals("check")) {
      args.addAll(List.of("--socket", socket.toString()));
    }
    Netns.Result r = coati(args.toArray(String[]::new));
    assertEquals(0, r.code(), r.output());
    return r;
  }

  void user(String verb, String name, String password) throws Exception {
    List<String> args =
        new ArrayList<>(List.of("user", verb, name, "--file", dir.resolve("users.txt").toString()));
    if (password != null) {
      args.add("--password-stdin");
    }
    Netns.Result r = run(password == null ? "" : password + "\n", args.toArray(String[]::new));
    assertEquals(0, r.code(), r.output());
  }

  static Netns.Result coati(String... args) throws Exception {
    return run("", args);
  }

  static Netns.Result run(String stdin, String... args) throws Exception {
    return CoatiProcess.cli(stdin, args);
  }
}
