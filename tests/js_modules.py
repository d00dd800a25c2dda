"""Running the phone's plain JavaScript modules under node, so the same test data checks the server and the phone."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run_node(script, module, data):
    """Run script with node (argv[1] is the module's path, stdin the data as JSON); returns its JSON output."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is needed to test the phone's JavaScript: apt-get install -y nodejs")
    result = subprocess.run([node, "-e", script, str(module)], input=json.dumps(data), capture_output=True,
                            text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)
