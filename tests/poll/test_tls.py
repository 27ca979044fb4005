"""https feeds: verified against the system's CA certificates, with aiohttp's import-time
contexts (built without them, see `tracker.poll.tls`) never used."""

from __future__ import annotations

import os
import shutil
import ssl
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.httpserver import FeedServer, simple_rss
from tests.poll.conftest import Poller


@pytest.fixture(scope="module")
def certs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A test CA (ca.pem) and a certificate it signed for 127.0.0.1 (leaf.pem, leaf.key)."""
    if shutil.which("openssl") is None:
        pytest.skip("needs the openssl command")
    d = tmp_path_factory.mktemp("certs")
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]

    def openssl(*args: str) -> None:
        subprocess.run(["openssl", *args], cwd=d, check=True, capture_output=True)

    openssl("req", "-x509", *ec, "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
            "-subj", "/CN=tracker test CA",
            "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign")  # fmt: skip
    openssl("req", *ec, "-keyout", "leaf.key", "-out", "leaf.csr", "-subj", "/CN=127.0.0.1")
    (d / "leaf.ext").write_text(
        "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n"
        "keyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n"
        "authorityKeyIdentifier=keyid\nsubjectKeyIdentifier=hash\n"
    )
    openssl("x509", "-req", "-in", "leaf.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
            "-CAcreateserial", "-out", "leaf.pem", "-days", "2",
            "-extfile", "leaf.ext")  # fmt: skip
    return d


@pytest.fixture
def tls_server(certs: Path) -> Iterator[FeedServer]:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(certs / "leaf.pem", certs / "leaf.key")
    with FeedServer(tls=context) as srv:
        srv.feed("/feed.xml", simple_rss(4))
        yield srv


def test_https_feed_is_fetched_when_the_system_trusts_its_ca(
    tls_server: FeedServer, poller: Poller, certs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(certs / "ca.pem"))  # the "system" CA bundle
    url = tls_server.url("/feed.xml")
    assert url.startswith("https://127.0.0.1:")
    result = poller.run(url).results[0]
    assert (result.status, result.new, result.error) == ("ok", 4, None)


def test_untrusted_certificate_is_a_clear_error_for_that_feed(
    tls_server: FeedServer,
    server: FeedServer,
    poller: Poller,
    certs: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    empty = certs / "none.pem"
    empty.write_text("")
    monkeypatch.setenv("SSL_CERT_FILE", str(empty))  # the system trusts nothing
    monkeypatch.setenv("SSL_CERT_DIR", str(certs / "nowhere"))
    server.feed("/plain.xml", simple_rss(2))
    results = poller.run(tls_server.url("/feed.xml"), server.url("/plain.xml")).results
    assert results[0].status == "error"
    assert "certificate verify failed" in (results[0].error or "")
    assert (results[1].status, results[1].new) == ("ok", 2)  # the other feed goes on
    assert tls_server.hits["/feed.xml"] == 0  # no request was sent over the unverified link


def test_certificate_for_another_host_is_refused(
    tls_server: FeedServer, poller: Poller, certs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(certs / "ca.pem"))
    result = poller.run(tls_server.url("/feed.xml", host="localhost")).results[0]
    assert result.status == "error"
    assert "certificate" in (result.error or "").lower()  # made for 127.0.0.1 only
    assert tls_server.hits["/feed.xml"] == 0


def test_loading_the_fetcher_leaves_ssl_as_it_was(certs: Path) -> None:
    """aiohttp's own contexts load no CA certificates (though the system bundle, here the test
    CA, offers one), and the ssl module is itself again afterwards."""
    code = (
        "import ssl; make = ssl.create_default_context\n"
        "import tracker.poll.fetch\n"
        "from aiohttp import connector\n"
        "assert ssl.create_default_context is make\n"
        "assert 'set_default_verify_paths' not in vars(ssl.SSLContext)\n"
        "ours = connector._SSL_CONTEXT_VERIFIED\n"
        "print(ours.cert_store_stats()['x509_ca'], ours.verify_mode == ssl.CERT_REQUIRED,"
        " ssl.create_default_context().cert_store_stats()['x509_ca'])\n"
    )
    env = {**os.environ, "SSL_CERT_FILE": str(certs / "ca.pem")}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert out.stdout.split() == ["0", "True", "1"]
