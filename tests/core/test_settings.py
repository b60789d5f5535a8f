"""Production settings fail loudly when configuration is missing."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REDIS = "redis://127.0.0.1:6379/0"  # settings only: nothing here connects


def load_production(**env):
    base = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "DATABASE_URL",
            "REDIS_URL",
            "FRONTEND_CACHE_PURGE_URL",
            "FRONTEND_CACHE_PURGE_SECRET",
        }
    }
    base.update(env, DJANGO_SETTINGS_MODULE="config.settings.production")
    return subprocess.run(  # noqa: S603 - our own interpreter and a fixed script
        [
            sys.executable,
            "-c",
            "import django; django.setup(); "
            "from django.conf import settings; print(settings.SECURE_SSL_REDIRECT)",
        ],
        cwd=ROOT,
        env=base,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_refuses_to_start_without_secret_key():
    result = load_production(ALLOWED_HOSTS="glossary.example.com")
    assert result.returncode != 0
    assert "Set the SECRET_KEY environment variable" in result.stderr


def test_refuses_to_start_without_allowed_hosts():
    result = load_production(SECRET_KEY="x" * 50)
    assert result.returncode != 0
    assert "Set ALLOWED_HOSTS" in result.stderr


@pytest.mark.parametrize(("value", "expected"), [("", "True"), ("1", "True"), ("0", "False")])
def test_starts_with_configuration_and_honours_ssl_redirect(value, expected):
    result = load_production(
        SECRET_KEY="x" * 50,
        ALLOWED_HOSTS="glossary.example.com",
        REDIS_URL=REDIS,
        SECURE_SSL_REDIRECT=value,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


def test_rejects_a_nonsense_boolean():
    result = load_production(
        SECRET_KEY="x" * 50,
        ALLOWED_HOSTS="a.example.com",
        REDIS_URL=REDIS,
        SECURE_SSL_REDIRECT="maybe",
    )
    assert result.returncode != 0
    assert "SECURE_SSL_REDIRECT must be 1 or 0" in result.stderr


def test_refuses_to_start_without_redis():
    result = load_production(SECRET_KEY="x" * 50, ALLOWED_HOSTS="glossary.example.com")
    assert result.returncode != 0
    assert "Set REDIS_URL" in result.stderr


def test_refuses_a_purge_url_without_its_secret():
    result = load_production(
        SECRET_KEY="x" * 50,
        ALLOWED_HOSTS="glossary.example.com",
        REDIS_URL=REDIS,
        FRONTEND_CACHE_PURGE_URL="http://127.0.0.1:6081",
    )
    assert result.returncode != 0
    assert "without FRONTEND_CACHE_PURGE_SECRET" in result.stderr


def test_the_deployed_redis_is_bounded_and_evicts():
    conf = (ROOT / "deploy" / "redis.conf").read_text().splitlines()
    assert "maxmemory-policy allkeys-lru" in conf
    assert any(line.startswith("maxmemory ") for line in conf)
