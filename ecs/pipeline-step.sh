#!/usr/bin/env bash
# A deploy step (CodeBuild, GitHub Actions, …) for one release of a drainhost service with Worker
# Versioning: one command from the image to current. drainhost-deploy registers the version's task
# definition and creates its service from the current version's (the first release from
# the files given, with the account's subnets, security groups and target group), copies its autoscaling, waits for its pollers, runs a gate pinned to it
# at every ramp step, ramps, and makes it current. A release that does not make it (its replay gate
# refuses it, a gate fails, a step's failure rate is too high) gets no traffic and ends at 0 tasks
# once Temporal says it is idle: exit 3. A namespace, cluster or build id that does not match what
# ECS and Temporal say is refused before any change: exit 2.
# Needs: Java 17+, TEMPORAL_ADDRESS (+ TEMPORAL_NAMESPACE / TEMPORAL_API_KEY), and the stack's
# DeployRole (ecs/drainhost-deploy-iam-policy.json with its placeholders filled, without the stack).
set -euo pipefail
CLUSTER=${CLUSTER:?}; DEPLOYMENT=${DEPLOYMENT:?}; IMAGE=${IMAGE:?}   # IMAGE=…/orders@sha256:…
# First release only (no current version): its files and the account's network and target group,
# --task-definition ecs/task-definition.json --service-settings ecs/service-settings.json
# --subnets … --security-groups … --target-group-arn …; a first release without them is refused.
FIRST_RELEASE_FLAGS=${FIRST_RELEASE_FLAGS:-}

# shellcheck disable=SC2086
java -jar drainhost-deploy.jar deploy --cluster "$CLUSTER" --deployment "$DEPLOYMENT" \
  --image "$IMAGE" --steps 10:5m,50:10m \
  --step-gate GreetingWorkflow --gate-input '{"name": "gate"}' --gate-task-queue drainhost \
  --max-failure-rate 0.05 --rollback-window 30m $FIRST_RELEASE_FLAGS

# Later, on a schedule: drainhost-deploy sunset retires drained versions and failed releases
# (autoscaling first, then the service to 0, then deleted), never one with open pinned runs.
