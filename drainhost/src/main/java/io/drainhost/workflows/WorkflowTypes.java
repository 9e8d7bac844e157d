package io.drainhost.workflows;

import io.temporal.common.VersioningBehavior;
import io.temporal.common.metadata.POJOWorkflowImplMetadata;
import io.temporal.common.metadata.POJOWorkflowMethodMetadata;
import io.temporal.workflow.WorkflowVersioningBehavior;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
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
