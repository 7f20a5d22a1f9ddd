#!/bin/bash
# launch-workflow.sh

AWX_HOST="https://awx.example.com"
AWX_TOKEN="your-api-token"
WORKFLOW_ID=5

# Launch workflow with extra variables
curl -X POST \
  "${AWX_HOST}/api/v2/workflow_job_templates/${WORKFLOW_ID}/launch/" \
  -H "Authorization: Bearer ${AWX_TOKEN}" \
  -H "Content-Type: application/json" \
  -d '{
    "extra_vars": {
      "app_version": "v2.1.0",
      "target_env": "production"
    }
  }'
