#!/usr/bin/env bash
# A sample deploy step (CodeBuild, GitHub Actions, …) for one release of a drainhost service with
# Worker Versioning: one ECS service per build id (rainbow), moved by drainhost-deploy.
# Needs: the AWS CLI, jq, TEMPORAL_ADDRESS (+ TEMPORAL_NAMESPACE / TEMPORAL_API_KEY), and a role with
# ecs/drainhost-deploy-iam-policy.json plus ecs:RegisterTaskDefinition, ecs:CreateService and
# iam:PassRole for the task's roles.
set -euo pipefail
CLUSTER=${CLUSTER:?}; DEPLOYMENT=${DEPLOYMENT:?}; IMAGE=${IMAGE:?}   # IMAGE=…/orders@sha256:…
BUILD_ID=${BUILD_ID:-${IMAGE##*sha256:}}                             # the digest, as the host derives it

# 1. A task definition for this build: the host joins the version DEPLOYMENT / BUILD_ID.
TASK_DEF=$(jq --arg image "$IMAGE" --arg dep "$DEPLOYMENT" --arg build "$BUILD_ID" '
  .containerDefinitions[0].image = $image
  | .containerDefinitions[0].environment += [{"name": "DRAINHOST_DEPLOYMENT_NAME", "value": $dep},
                                             {"name": "DRAINHOST_BUILD_ID", "value": $build}]' \
  ecs/task-definition.json)
TASK_DEF_ARN=$(aws ecs register-task-definition --cli-input-json "$TASK_DEF" \
  --query taskDefinition.taskDefinitionArn --output text)

# 2. The version's own service, tagged so that drainhost-deploy finds it.
aws ecs create-service --cluster "$CLUSTER" --service-name "$DEPLOYMENT-${BUILD_ID:0:12}" \
  --task-definition "$TASK_DEF_ARN" --desired-count 2 \
  --tags key=drainhost:deployment,value="$DEPLOYMENT" key=drainhost:build-id,value="$BUILD_ID" \
  --cli-input-json "$(jq 'del(.serviceName, .taskDefinition, .desiredCount)' ecs/service-settings.json)"

# 3. Gate, ramp, promote; rolled back on its own when the new version fails while ramping.
#    Later, on a schedule: drainhost-deploy sunset (scales drained versions to 0, then deletes them).
java -jar drainhost-deploy.jar rollout --cluster "$CLUSTER" --deployment "$DEPLOYMENT" \
  --build-id "$BUILD_ID" --steps 10:5m,50:10m \
  --gate-workflow GreetingWorkflow --gate-input '{"name": "gate"}' --gate-task-queue drainhost
