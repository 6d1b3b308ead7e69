"""deploy/nginx/civic.conf and its generated upstreams, checked by Debian's nginx itself.

A standalone nginx in a temp folder in front of ports where nothing listens: what a
resident gets when no process can answer, the body limit, and the reload handshake.
"""

from __future__ import annotations

import shutil
import socket
from pathlib import Path

import httpx
import pytest

from deploy.balancer import Nginx, Node, Pool, render_upstreams

pytestmark = pytest.mark.nginx


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def nginx(tmp_path: Path):
    if not (shutil.which("nginx") or Path("/usr/sbin/nginx").exists()):
        from tests.deploy.conftest import _require

        _require(False, "nginx")
    server = Nginx(tmp_path / "nginx", f"127.0.0.1:{_closed_port()}")
    server.prefix.mkdir()
    yield server
    server.stop()


def test_drained_and_failing_processes_are_out_of_every_upstream_but_their_own_media():
    pool = Pool([Node("n1", "127.0.0.1", 8501), Node("n2", "127.0.0.1", 8502), Node("n3", "127.0.0.1", 8503)],
                drained={"n1"}, failing={"n3"}, generation=7)
    text = render_upstreams(pool)
    pool_block = text.split("upstream civic_pool {")[1].split("}")[0]
    assert "8501 max_fails=1 fail_timeout=10s down;  # drained" in pool_block
    assert "8503 max_fails=1 fail_timeout=10s down;  # failing health check" in pool_block
    assert "8502 max_fails=1 fail_timeout=10s;" in pool_block
    session_n2 = text.split("upstream civic_session_n2 {")[1].split("}")[0]
    assert session_n2.splitlines()[1].strip().startswith("server 127.0.0.1:8502 ")  # its own process first
    assert "8501 max_fails=1 fail_timeout=10s backup down;" in session_n2
    assert "upstream civic_node_n1 {\n    server 127.0.0.1:8501;\n}" in text  # a drained process keeps its media
    assert 'default "7";' in text
    assert Pool.from_json(pool.to_json()) == pool
    with pytest.raises(ValueError):
        render_upstreams(Pool([Node("n1; evil", "127.0.0.1", 1)]))


@pytest.mark.parametrize("processes", [1, 2, 3])
def test_nginx_accepts_the_site_with_one_to_three_processes(nginx, processes):
    pool = Pool([Node(f"n{k + 1}", "127.0.0.1", 9000 + k) for k in range(processes)], drained={"n1"})
    nginx.write(pool)
    nginx._run("-t", "-q")  # raises with nginx's message when the configuration is wrong


def test_with_no_process_answering_residents_get_a_chinese_page_and_nginx_applies_its_limits(nginx):
    nginx.start(Pool([Node("n1", "127.0.0.1", _closed_port()), Node("n2", "127.0.0.1", _closed_port())]))
    with httpx.Client(trust_env=False, timeout=20) as http:
        page = http.get(nginx.url + "/ask")
        assert page.status_code == 503 and page.headers["retry-after"] == "10"
        assert '<html lang="zh-CN">' in page.text and "服务暂时繁忙" in page.text and "不会丢失" in page.text
        assert 'http-equiv="refresh"' not in page.text  # no reload the resident did not ask for (WCAG F41)
        assert http.get(nginx.url + "/media/abc.png", headers={"Cookie": "civic_node=n1"}).status_code == 503
        assert http.post(nginx.url + "/", content=b"x" * (2 << 20)).status_code == 413  # client_max_body_size
        assert "nginx/" not in page.headers.get("server", "")  # server_tokens off
    nginx.set_drained("n2", True)  # returns once the new workers answer with the next generation
    assert nginx.generation() == 1
    assert "down;  # drained" in (nginx.upstreams.read_text())
