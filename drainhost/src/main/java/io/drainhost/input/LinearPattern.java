package io.drainhost.input;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

/**
 * A schema's pattern, as the API's description states it (ECMAScript syntax, read as Python's
 * {@code re.search} reads it: {@code $} is the end or before a final {@code \n}), compiled for
 * RE2/J, whose time is linear in the text whatever the pattern: a request cannot buy a core with a
 * crafted string. What RE2 cannot do in linear time (look-arounds, back-references) is refused when
 * the pattern is compiled, at the host's start.
 */
final class LinearPattern {
  private LinearPattern() {}

  /** Compiles {@code regex}; throws {@link PatternSyntaxException} naming what RE2 refuses. */
  static Pattern compile(String regex) {
    return Pattern.compile(translate(regex));
  }

  /**
   * ECMAScript's {@code \}{@code uXXXX} is RE2's {@code \x{XXXX}}; an unescaped {@code $} outside a
   * class is the end, or a final newline and then the end.
   */
  static String translate(String regex) {
    StringBuilder out = new StringBuilder(regex.length() + 16);
    boolean inClass = false;
    for (int i = 0; i < regex.length(); i++) {
      char c = regex.charAt(i);
      if (c == '\\' && i + 1 < regex.length()) {
        char next = regex.charAt(i + 1);
        if (next == 'u' && i + 5 < regex.length() && isHex(regex, i + 2, 4)) {
          out.append("\\x{").append(regex, i + 2, i + 6).append('}');
          i += 5;
        } else {
          out.append(c).append(next);
          i++;
        }
      } else if (inClass) {
        out.append(c);
        if (c == ']') {
          inClass = false;
        }
      } else if (c == '[') {
        out.append(c);
        inClass = true;
        // A ']' right after '[' or '[^' is a member, not the end.
        if (i + 1 < regex.length() && regex.charAt(i + 1) == '^') {
          out.append('^');
          i++;
        }
        if (i + 1 < regex.length() && regex.charAt(i + 1) == ']') {
          out.append(']');
          i++;
        }
      } else if (c == '$') {
        out.append("(?:\\n?\\z)");
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static boolean isHex(String s, int from, int count) {
    for (int i = from; i < from + count; i++) {
      if (Character.digit(s.charAt(i), 16) < 0) {
        return false;
      }
    }
    return true;
  }
}
