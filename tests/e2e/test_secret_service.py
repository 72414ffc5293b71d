"""The token in a real Secret Service: gnome-keyring under `dbus-run-session`, unlocked without
a prompt, driven through AuthService with keyring's SecretService backend.

Two processes in one D-Bus session: the first signs in (token stored), the second (a later run
of the console) finds the token there, signs out (revoked on the server, deleted locally).
Skipped only when the binaries are missing; CI installs them (packaging/setup.sh --test).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from console.protocol.demo import DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD
from tests.support.backend_process import BackendProcess

pytestmark = pytest.mark.slow

NEEDED = ("dbus-run-session", "gnome-keyring-daemon")
MISSING = [name for name in NEEDED if shutil.which(name) is None]

SCRIPT = textwrap.dedent(
    """
    import json, sys
    import keyring
    from console.services.auth import KEYRING_SERVICE, AuthService, keyring_username

    phase, url, email, password = sys.argv[1:5]
    auth = AuthService(timeout=10.0)
    backend = type(keyring.get_keyring())
    out = {"backend": f"{backend.__module__}.{backend.__name__}",
           "available": auth.keyring_available}
    name = keyring_username(url, email)
    if phase == "store":
        result = auth.login(url, email, password)
        out["saved"] = result.token_saved
        out["token"] = result.token
        out["raw"] = keyring.get_password(KEYRING_SERVICE, name)  # straight from the service
    else:
        token = auth.saved_token(url, email)
        out["token"] = token
        signed_out = auth.sign_out(url, email, token)
        out["revoked"] = signed_out.revoked
        out["after"] = auth.saved_token(url, email)
        out["raw_after"] = keyring.get_password(KEYRING_SERVICE, name)
    print("RESULT " + json.dumps(out))
    """
)

SESSION = textwrap.dedent(
    """
    set -eu
    # Creates the login keyring with this password (or unlocks it) and starts the daemon.
    eval "$(printf '%s' 'test-keyring-pass' | gnome-keyring-daemon --unlock --components=secrets)"
    "$PYTHON" "$SCRIPT" store "$URL" "$EMAIL" "$PASSWORD"
    "$PYTHON" "$SCRIPT" read "$URL" "$EMAIL" "$PASSWORD"
    """
)


def _results(output: str) -> list[dict[str, object]]:
    return [json.loads(line.removeprefix("RESULT ")) for line in output.splitlines()
            if line.startswith("RESULT ")]


@pytest.mark.skipif(bool(MISSING), reason=f"needs {', '.join(MISSING)} (packaging/setup.sh --test)")
def test_token_round_trip_through_gnome_keyring(
    tmp_path: Path, demo_backend: BackendProcess
) -> None:
    home = tmp_path / "home"
    runtime = tmp_path / "run"
    for folder in (home, runtime):
        folder.mkdir()
    runtime.chmod(0o700)
    script = tmp_path / "keyring_script.py"
    script.write_text(SCRIPT)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DBUS_", "GNOME_KEYRING"))},
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "XDG_RUNTIME_DIR": str(runtime),
        "PYTHON_KEYRING_BACKEND": "keyring.backends.SecretService.Keyring",
        "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
        "PYTHON": sys.executable,
        "SCRIPT": str(script),
        "URL": demo_backend.url,
        "EMAIL": DEMO_ADMIN_EMAIL,
        "PASSWORD": DEMO_ADMIN_PASSWORD,
    }
    done = subprocess.run(
        ["dbus-run-session", "--", "sh", "-c", SESSION],
        env=env, capture_output=True, text=True, timeout=90,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    stored, read = _results(done.stdout)
    assert stored["backend"] == "keyring.backends.SecretService.Keyring", output
    assert stored["available"] is True, output
    assert stored["saved"] is True, output
    assert stored["raw"] == stored["token"]
    assert isinstance(stored["token"], str)
    # A second process (a later run of the console) finds the same token in the keyring...
    assert read["token"] == stored["token"], output
    # ... and signing out revokes it on the server and deletes it from the keyring.
    assert read["revoked"] is True
    assert read["after"] is None
    assert read["raw_after"] is None
    with demo_backend.client(str(stored["token"])) as http:
        assert http.get("/v1/me").status_code == 401
    # The keyring's own file holds the secret encrypted, never in the clear.
    keyrings = list((home / "data" / "keyrings").glob("*.keyring"))
    assert keyrings, output
    for path in keyrings:
        assert str(stored["token"]).encode() not in path.read_bytes()
