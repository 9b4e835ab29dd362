package dev.coati.interop;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An unmodified strongSwan charon in the client namespace, with userspace ESP (kernel-libipsec) and
 * a private /run, driven through swanctl (recipe: shared/interop/strongswan/charon.sh).
 */
final class Charon implements AutoCloseable {
  private final Path dir;
  private final Process process;

  Charon(Path dir, String swanctlConf) throws Exception {
    this(Netns.CLI, dir, swanctlConf, "");
  }

  /** With {@code caCert} installed as a trusted CA (swanctl/x509ca, {@code cacerts = NAME}). */
  Charon(Path dir, String swanctlConf, Path caCert) throws Exception {
    this(Netns.CLI, installCa(dir, caCert), swanctlConf, "");
  }

  private static Path installCa(Path dir, Path caCert) throws IOException {
    Files.createDirectories(dir.resolve("swanctl/x509ca"));
    Files.copy(caCert, dir.resolve("swanctl/x509ca").resolve(caCert.getFileName()));
    return dir;
  }

  /**
   * A charon in namespace {@code ns} with {@code extra} added inside {@code charon { ... }} of its
   * strongswan.conf (sections of the same name are merged, e.g. {@code plugins { kernel-libipsec {
   * raw_esp = yes } }}).
   */
  Charon(String ns, Path dir, String swanctlConf, String extra) throws Exception {
    this.dir = dir;
    Files.createDirectories(dir.resolve("swanctl/x509"));
    Files.createDirectories(dir.resolve("swanctl/private"));
    Files.writeString(
        dir.resolve("strongswan.conf"),
        """
        charon {
          load_modular = no
          load = random nonce aes sha1 sha2 md5 hmac gmp openssl curve25519 kernel-libipsec kernel-netlink socket-default vici updown xauth-generic unity resolve pem pkcs1 pkcs8 x509 pubkey constraints revocation
          i_dont_care_about_security_and_use_aggressive_mode_psk = yes
          retransmit_tries = 3
          retransmit_timeout = 2
          retransmit_base = 1.5
          filelog { log { path = DIR/charon.log
                          append = no
                          flush_line = yes
                          default = 1
                          ike = 2 } }
          plugins { vici { socket = unix://DIR/charon.vici }
                    resolve { file = DIR/resolv.conf } }
          EXTRA
        }
        swanctl { socket = unix://DIR/charon.vici }
        """
            .replace("DIR", dir.toString())
            .replace("EXTRA", extra));
    Files.writeString(dir.resolve("swanctl/swanctl.conf"), swanctlConf);
    List<String> cmd =
        Netns.inNs(
            ns,
            "unshare",
            "-m",
            "--propagation",
            "private",
            "sh",
            "-c",
            "mount -t tmpfs tmpfs /run && exec env STRONGSWAN_CONF="
                + dir.resolve("strongswan.conf")
                + " /usr/lib/ipsec/charon");
    process =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("stdout").toFile())
            .start();
    Path vici = dir.resolve("charon.vici");
    for (int i = 0; i < 100 && !Files.exists(vici); i++) {
      Thread.sleep(50);
    }
    if (!Files.exists(vici)) {
      throw new IOException("charon did not start: " + Files.readString(dir.resolve("stdout")));
    }
    swanctl("--load-all", "--noprompt");
  }

  Netns.Result swanctl(String... args) throws IOException, InterruptedException {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "env",
                "STRONGSWAN_CONF=" + dir.resolve("strongswan.conf"),
                "SWANCTL_DIR=" + dir.resolve("swanctl"),
                "timeout",
                "30",
                "swanctl"));
    cmd.addAll(List.of(args));
    return Netns.tryRun(cmd.toArray(String[]::new));
  }

  String log() throws IOException {
    Path p = dir.resolve("charon.log");
    return Files.exists(p) ? Files.readString(p) : "";
  }

  /** SIGKILL: the peer dies without a word (no Delete), as when its host crashes. */
  void kill() throws InterruptedException {
    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    if (!process.waitFor(5, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
