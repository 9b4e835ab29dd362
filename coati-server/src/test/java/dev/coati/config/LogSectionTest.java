package dev.coati.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogSectionTest {
  @TempDir Path dir;

  private Path write(String yaml) throws Exception {
    Path psk = dir.resolve("psk.txt");
    Files.writeString(psk, "s3cret\n");
    Files.setPosixFilePermissions(psk, PosixFilePermissions.fromString("rw-------"));
    Path f = dir.resolve("coati.yaml");
    Files.writeString(f, yaml);
    return f;
  }

  @Test
  void formatTextByDefaultJsonOnRequest() throws Exception {
    assertEquals("text", ConfigLoader.load(write(ConfigLoaderTest.GOOD)).logFormat());
    assertEquals(
        "json",
        ConfigLoader.load(write(ConfigLoaderTest.GOOD + "log:\n  format: JSON\n")).logFormat());
  }

  @Test
  void badFormatNamesFileLineAndTheChoices() throws Exception {
    Path f = write(ConfigLoaderTest.GOOD + "log:\n  format: xml\n");
    String e = assertThrows(ConfigException.class, () -> ConfigLoader.load(f)).getMessage();
    assertTrue(e.contains("coati.yaml:"), e);
    assertTrue(e.contains("log.format: expected text (one line per event) or json"), e);
  }
}
