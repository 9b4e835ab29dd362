package dev.coati.server.importer;

import java.util.ArrayList;
import java.util.List;

/**
 * The statement tree of a brace-structured configuration file: racoon.conf ({@code word word;} and
 * {@code word { ... }}) and swanctl.conf ({@code key = value} and {@code name { ... }}). Comments
 * start with {@code #}; double-quoted strings are one word.
 */
final class BraceConfig {
  /** A statement: its words, the line it starts on, and its block (null for a simple one). */
  record Stmt(List<String> words, int line, List<Stmt> body) {
    String head() {
      return words.isEmpty() ? "" : words.get(0);
    }

    /** The words after the head, with commas removed ("aes, 3des" and "aes,3des" alike). */
    List<String> args() {
      List<String> out = new ArrayList<>();
      for (String w : words.subList(Math.min(1, words.size()), words.size())) {
        for (String part : w.split(",")) {
          if (!part.isBlank()) {
            out.add(part.trim());
          }
        }
      }
      return out;
    }

    String arg(int i) {
      List<String> a = args();
      return i < a.size() ? a.get(i) : null;
    }

    String text() {
      return String.join(" ", words);
    }
  }

  /** A malformed file: unbalanced braces or an unterminated string. */
  static final class SyntaxException extends Exception {
    SyntaxException(String message) {
      super(message);
    }
  }

  /** The statements of a block; none for a simple statement. */
  static List<Stmt> children(Stmt s) {
    return s.body() == null ? List.of() : s.body();
  }

  private record Token(String text, boolean quoted, int line) {}

  private BraceConfig() {}

  /**
   * Parses the file. With {@code newlineEnds} (swanctl) a line end closes a statement as a {@code
   * ;} does (racoon needs the {@code ;}); {@code =} is dropped between key and value.
   */
  static List<Stmt> parse(String text, boolean newlineEnds) throws SyntaxException {
    return parse(text, newlineEnds, newlineEnds);
  }

  /**
   * As {@link #parse(String, boolean)}, with {@code dropEquals} choosing whether {@code =}
   * separates key and value (swanctl) or is part of a word (SoftEther's base64 values).
   */
  static List<Stmt> parse(String text, boolean newlineEnds, boolean dropEquals)
      throws SyntaxException {
    List<Token> tokens = tokenize(text, newlineEnds, dropEquals);
    int[] pos = {0};
    List<Stmt> top = block(tokens, pos, 0);
    if (pos[0] < tokens.size()) {
      throw new SyntaxException(
          "line " + tokens.get(pos[0]).line() + ": '}' without a matching '{'");
    }
    return top;
  }

  private static List<Stmt> block(List<Token> tokens, int[] pos, int depth) throws SyntaxException {
    List<Stmt> out = new ArrayList<>();
    List<String> words = new ArrayList<>();
    int line = 0;
    while (pos[0] < tokens.size()) {
      Token t = tokens.get(pos[0]++);
      if (!t.quoted() && t.text().equals("}")) {
        if (depth == 0) {
          pos[0]--;
          break;
        }
        flush(out, words, line);
        return out;
      }
      if (!t.quoted() && t.text().equals("{")) {
        int at = words.isEmpty() ? t.line() : line;
        List<Stmt> body = block(tokens, pos, depth + 1);
        out.add(new Stmt(List.copyOf(words), at, body));
        words.clear();
        continue;
      }
      if (!t.quoted() && t.text().equals(";")) {
        flush(out, words, line);
        continue;
      }
      if (words.isEmpty()) {
        line = t.line();
      }
      words.add(t.text());
    }
    if (depth > 0) {
      throw new SyntaxException("a block opened with '{' is not closed at the end of the file");
    }
    flush(out, words, line);
    return out;
  }

  private static void flush(List<Stmt> out, List<String> words, int line) {
    if (!words.isEmpty()) {
      out.add(new Stmt(List.copyOf(words), line, null));
      words.clear();
    }
  }

  private static List<Token> tokenize(String text, boolean newlineEnds, boolean dropEquals)
      throws SyntaxException {
    List<Token> out = new ArrayList<>();
    int line = 1;
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '\n') {
        if (newlineEnds) {
          out.add(new Token(";", false, line));
        }
        line++;
        i++;
      } else if (Character.isWhitespace(c) || (dropEquals && c == '=')) {
        i++;
      } else if (c == '#') {
        while (i < text.length() && text.charAt(i) != '\n') {
          i++;
        }
      } else if (c == '"') {
        int end = text.indexOf('"', i + 1);
        if (end < 0) {
          throw new SyntaxException("line " + line + ": a string is not closed with '\"'");
        }
        out.add(new Token(text.substring(i + 1, end), true, line));
        line += (int) text.substring(i, end).chars().filter(ch -> ch == '\n').count();
        i = end + 1;
      } else if (c == '{' || c == '}' || c == ';') {
        out.add(new Token(String.valueOf(c), false, line));
        i++;
      } else {
        int start = i;
        while (i < text.length()) {
          char d = text.charAt(i);
          if (Character.isWhitespace(d)
              || d == '{'
              || d == '}'
              || d == ';'
              || d == '"'
              || d == '#'
              || (dropEquals && d == '=')) {
            break;
          }
          i++;
        }
        out.add(new Token(text.substring(start, i), false, line));
      }
    }
    return out;
  }
}
