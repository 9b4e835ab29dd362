package dev.coati.interop;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * vpnc as a road warrior (aggressive mode, group {@code vpngroup} PSK + Xauth alice, userspace ESP
 * on its own TUN, no DPD): its configuration and a script that records each call in {@code
 * env.<reason>} and routes the gateway's TUN address through the tunnel.
 */
final class Vpnc {
  private Vpnc() {}

  /** Writes {@code vpnc.conf} and {@code vpnc-script} in {@code dir}; returns the conf. */
  static Path config(Path dir, String psk, String ifName) throws Exception {
    Path script = dir.resolve("vpnc-script");
    Files.writeString(
        script,
        """
        #!/bin/sh
        env | grep -E '^(reason|TUNDEV|INTERNAL_IP4_ADDRESS)=' > DIR/env.$reason
        if [ "$reason" = connect ]; then
          ip link set dev "$TUNDEV" up mtu 1300
          ip addr add "$INTERNAL_IP4_ADDRESS/32" dev "$TUNDEV"
          ip route replace 10.99.99.1/32 dev "$TUNDEV" src "$INTERNAL_IP4_ADDRESS"
        fi
        touch DIR/done.$reason
        exit 0
        """
            .replace("DIR", dir.toString()));
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    Path conf = dir.resolve("vpnc.conf");
    Files.writeString(
        conf,
        String.join(
            "\n",
            "IPSec gateway " + Netns.SRV_ADDR,
            "IPSec ID vpngroup",
            "IPSec secret " + psk,
            "Xauth username alice",
            "Xauth password alice-pass",
            "IKE Authmode psk",
            "IKE DH Group dh2",
            "Perfect Forward Secrecy nopfs",
            "NAT Traversal Mode natt",
            "DPD idle timeout (our side) 0",
            "Interface name " + ifName,
            "Interface mode tun",
            "Pidfile " + dir.resolve("vpnc.pid"),
            "Script " + script,
            "No Detach",
            "Debug 1",
            ""));
    Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-------"));
    return conf;
  }

  /** Waits (20 s at most) for vpnc's connect call; its virtual address. */
  static String awaitConnect(Path dir, CoatiProcess coati) throws Exception {
    Path env = dir.resolve("env.connect");
    Path done = dir.resolve("done.connect"); // the script routed the tunnel
    for (int i = 0; i < 200 && !Files.exists(done); i++) {
      Thread.sleep(100);
    }
    assertTrue(Files.exists(done), log(dir) + "\n" + coati.log());
    return Files.readString(env)
        .lines()
        .filter(l -> l.startsWith("INTERNAL_IP4_ADDRESS="))
        .findFirst()
        .orElseThrow()
        .substring("INTERNAL_IP4_ADDRESS=".length());
  }

  static String log(Path dir) throws Exception {
    Path p = dir.resolve("vpnc.log");
    return Files.exists(p) ? Files.readString(p) : "";
  }
}
