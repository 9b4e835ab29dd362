package dev.coati.server.cli;

import java.io.ByteArrayOutputStream;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Where {@code coati user add|passwd} gets the new password: the terminal, or stdin. */
@FunctionalInterface
interface PasswordInput {
  /** The password as UTF-8 bytes (never empty); the caller zeroes it after use. */
  byte[] read(String user) throws IOException, CommandException;

  /** The first line of {@code in} (for {@code --password-stdin}), without its line end. */
  static PasswordInput stdin(InputStream in) {
    return user -> {
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      int c;
      while ((c = in.read()) >= 0 && c != '\n') {
        buf.write(c);
      }
      byte[] b = buf.toByteArray();
      int n = b.length > 0 && b[b.length - 1] == '\r' ? b.length - 1 : b.length;
      byte[] out = Arrays.copyOf(b, n);
      Arrays.fill(b, (byte) 0);
      return nonEmpty(out);
    };
  }

  /** Asks twice on the terminal without echo. */
  static PasswordInput console() {
    return user -> {
      Console con = System.console();
      if (con == null || !con.isTerminal()) {
        throw new CommandException(
            2, "no terminal to read the password from; pipe it in with --password-stdin");
      }
      char[] a = con.readPassword("New password for %s: ", user);
      char[] b = con.readPassword("Repeat the password: ");
      try {
        if (a == null || b == null || !Arrays.equals(a, b)) {
          throw new CommandException(1, "the passwords do not match; nothing changed");
        }
        return nonEmpty(utf8(a));
      } finally {
        if (a != null) {
          Arrays.fill(a, '\0');
        }
        if (b != null) {
          Arrays.fill(b, '\0');
        }
      }
    };
  }

  private static byte[] utf8(char[] chars) {
    ByteBuffer bb = StandardCharsets.UTF_8.encode(CharBuffer.wrap(chars));
    byte[] out = new byte[bb.remaining()];
    bb.get(out);
    if (bb.hasArray()) {
      Arrays.fill(bb.array(), (byte) 0);
    }
    return out;
  }

  private static byte[] nonEmpty(byte[] pw) throws CommandException {
    if (pw.length == 0) {
      throw new CommandException(1, "the password is empty; nothing changed");
    }
    return pw;
  }
}
