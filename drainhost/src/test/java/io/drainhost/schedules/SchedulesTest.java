package io.drainhost.schedules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.drainhost.workflows.WorkflowTypes;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SchedulesTest {
  @WorkflowInterface
  public interface Count {
    @WorkflowMethod
    int count(int upTo);
  }

  public static class CountImpl implements Count {
    @Override
    public int count(int upTo) {
      return upTo;
    }
  }

  static final WorkflowTypes TYPES = new WorkflowTypes(Map.of("q", List.of(CountImpl.class)));

  @Test
  void aDeclarationMustNameARegisteredTypeAndGiveItAnInputItTakes() {
    InvalidSchedulesException e =
        assertThrows(
            InvalidSchedulesException.class,
            () ->
                Schedules.of(
                    List.of(
                        ScheduleDeclaration.every("a", "Nope", Duration.ofMinutes(1)),
                        ScheduleDeclaration.every("b", "Count", Duration.ofMinutes(1))
                            .withInput(JsonNodeFactory.instance.textNode("many")),
                        ScheduleDeclaration.every("c", "Count", Duration.ofMinutes(1))
                            .withInput(JsonNodeFactory.instance.numberNode(3)),
                        ScheduleDeclaration.every("c", "Count", Duration.ofMinutes(2))
                            .withInput(JsonNodeFactory.instance.numberNode(3))),
                    TYPES,
                    new ObjectMapper()));
    assertEquals(
        List.of(
            "schedule 'c': id is declared twice",
            "schedule 'a': workflowType 'Nope' is not registered on this host; registered: Count",
            "schedule 'b': input must be a whole number from -2147483648 to 2147483647"),
        e.problems());
  }
}
