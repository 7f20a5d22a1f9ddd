# awx_client.py
import requests
from typing import Dict, Any, Optional

class AWXClient:
    """Client for interacting with AWX REST API"""

    def __init__(self, host: str, token: str):
        self.host = host.rstrip('/')
        self.session = requests.Session()
        self.session.headers.update({
            'Authorization': f'Bearer {token}',
            'Content-Type': 'application/json'
        })

    def launch_workflow(
        self,
        workflow_id: int,
        extra_vars: Optional[Dict[str, Any]] = None
    ) -> Dict[str, Any]:
        """Launch a workflow job template"""
        url = f"{self.host}/api/v2/workflow_job_templates/{workflow_id}/launch/"
        payload = {}
        if extra_vars:
            payload['extra_vars'] = extra_vars

        response = self.session.post(url, json=payload)
        response.raise_for_status()
        return response.json()

    def get_workflow_job_status(self, job_id: int) -> Dict[str, Any]:
        """Get the status of a workflow job"""
        url = f"{self.host}/api/v2/workflow_jobs/{job_id}/"
        response = self.session.get(url)
        response.raise_for_status()
        return response.json()

    def wait_for_workflow(
        self,
        job_id: int,
        timeout: int = 3600,
        poll_interval: int = 10
    ) -> str:
        """Wait for workflow to complete and return final status"""
        import time

        start_time = time.time()
        while time.time() - start_time < timeout:
            status = self.get_workflow_job_status(job_id)
            if status['status'] in ['successful', 'failed', 'error', 'canceled']:
                return status['status']
            time.sleep(poll_interval)

        raise TimeoutError(f"Workflow {job_id} did not complete within {timeout} seconds")

    def get_workflow_nodes(self, job_id: int) -> list:
        """Get all nodes from a workflow job"""
        url = f"{self.host}/api/v2/workflow_jobs/{job_id}/workflow_nodes/"
        response = self.session.get(url)
        response.raise_for_status()
        return response.json()['results']


# Usage example
if __name__ == "__main__":
    client = AWXClient(
        host="https://awx.example.com",
        token="your-api-token"
    )

    # Launch deployment workflow
    result = client.launch_workflow(
        workflow_id=5,
        extra_vars={
            "app_version": "v2.1.0",
            "target_env": "staging"
        }
    )

    job_id = result['id']
    print(f"Workflow job started: {job_id}")

    # Wait for completion
    final_status = client.wait_for_workflow(job_id)
    print(f"Workflow completed with status: {final_status}")
