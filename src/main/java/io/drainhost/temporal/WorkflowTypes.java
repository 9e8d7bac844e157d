package io.drainhost.temporal;

import io.temporal.common.metadata.POJOWorkflowImplMetadata;
import io.temporal.common.metadata.POJOWorkflowMethodMetadata;
import java.lang.reflect.Type;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The workflow types registered on this host, by Temporal type name, with the parameter types of
 * their workflow methods (what an HTTP {@code input} must convert to).
 */
public final class WorkflowTypes {
  private final Map<String, WorkflowType> byName = new LinkedHashMap<>();

  /** One registered workflow type. */
  public record WorkflowType(String name, Type[] parameterTypes) {}

  public WorkflowTypes(List<Class<?>> implementationClasses) {
    for (Class<?> impl : implementationClasses) {
      for (POJOWorkflowMethodMetadata m :
          POJOWorkflowImplMetadata.newInstance(impl).getWorkflowMethods()) {
        byName.put(
            m.getName(), new WorkflowType(m.getName(), m.getWorkflowMethod().getGenericParameterTypes()));
      }
    }
  }

  public Optional<WorkflowType> find(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  public Set<String> names() {
    return byName.keySet();
  }
}
