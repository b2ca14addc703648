"""kit serve's security: only the output folder's listed files and the page's assets are served, to local hosts, read-only."""

from __future__ import annotations

import http.client
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from kit.serve.security import host_allowed, is_loopback, output_file
from serving import TINY_SESSION, Served


# -- the rules, as data ---------------------------------------------------------------------------

@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    out = tmp_path / "kit" / "output"
    (out / "s").mkdir(parents=True)
    (out / "s" / "programme.pdf").write_bytes(b"%PDF-1.7")
    (out / ".cache").mkdir()
    (out / ".cache" / "manifest.json").write_text("{}")
    (tmp_path / "kit" / "kit.yaml").write_text("title: secret")
    (tmp_path / "outside.txt").write_text("secret")
    return out


def test_a_listed_output_file_is_found(out_dir):
    assert output_file(out_dir, "s/programme.pdf") == (out_dir / "s" / "programme.pdf").resolve()


@pytest.mark.parametrize("path", [
    "../kit.yaml", "s/../../kit.yaml", "s/../programme.pdf", "./s/programme.pdf", "..", "../../outside.txt",
    "s\\..\\..\\kit.yaml", "s\\programme.pdf", ".cache/manifest.json", "s/.hidden", "s//programme.pdf",
    "/etc/passwd", "", "s", "s/", "s/programme.pdf\x00.png", "missing.pdf",
])
def test_paths_that_could_leave_the_folder_or_list_it_are_refused(out_dir, path):
    assert output_file(out_dir, path) is None


def test_links_out_of_the_folder_or_into_its_cache_are_refused(out_dir, tmp_path):
    (out_dir / "s" / "out.pdf").symlink_to(tmp_path / "outside.txt")
    (out_dir / "s" / "cache.json").symlink_to(out_dir / ".cache" / "manifest.json")
    (out_dir / "up").symlink_to(tmp_path)
    (out_dir / "s" / "same.pdf").symlink_to(out_dir / "s" / "programme.pdf")
    assert output_file(out_dir, "s/out.pdf") is None
    assert output_file(out_dir, "s/cache.json") is None
    assert output_file(out_dir, "up/outside.txt") is None
    assert output_file(out_dir, "s/same.pdf") is not None  # a link that stays inside is fine


@pytest.mark.parametrize("host", ["127.0.0.1:8000", "localhost:8000", "localhost", "[::1]:8000", "192.168.1.20:80",
                                  "LOCALHOST:1", "localhost.:8000"])
def test_local_names_and_addresses_are_allowed_hosts(host):
    assert host_allowed(host)


@pytest.mark.parametrize("host", ["evil.example:8000", "evil.example", "127.0.0.1.evil.example", "", None,
                                  "localhost.evil.example:8000", "[::1"])
def test_other_names_are_refused_hosts(host):
    assert not host_allowed(host)


def test_the_name_given_with_host_is_allowed():
    assert host_allowed("atelier.lan:8000", frozenset({"atelier.lan"}))


def test_loopback_addresses():
    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.20")


# -- the running server -----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def served(tmp_path_factory):
    root = tmp_path_factory.mktemp("serve-security") / "kit"
    (root / "content" / "sessions").mkdir(parents=True)
    (root / "kit.yaml").write_text("title: Kit d'essai\nlanguage: fr\nversion: '1'\ndate: 2019-05-20\n")
    (root / "content" / "sessions" / "s.yaml").write_text(TINY_SESSION, encoding="utf-8")
    (root.parent / "outside.txt").write_text("secret")
    server = Served(root)
    server.ready()
    (root / "output" / "s" / "link.pdf").symlink_to(root.parent / "outside.txt")
    yield server
    server.close()


