# workflow_metrics.py
"""
Export AWX workflow metrics to monitoring system
"""
import requests
from prometheus_client import Gauge, Counter, Histogram
from typing import Dict, Any

# Define Prometheus metrics
workflow_duration = Histogram(
    'awx_workflow_duration_seconds',
    'Workflow execution duration',
    ['workflow_name', 'status']
)

workflow_runs = Counter(
    'awx_workflow_runs_total',
    'Total workflow runs',
    ['workflow_name', 'status']
)

workflow_node_failures = Counter(
    'awx_workflow_node_failures_total',
    'Workflow node failures',
    ['workflow_name', 'node_name']
)

active_workflows = Gauge(
    'awx_active_workflows',
    'Currently running workflows',
    ['workflow_name']
)


class WorkflowMetricsCollector:
    """Collect metrics from AWX workflow jobs"""

    def __init__(self, awx_host: str, awx_token: str):
        self.host = awx_host.rstrip('/')
        self.session = requests.Session()
        self.session.headers['Authorization'] = f'Bearer {awx_token}'

    def collect_workflow_metrics(self, workflow_job_id: int) -> None:
        """Collect metrics for a completed workflow job"""

        # Get workflow job details
        job = self._get_workflow_job(workflow_job_id)
        workflow_name = job['name']
        status = job['status']

        # Record workflow run
        workflow_runs.labels(
            workflow_name=workflow_name,
            status=status
        ).inc()

        # Record duration if completed
        if job.get('elapsed'):
            workflow_duration.labels(
                workflow_name=workflow_name,
                status=status
            ).observe(job['elapsed'])

        # Check for node failures
        nodes = self._get_workflow_nodes(workflow_job_id)
        for node in nodes:
            if node.get('job') and node['summary_fields'].get('job', {}).get('status') == 'failed':
                node_name = node['summary_fields'].get('unified_job_template', {}).get('name', 'unknown')
                workflow_node_failures.labels(
                    workflow_name=workflow_name,
                    node_name=node_name
                ).inc()

    def update_active_workflows(self) -> None:
        """Update gauge of currently running workflows"""
        response = self.session.get(
            f"{self.host}/api/v2/workflow_jobs/",
            params={'status': 'running'}
        )
        response.raise_for_status()

        # Reset all active workflow gauges
        running_jobs = response.json()['results']
        workflow_counts: Dict[str, int] = {}

        for job in running_jobs:
            name = job['name']
            workflow_counts[name] = workflow_counts.get(name, 0) + 1

        for name, count in workflow_counts.items():
            active_workflows.labels(workflow_name=name).set(count)

    def _get_workflow_job(self, job_id: int) -> Dict[str, Any]:
        response = self.session.get(f"{self.host}/api/v2/workflow_jobs/{job_id}/")
        response.raise_for_status()
        return response.json()

    def _get_workflow_nodes(self, job_id: int) -> list:
        response = self.session.get(f"{self.host}/api/v2/workflow_jobs/{job_id}/workflow_nodes/")
        response.raise_for_status()
        return response.json()['results']
