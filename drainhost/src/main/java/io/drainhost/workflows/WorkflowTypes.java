package io.drainhost.workflows;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.drainhost.input.InputSchema;
import io.drainhost.input.SchemaCheck;
import io.drainhost.input.ValidatedInput;
import io.temporal.common.VersioningBehavior;
import io.temporal.common.metadata.POJOWorkflowImplMetadata;
import io.temporal.common.metadata.POJOWorkflowMethodMetadata;
import io.temporal.workflow.WorkflowVersioningBehavior;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The workflow types registered on this host, by Temporal type name, with the parameter types of
 * their workflow methods (what an HTTP {@code input} must convert to) and the task queue of the
 * worker that runs them (where a start through the API puts the execution).
 */
public final class WorkflowTypes {
  private final Map<String, WorkflowType> byName = new LinkedHashMap<>();
  private final Map<String, List<ObjectNode>> parameterSchemas = new LinkedHashMap<>();

  /** One registered workflow type. */
  /**
   * @param versioningBehavior the implementation's {@code @WorkflowVersioningBehavior}, if it has
   *     one ({@code pinned}, {@code auto_upgrade})
   */
  public record WorkflowType(
      String name, Type[] parameterTypes, String taskQueue, Optional<String> versioningBehavior) {}

  /**
   * The types of the workflow implementation classes registered on each task queue. Throws {@link
   * IllegalArgumentException} when one type is registered on two task queues.
   */
  public WorkflowTypes(Map<String, List<Class<?>>> implementationsByTaskQueue) {
    for (Map.Entry<String, List<Class<?>>> worker : implementationsByTaskQueue.entrySet()) {
      for (Class<?> impl : worker.getValue()) {
        for (POJOWorkflowMethodMetadata m :
            POJOWorkflowImplMetadata.newInstance(impl).getWorkflowMethods()) {
          WorkflowType type =
              new WorkflowType(
                  m.getName(),
                  m.getWorkflowMethod().getGenericParameterTypes(),
                  worker.getKey(),
                  annotatedBehavior(impl, m.getWorkflowMethod()));
          parameterSchemas.put(m.getName(), schemas(m.getName(), type.parameterTypes()));
          WorkflowType before = byName.put(m.getName(), type);
          if (before != null && !before.taskQueue().equals(type.taskQueue())) {
            throw new IllegalArgumentException(
                "workflow type "
                    + m.getName()
                    + " is registered on two task queues ("
                    + before.taskQueue()
                    + ", "
                    + type.taskQueue()
                    + "): a start through the API"
                    + " could not tell which one to use");
          }
        }
      }
    }
  }

  private static List<ObjectNode> schemas(String typeName, Type[] parameterTypes) {
    List<ObjectNode> schemas = new ArrayList<>();
    for (Type t : parameterTypes) {
      try {
        schemas.add(InputSchema.of(t));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("workflow type " + typeName + ": " + e.getMessage(), e);
      }
    }
    return List.copyOf(schemas);
  }

  /**
   * The JSON Schema of a start's {@code input} for this type; empty when it takes none. A workflow
   * method with several parameters takes an array of that many values: OpenAPI 3.0 cannot describe
   * each position, so that array is described by its length only (each value is still checked).
   */
  public Optional<ObjectNode> inputSchema(String name) {
    List<ObjectNode> schemas = parameterSchemas.getOrDefault(name, List.of());
    if (schemas.isEmpty()) {
      return Optional.empty();
    }
    if (schemas.size() == 1) {
      return Optional.of(schemas.get(0));
    }
    ObjectNode array = JsonNodeFactory.instance.objectNode();
    array.put("type", "array").put("minItems", schemas.size()).put("maxItems", schemas.size());
    array.putObject("items");
    return Optional.of(array);
  }

  /**
   * The workflow method's arguments from a JSON {@code input} ({@code null} or JSON null when none
   * is given): checked against {@link #inputSchema}, converted without coercion by {@code mapper},
   * then by the input type's own {@link ValidatedInput} rules. Throws {@link InvalidInputException}
   * listing every problem.
   */
  public Object[] arguments(WorkflowType type, JsonNode input, ObjectMapper mapper) {
    List<ObjectNode> schemas = parameterSchemas.get(type.name());
    boolean absent = input == null || input.isNull() || input.isMissingNode();
    if (schemas.isEmpty()) {
      if (!absent) {
        throw new InvalidInputException(
            List.of("input is given but workflowType '" + type.name() + "' takes none"));
      }
      return new Object[0];
    }
    if (absent) {
      throw new InvalidInputException(
          List.of("input is required for workflowType '" + type.name() + "'"));
    }
    List<JsonNode> values = new ArrayList<>();
    if (schemas.size() == 1) {
      values.add(input);
    } else if (input.isArray() && input.size() == schemas.size()) {
      input.forEach(values::add);
    } else {
      throw new InvalidInputException(
          List.of(
              "input must be an array of "
                  + schemas.size()
                  + " values for workflowType '"
                  + type.name()
                  + "'"));
    }
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < values.size(); i++) {
      problems.addAll(
          SchemaCheck.problems(
              schemas.get(i), values.get(i), schemas.size() == 1 ? "input" : "input[" + i + "]"));
    }
    if (!problems.isEmpty()) {
      throw new InvalidInputException(problems);
    }
    Object[] args = new Object[values.size()];
    for (int i = 0; i < args.length; i++) {
      JavaType javaType = mapper.getTypeFactory().constructType(type.parameterTypes()[i]);
      try {
        args[i] = mapper.convertValue(values.get(i), javaType);
      } catch (IllegalArgumentException e) {
        throw new InvalidInputException(
            List.of(
                "input does not match the parameter of workflowType '"
                    + type.name()
                    + "' ("
                    + javaType.getRawClass().getSimpleName()
                    + ")"));
      }
      if (args[i] instanceof ValidatedInput validated) {
        problems.addAll(validated.problems());
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidInputException(problems);
    }
    return args;
  }

  private static Optional<String> annotatedBehavior(Class<?> impl, Method method) {
    try {
      WorkflowVersioningBehavior a =
          impl.getMethod(method.getName(), method.getParameterTypes())
              .getAnnotation(WorkflowVersioningBehavior.class);
      if (a == null || a.value() == VersioningBehavior.UNSPECIFIED) {
        return Optional.empty();
      }
      return Optional.of(a.value().name().toLowerCase(java.util.Locale.ROOT));
    } catch (NoSuchMethodException e) {
      return Optional.empty();
    }
  }

  public Optional<WorkflowType> find(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  public Set<String> names() {
    return byName.keySet();
  }

  /** The type names registered on each task queue. */
  public Map<String, Set<String>> namesByTaskQueue() {
    Map<String, Set<String>> byQueue = new LinkedHashMap<>();
    byName
        .values()
        .forEach(
            t ->
                byQueue
                    .computeIfAbsent(t.taskQueue(), q -> new java.util.LinkedHashSet<>())
                    .add(t.name()));
    return byQueue;
  }
}
