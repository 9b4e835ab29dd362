package dev.coati.config;

import dev.coati.crypto.EspProposalSpec;
import dev.coati.crypto.IkeProposalSpec;
import dev.coati.crypto.ProposalParser;
import dev.coati.crypto.Secret;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * The {@code client:} section of a profile file for {@code coati connect}: a file may hold other
 * sections (a gateway's own configuration), only {@code client:} is read. Paths are relative to the
 * file's directory; secrets come from 0600 files. Every error names file, line and key.
 */
public final class ClientSection {
  static final Set<String> KEYS =
      Set.of(
          "gateway",
          "auth",
          "mode",
          "group",
          "psk_file",
          "ca",
          "certificate",
          "private_key",
          "user",
          "password_file",
          "ike_proposals",
          "esp_proposals",
          "nat_traversal",
          "dpd",
          "ike_fragment_size",
          "esp_fragment_size",
          "tun",
          "mtu",
          "dns",
          "up",
          "down",
          "control_socket");

  /** The defaults with no profile at all: PSK + Xauth in aggressive mode needs a psk_file. */
  public static final ClientProfile DEFAULT =
      new ClientProfile(
          null,
          "psk-xauth",
          true,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          ProposalParser.parseIke(GatewayConfig.DEFAULT_IKE, true),
          ProposalParser.parseEsp(GatewayConfig.defaultEsp(true), true),
          false,
          20,
          GatewayConfig.DEFAULT_IKE_FRAGMENT_SIZE,
          0,
          "coati-c0",
          1400,
          "auto",
          null,
          null,
          null);

  private ClientSection() {}

  /** The {@code client:} section of {@code file}. */
  public static ClientProfile load(Path file) throws ConfigException {
    YamlNode root = YamlNode.read(file);
    Path dir = file.toAbsolutePath().getParent();
    if (root.node() instanceof MappingNode m) {
      for (NodeTuple t : m.getValue()) {
        if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals("client")) {
          return parse(new YamlNode(root.file(), "client", t.getValueNode(), root.accepted()), dir);
        }
      }
    }
    throw root.error("no client: section (see coati connect --help for an example)");
  }

  static ClientProfile parse(YamlNode n, Path dir) throws ConfigException {
    ClientProfile d = DEFAULT;
    String gateway = null;
    String auth = d.auth();
    boolean aggressive = d.aggressive();
    String group = null;
    Secret psk = null;
    Path ca = null;
    Path cert = null;
    Path key = null;
    String user = null;
    Path passwordFile = null;
    List<IkeProposalSpec> ike = d.ikeProposals();
    List<EspProposalSpec> esp = d.espProposals();
    boolean force = false;
    long dpd = d.dpdSeconds();
    int ikeFrag = d.ikeFragmentSize();
    int espFrag = 0;
    String tun = d.tun();
    int mtu = d.mtu();
    String dns = d.dns();
    Path up = null;
    Path down = null;
    Path socket = null;
    YamlNode authNode = n;
    for (YamlNode e : n.entries(KEYS)) {
      switch (e.key()) {
        case "gateway" -> gateway = e.string().strip();
        case "auth" -> {
          auth = oneOf(e, "psk-xauth", "hybrid-rsa", "rsa-xauth");
          authNode = e;
        }
        case "mode" -> aggressive = oneOf(e, "aggressive", "main").equals("aggressive");
        case "group" -> group = e.string().strip();
        case "psk_file" -> psk = ConfigLoader.secretFile(e, dir);
        case "ca" -> ca = file(e, dir);
        case "certificate" -> cert = file(e, dir);
        case "private_key" -> key = file(e, dir);
        case "user" -> user = e.string().strip();
        case "password_file" -> passwordFile = dir.resolve(e.string().strip());
        case "ike_proposals" -> ike = ike(e);
        case "esp_proposals" -> esp = esp(e);
        case "nat_traversal" -> force = oneOf(e, "auto", "force").equals("force");
        case "dpd" -> dpd = e.seconds();
        case "ike_fragment_size" -> ikeFrag = e.fragmentSize();
        case "esp_fragment_size" -> espFrag = e.fragmentSize();
        case "tun" -> tun = tunName(e);
        case "mtu" -> mtu = e.integer(576, 9000, "bytes");
        case "dns" -> dns = oneOf(e, "auto", "resolved", "resolvconf", "file", "off");
        case "up" -> up = dir.resolve(e.string().strip());
        case "down" -> down = dir.resolve(e.string().strip());
        default -> socket = dir.resolve(e.string().strip());
      }
    }
    if (auth.equals("psk-xauth") && psk == null) {
      throw authNode.error("psk-xauth needs psk_file: (a 0600 file holding the group key)");
    }
    if (!auth.equals("psk-xauth") && ca == null) {
      throw authNode.error(auth + " needs ca: (the CA certificate that signed the gateway's)");
    }
    if (auth.equals("rsa-xauth") && (cert == null || key == null)) {
      throw authNode.error("rsa-xauth needs certificate: and private_key: (yours)");
    }
    return new ClientProfile(
        gateway,
        auth,
        aggressive,
        group,
        psk,
        ca,
        cert,
        key,
        user,
        passwordFile,
        ike,
        esp,
        force,
        dpd,
        ikeFrag,
        espFrag,
        tun,
        mtu,
        dns,
        up,
        down,
        socket);
  }

  private static String oneOf(YamlNode e, String... allowed) throws ConfigException {
    String v = e.string().strip();
    for (String a : allowed) {
      if (a.equals(v)) {
        return v;
      }
    }
    throw e.error("expected one of " + String.join(", ", allowed) + ", not '" + v + "'");
  }

  private static Path file(YamlNode e, Path dir) throws ConfigException {
    Path p = dir.resolve(e.string().strip());
    if (!p.toFile().canRead()) {
      throw e.error("cannot read " + p + "; give the path of an existing PEM file");
    }
    return p;
  }

  private static String tunName(YamlNode e) throws ConfigException {
    String v = e.string().strip();
    if (!v.matches("[A-Za-z0-9_.-]{1,15}")) {
      throw e.error("expected an interface name of 1 to 15 letters, digits, . _ or -");
    }
    return v;
  }

  private static List<IkeProposalSpec> ike(YamlNode e) throws ConfigException {
    try {
      return ProposalParser.parseIke(String.join(",", e.strings()), true);
    } catch (IllegalArgumentException x) {
      throw e.error(x.getMessage() + " (e.g. aes128-sha1-modp1024)");
    }
  }

  private static List<EspProposalSpec> esp(YamlNode e) throws ConfigException {
    try {
      return ProposalParser.parseEsp(String.join(",", e.strings()), true);
    } catch (IllegalArgumentException x) {
      throw e.error(x.getMessage() + " (e.g. aes128-sha1)");
    }
  }
}
