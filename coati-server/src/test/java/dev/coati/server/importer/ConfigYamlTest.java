package dev.coati.server.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Scalars read back as the same strings; the tunnel address lies in the pool's prefix, outside it.
 */
class ConfigYamlTest {
  @Test
  void scalarsReadBackAsTheSameString() {
    Load load = new Load(LoadSettings.builder().build());
    for (String v :
        List.of(
            "192.0.2.1",
            "10.0.0.1-10.0.0.9",
            "8",
            "1.5",
            "yes",
            "off",
            "null",
            "a: b",
            "#not a comment",
            "x\ny",
            "quote\"d",
            "back\\slash",
            " lead",
            "trail ",
            "vpngroup",
            "fqdn:vpn.example.com",
            "[1]",
            "{a}",
            "*star",
            "&anchor",
            "%any",
            "@id")) {
      String s = ConfigYaml.scalar(v);
      assertEquals(
          v,
          load.loadFromString("k: " + s)
              .toString()
              .replaceFirst("^\\{k=", "")
              .replaceFirst("}$", ""),
          "rendered as " + s);
    }
    assertEquals("192.0.2.1", ConfigYaml.scalar("192.0.2.1"), "addresses stay plain");
    assertEquals("\"8\"", ConfigYaml.scalar("8"));
  }

  @Test
  void tunnelAddressInThePrefixOutsideThePool() {
    ImportedConfig c = new ImportedConfig();
    c.pool = "10.99.99.1-10.99.99.253";
    assertEquals("10.99.99.254/24", ConfigYaml.tunAddress(c));
    c.pool = "10.66.0.10-10.66.0.59";
    assertEquals("10.66.0.1/24", ConfigYaml.tunAddress(c));
    c.pool = "10.1.0.0/24";
    assertEquals("10.1.0.255/23", ConfigYaml.tunAddress(c), "a full /24 pool needs a wider prefix");
    c.pool = "10.2.0.1-10.2.1.200";
    assertEquals("10.2.1.201/23", ConfigYaml.tunAddress(c));
    c.pool = "192.168.200.2-192.168.200.32";
    c.tunAddress = "192.168.200.1";
    assertEquals("192.168.200.1/24", ConfigYaml.tunAddress(c), "xl2tpd's local ip is kept");
    c.pool = null;
    c.tunAddress = null;
    assertNull(ConfigYaml.tunAddress(c));
  }
}
