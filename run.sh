#!/usr/bin/env bash
# Mentoring Mosaic: the two set-up commands.
#   ./run.sh app    install what is needed, then start the Voilà app on the embedded SQLite store
#   ./run.sh test   install what is needed (Chromium and PostgreSQL included), then run every test
# Extra arguments go to `mentoring-mosaic start` or to pytest.
set -euo pipefail
cd "$(dirname "$0")"

VENV=${MM_VENV:-.venv}
PY=${PYTHON:-python3}

need_python() {
  if ! "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "Mentoring Mosaic needs Python 3.11 or newer (found: $("$PY" --version 2>&1))." >&2
    echo "Set PYTHON=/path/to/python3.11 and try again." >&2
    exit 1
  fi
}

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "Please install as root: $*" >&2; exit 1; fi
}

apt_install() {
  # Debian/Ubuntu packages the tests need (Chromium for the browser tests, PostgreSQL server).
  if command -v apt-get >/dev/null; then
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
  else
    echo "Please install: $* (no apt-get on this machine)" >&2
  fi
}

ensure_venv() {
  need_python
  if [ ! -x "$VENV/bin/python" ]; then
    if ! "$PY" -m venv "$VENV" 2>/dev/null; then
      rm -rf "$VENV"
      apt_install python3-venv
      "$PY" -m venv "$VENV"
    fi
  fi
  local extra=$1 stamp="$VENV/.installed-$1"
  local digest
  digest=$(cat binder/requirements.txt pyproject.toml | sha256sum | cut -c1-16)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$digest" ]; then
    "$VENV/bin/python" -m pip install -q --upgrade pip
    "$VENV/bin/python" -m pip install -q -r binder/requirements.txt
    if [ "$extra" = test ]; then
      "$VENV/bin/python" -m pip install -q -e ".[test]"
    else
      "$VENV/bin/python" -m pip install -q -e .
    fi
    echo "$digest" > "$stamp"
  fi
}

case "${1:-}" in
  app)
    shift
    ensure_venv app
    exec "$VENV/bin/mentoring-mosaic" start "$@"
    ;;
  test)
    shift
    ensure_venv test
    missing=()
    [ -x /usr/bin/chromium ] || command -v chromium >/dev/null || missing+=(chromium)
    ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
    # JupyterHub's proxy (configurable-http-proxy) comes from npm: tests/e2e/hub.py installs it
    # into .tools/ on first use, so only node and npm are needed here.
    command -v npm >/dev/null || command -v configurable-http-proxy >/dev/null \
      || missing+=(nodejs npm)
    if [ ${#missing[@]} -gt 0 ]; then apt_install "${missing[@]}"; fi
    export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"
    "$VENV/bin/ruff" check mentoring_mosaic tests benchmarks scripts
    exec "$VENV/bin/python" -m pytest "$@"
    ;;
  *)
    echo "usage: ./run.sh app | ./run.sh test" >&2
    exit 2
    ;;
esac
