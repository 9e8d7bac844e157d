package io.drainhost.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A schema check costs time linear in the value: patterns run on RE2/J, with the API's reading of
 * them kept ({@code \\uXXXX}, {@code $} before a final newline), and a string past its length bound
 * is refused without running them.
 */
class SchemaCheckCostTest {
  static final ObjectMapper JSON = new ObjectMapper();

  /** The workflowId pattern: a character besides whitespace, no control characters. */
  static final String ID =
      "^[^\\u0000-\\u001F\\u007F]*[^\\u0000-\\u0020\\u007F][^\\u0000-\\u001F\\u007F]*$";

  static ObjectNode string(String pattern, Integer maxLength) {
    ObjectNode s = JSON.createObjectNode().put("type", "string").put("pattern", pattern);
    if (maxLength != null) {
      s.put("maxLength", maxLength);
    }
    return s;
  }

  @Test
  void aBacktrackingBombOfAMillionCharactersIsJudgedInLinearTime() {
    // java.util.regex took 3 s for 32k of these; the same check on a million stays far below.
    String bomb = "a".repeat(1_000_000) + "\u0001";
    long start = System.nanoTime();
    List<String> problems = SchemaCheck.problems(string(ID, null), TextNode.valueOf(bomb), "id");
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(ms < 5_000, "linear, not quadratic: " + ms + " ms");
  }

  @Test
  void aStringPastItsLengthBoundIsRefusedWithoutRunningItsPattern() {
    // A pattern RE2 would need long for is never run: only the length is reported.
    List<String> problems =
        SchemaCheck.problems(string(ID, 10), TextNode.valueOf("a".repeat(11) + "\u0001"), "id");
    assertEquals(List.of("id must have at most 10 characters"), problems);
  }

  @Test
  void theApisReadingOfAPatternIsKept() {
    ObjectNode id = string(ID, null);
    assertTrue(SchemaCheck.problems(id, TextNode.valueOf("order-1"), "id").isEmpty());
    assertFalse(SchemaCheck.problems(id, TextNode.valueOf("   "), "id").isEmpty());
    assertFalse(SchemaCheck.problems(id, TextNode.valueOf("a\u0007b"), "id").isEmpty());
    // $ is the end or before a final newline, as Python's re.search reads it.
    ObjectNode digits = string("^[0-9]+$", null);
    assertTrue(SchemaCheck.problems(digits, TextNode.valueOf("123\n"), "n").isEmpty());
    assertFalse(SchemaCheck.problems(digits, TextNode.valueOf("123\nx"), "n").isEmpty());
    assertFalse(SchemaCheck.problems(digits, TextNode.valueOf("123\n\n"), "n").isEmpty());
    // An escaped $ and one in a class stay literal; a class may start with ].
    assertTrue(SchemaCheck.problems(string("^a\\$$", null), TextNode.valueOf("a$"), "s").isEmpty());
    assertTrue(SchemaCheck.problems(string("^[$]$", null), TextNode.valueOf("$"), "s").isEmpty());
    assertTrue(
        SchemaCheck.problems(string("^[]a]+$", null), TextNode.valueOf("]a"), "s").isEmpty());
  }

  @Test
  void whatRe2CannotRunInLinearTimeIsRefusedWhenCompiled() {
    assertThrows(
        com.google.re2j.PatternSyntaxException.class, () -> LinearPattern.compile("(a)\\1"));
    assertThrows(
        com.google.re2j.PatternSyntaxException.class, () -> LinearPattern.compile("a(?=b)"));
  }

  @Test
  void infinityIsNoNumber() throws Exception {
    ObjectNode number = JSON.createObjectNode().put("type", "number").put("maximum", 10);
    assertEquals(
        List.of("x must be a finite number"),
        SchemaCheck.problems(number, JSON.readTree("1e400"), "x"));
    ObjectNode integer = JSON.createObjectNode().put("type", "integer");
    assertEquals(
        List.of("x must be a finite number"),
        SchemaCheck.problems(integer, JSON.readTree("-1e400"), "x"));
  }
}