def request(served: Served, method: str, raw_path: str, host: str | None = None) -> tuple[int, bytes]:
    """One request sent as written: no client-side clean-up of the path."""
    address = urlsplit(served.url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=10)
    try:
        connection.putrequest(method, raw_path, skip_host=True, skip_accept_encoding=True)
        connection.putheader("Host", host or address.netloc)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def test_the_page_its_assets_and_an_output_are_served(served):
    assert request(served, "GET", "/")[0] == 200
    assert request(served, "GET", "/assets/preview.js")[0] == 200
    status, body = request(served, "GET", "/files/s/programme.pdf")
    assert status == 200 and body.startswith(b"%PDF")
    assert request(served, "GET", "/thumbs/s/programme.pdf?page=1")[1].startswith(b"\x89PNG")


@pytest.mark.parametrize("path", [
    "/files/../kit.yaml", "/files/s/../../kit.yaml", "/files/%2e%2e/kit.yaml", "/files/s/%2E%2E/%2e%2e/kit.yaml",
    "/files/%2e%2e%2fkit.yaml", "/files/s%2f..%2f..%2fkit.yaml", "/files/..%5ckit.yaml", "/files/s\\..\\..\\kit.yaml",
    "/files/.cache/manifest.json", "/files/%2ecache/manifest.json", "/files/s/link.pdf", "/files/../../outside.txt",
    "/files/%252e%252e/kit.yaml", "/thumbs/../kit.yaml?page=1", "/thumbs/.cache/manifest.json?page=1",
    "/thumbs/s/link.pdf?page=1", "/assets/../__init__.py", "/assets/%2e%2e%2fapp.py", "/files//etc/passwd",
])
def test_traversal_is_refused(served, path):
    status, body = request(served, "GET", path)
    assert status in (400, 404), (path, status)
    assert b"title" not in body and b"secret" not in body


@pytest.mark.parametrize("path", ["/files/", "/files/s", "/files/s/", "/thumbs/s/", "/assets/"])
def test_no_folder_is_listed(served, path):
    status, body = request(served, "GET", path)
    assert status == 404 and b"programme" not in body


@pytest.mark.parametrize("host", ["evil.example", "evil.example:80", "localhost.evil.example"])
def test_a_foreign_host_is_refused(served, host):
    for path in ("/", "/state", "/files/s/programme.pdf", "/events"):
        status, body = request(served, "GET", path, host=host)
        assert status == 421 and b"%PDF" not in body


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH"])
def test_no_endpoint_writes(served, method):
    before = sorted(p.relative_to(served.root) for p in served.root.rglob("*") if ".cache" not in p.parts)
    for path in ("/", "/state", "/files/s/programme.pdf", "/thumbs/s/programme.pdf", "/events"):
        assert request(served, method, path)[0] == 405
    after = sorted(p.relative_to(served.root) for p in served.root.rglob("*") if ".cache" not in p.parts)
    assert before == after


def test_a_foreign_host_on_the_command_line_is_a_warned_choice(tmp_path):
    root = tmp_path / "kit"
    (root / "content" / "sessions").mkdir(parents=True)
    (root / "kit.yaml").write_text("title: Kit d'essai\n")
    server = Served(root, "--host", "0.0.0.0")
    try:
        assert "warning: --host 0.0.0.0" in server.output
        assert server.url.startswith("http://127.0.0.1:")
    finally:
        assert server.interrupt() == 0


def test_loopback_by_default(tmp_path):
    root = tmp_path / "kit"
    (root / "content").mkdir(parents=True)
    (root / "kit.yaml").write_text("title: Kit d'essai\n")
    server = Served(root)
    try:
        assert server.url.startswith("http://127.0.0.1:") and "warning" not in server.output
        port = urlsplit(server.url).port
        listening = Path("/proc/net/tcp").read_text().splitlines()[1:]
        local = {line.split()[1] for line in listening if line.split()[3] == "0A"}  # LISTEN
        assert f"0100007F:{port:04X}" in local and f"00000000:{port:04X}" not in local
    finally:
        assert server.interrupt() == 0
