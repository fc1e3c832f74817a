package org.loggregator.cli.format;

import java.util.List;

/** The little JSON writing the command needs: string literals, string arrays, member names. */
public final class Json {

  private Json() {}

  /** Appends {@code "name":}. */
  public static StringBuilder member(StringBuilder json, String name) {
    return string(json, name).append(':');
  }

  /** Appends an array of string literals. */
  public static StringBuilder array(StringBuilder json, List<String> values) {
    json.append('[');
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        json.append(',');
      }
      string(json, values.get(i));
    }
    return json.append(']');
  }

  /**
   * Appends a JSON string literal, quotes included (RFC 8259 escaping); DEL, the C1 controls, the
   * line and paragraph separators and the bidirectional marks are written as {@code \\uXXXX} too,
   * which JSON allows, so that JSON on a terminal cannot control it either.
   */
  public static StringBuilder string(StringBuilder out, CharSequence value) {
    out.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x7F || TerminalText.mustEscape(c)) {
            TerminalText.unicodeEscape(c, out);
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"');
  }
}
