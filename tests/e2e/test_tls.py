"""TLS for real: the backend under uvicorn with a certificate from a private CA.

Verification is on by default, so signing in fails with a plain "not trusted" error that points
to the CA bundle setting; with the CA's PEM file as the bundle, sign-in and sync work, and the
profile remembers the setting for its next start.
"""

from __future__ import annotations

import argparse
import ipaddress
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from pytestqt.qtbot import QtBot

from console.app_controller import AppController
from console.protocol.demo import DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD
from console.services.auth import AuthService
from console.services.errors import BackendUnavailable
from console.services.profiles import find_profile
from console.services.types import SyncState
from console.startup import open_from_login
from console.ui.main_window import MainWindow
from console.ui.qt import QSettings, Qt
from tests.support.backend_process import BackendProcess, sqlite_url

pytestmark = pytest.mark.slow


@dataclass(frozen=True)
class Pki:
    ca: Path  # the CA certificate (what a user picks as the CA bundle)
    cert: Path  # the server's certificate, for 127.0.0.1 and localhost
    key: Path


def _name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])


def make_pki(folder: Path, label: str = "Test") -> Pki:
    now = datetime.now(UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(_name(f"{label} Console CA"))
        .issuer_name(_name(f"{label} Console CA"))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True, key_cert_sign=True, crl_sign=True,
                content_commitment=False, key_encipherment=False, data_encipherment=False,
                key_agreement=False, encipher_only=False, decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()),
                       critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name("127.0.0.1"))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]),
                       critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    folder.mkdir(parents=True, exist_ok=True)
    pki = Pki(folder / "ca.pem", folder / "server.pem", folder / "server.key")
    pki.ca.write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    pki.cert.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    pki.key.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return pki


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    return make_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture(scope="module")
def tls_backend(tmp_path_factory: pytest.TempPathFactory, pki: Pki) -> Iterator[BackendProcess]:
    db = tmp_path_factory.mktemp("tls-backend") / "backend.db"
    backend = BackendProcess(
        sqlite_url(db),
        args=["--seed", "demo", "--ssl-certfile", str(pki.cert), "--ssl-keyfile", str(pki.key)],
    ).start()
    yield backend
    backend.stop()


def test_the_backend_serves_https_and_says_so(tls_backend: BackendProcess) -> None:
    assert tls_backend.url.startswith("https://127.0.0.1:")


def test_verification_is_on_by_default_and_the_error_points_to_the_ca_setting(
    tls_backend: BackendProcess,
) -> None:
    with pytest.raises(BackendUnavailable) as caught:
        AuthService(timeout=5.0).login(tls_backend.url, DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD)
    error = caught.value
    assert error.code == "tls_untrusted"
    assert "is not trusted" in error.message
    assert "CA bundle" in error.message
    assert tls_backend.url in error.message


def test_a_bundle_of_another_ca_is_not_enough(
    tls_backend: BackendProcess, tmp_path: Path
) -> None:
    stranger = make_pki(tmp_path / "other", "Other")
    with pytest.raises(BackendUnavailable) as caught:
        AuthService(timeout=5.0).login(tls_backend.url, DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD,
                                       ca_bundle=str(stranger.ca))
    assert caught.value.code == "tls_untrusted"
    assert str(stranger.ca) in caught.value.message


def test_https_to_a_plain_http_server_is_a_tls_error(demo_backend: BackendProcess) -> None:
    url = demo_backend.url.replace("http://", "https://")
    with pytest.raises(BackendUnavailable) as caught:
        AuthService(timeout=5.0).login(url, DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD)
    assert caught.value.code == "tls_failed"
    assert "https://" in caught.value.message
    assert "http://" in caught.value.message


def test_with_the_ca_bundle_sign_in_and_sync_work_and_the_profile_keeps_it(
    qtbot: QtBot, tls_backend: BackendProcess, pki: Pki
) -> None:
    result = AuthService(timeout=5.0).login(
        tls_backend.url, DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD, ca_bundle=str(pki.ca)
    )
    assert result.ca_bundle == str(pki.ca)
    workspace = open_from_login(result)
    try:
        workspace.start()
        qtbot.waitUntil(lambda: len(workspace.conversations.list_conversations()) >= 5,
                        timeout=20_000)
        qtbot.waitUntil(lambda: workspace.sync.status.state is SyncState.ONLINE, timeout=10_000)
    finally:
        workspace.close()
    profile = find_profile(server_url=tls_backend.url, email=DEMO_ADMIN_EMAIL)
    assert profile is not None
    assert profile.ca_bundle == str(pki.ca)


def test_the_dialog_fails_then_succeeds_with_the_bundle_and_the_next_start_uses_it(
    qtbot: QtBot, tls_backend: BackendProcess, pki: Pki, tmp_path: Path
) -> None:
    window = MainWindow(settings=QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    args = argparse.Namespace(demo=False, server=tls_backend.url, profile=None,
                              exit_when_ready=False)
    controller = AppController(window, args, time.perf_counter())
    controller.start()
    try:
        qtbot.waitUntil(lambda: controller.login_dialog is not None, timeout=5_000)
        dialog = controller.login_dialog
        assert dialog is not None
        qtbot.keyClicks(dialog.email_edit, DEMO_ADMIN_EMAIL)
        qtbot.keyClicks(dialog.password_edit, DEMO_ADMIN_PASSWORD)
        qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dialog.error_label.isVisible() and not dialog.busy(),
                        timeout=10_000)
        assert dialog.error_code == "tls_untrusted"
        assert "not trusted" in dialog.error_label.text()
        assert dialog.advanced.isVisible()
        assert dialog.ca_edit.hasFocus()

        qtbot.keyClicks(dialog.ca_edit, str(pki.ca))
        qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: window.conversation_model.rowCount() >= 5, timeout=20_000)
        assert controller.account is not None
        assert controller.account.ca_bundle == str(pki.ca)
    finally:
        controller.shutdown()
        window.close()

    # The next start finds the token in the keyring and the CA bundle in the profile.
    second = MainWindow(settings=QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(second)
    second.show()
    again = AppController(second, args, time.perf_counter())
    again.start()
    try:
        qtbot.waitUntil(lambda: again.workspace is not None, timeout=10_000)
        workspace = again.workspace
        assert workspace is not None
        qtbot.waitUntil(lambda: workspace.sync.status.state is SyncState.ONLINE
                        and workspace.sync.status.last_sync_at is not None, timeout=20_000)
        assert again.login_dialog is None
    finally:
        again.shutdown()
        second.close()


def test_the_key_option_needs_the_certificate_option(tmp_path: Path, pki: Pki) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "console.backend", "serve", "--db",
         sqlite_url(tmp_path / "b.db"), "--port", "0", "--ssl-keyfile", str(pki.key)],
        capture_output=True, text=True, timeout=60,
    )
    assert done.returncode != 0
    assert done.stderr.strip() == "error: --ssl-keyfile needs --ssl-certfile"
