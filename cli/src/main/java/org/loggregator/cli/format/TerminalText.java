package org.loggregator.cli.format;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Text from a log line made safe to print on a terminal: nothing it holds can move the cursor,
 * retitle, clear or reprogram the terminal, or reorder what follows it. Stateless.
 *
 * <p>Shown escaped: the C0 controls but tab ({@code \x00}–{@code \x1f}, newline and carriage return
 * included, since a caller hands over one line at a time), DEL ({@code \x7f}), the C1 controls
 * U+0080–U+009F ({@code \\u009b}), the Unicode line and paragraph separators and the bidirectional
 * embedding, override and isolate marks (U+202A–U+202E, U+2066–U+2069, {@code \\u202e}), and every
 * byte that is not part of valid UTF-8 ({@code \xff}). Everything else, tab and any other printable
 * character, is kept as it is. A backslash is not escaped, so a line that holds the text {@code
 * \x1b} prints the same as one that holds ESC: what matters is that the terminal never sees ESC.
 */
public final class TerminalText {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private TerminalText() {}

  /** Appends the UTF-8 {@code bytes[from, to)}, escaped as above. */
  public static void appendUtf8(byte[] bytes, int from, int to, StringBuilder out) {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes, from, to - from);
    CharBuffer chars = CharBuffer.allocate(Math.max(16, Math.min(to - from, 8192)));
    while (true) {
      CoderResult result = decoder.decode(in, chars, true);
      chars.flip();
      append(chars, out);
      chars.clear();
      if (result.isError()) {
        for (int i = 0; i < result.length(); i++) {
          hexByte(in.get(), out);
        }
      } else if (result.isUnderflow()) {
        break;
      }
    }
    decoder.flush(chars);
    chars.flip();
    append(chars, out);
  }

  /** Appends {@code text}, escaped as above. */
  public static StringBuilder append(CharSequence text, StringBuilder out) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if ((c < 0x20 && c != '\t') || c == 0x7F) {
        hexByte((byte) c, out);
      } else if (mustEscape(c)) {
        unicodeEscape(c, out);
      } else {
        out.append(c);
      }
    }
    return out;
  }

  /** {@code text} escaped as above. */
  public static String escape(CharSequence text) {
    return append(text, new StringBuilder(text.length() + 8)).toString();
  }

  /** C1 controls, line and paragraph separators, and the bidirectional formatting marks. */
  static boolean mustEscape(char c) {
    return (c >= 0x80 && c <= 0x9F)
        || c == 0x2028
        || c == 0x2029
        || (c >= 0x202A && c <= 0x202E)
        || (c >= 0x2066 && c <= 0x2069);
  }

  /** Appends {@code c} as {@code \\u} and four lower-case hex digits, as Java and JSON write it. */
  static void unicodeEscape(char c, StringBuilder out) {
    out.append("\\u")
        .append(HEX[(c >> 12) & 0xF])
        .append(HEX[(c >> 8) & 0xF])
        .append(HEX[(c >> 4) & 0xF])
        .append(HEX[c & 0xF]);
  }

  private static void hexByte(byte b, StringBuilder out) {
    out.append("\\x").append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
  }
}
