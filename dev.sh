#!/usr/bin/env bash
# Set everything up and run journeymap.
#   ./dev.sh app    install what is missing, then start the app on ./workspace
#   ./dev.sh test   install what is missing, then run the whole test suite
#   ./dev.sh tools  install only the tools the suite opens exports in (bpmnlint, bpmn-js, mermaid-cli
#                   into tools/node; LibreOffice Calc)
# System packages (graphviz, Japanese fonts, Chromium for browser tests) are installed with apt-get
# when missing and we may (root or sudo); elsewhere the script says what to install and stops.
set -euo pipefail
cd "$(dirname "$0")"

VENV=${JOURNEYMAP_VENV:-.venv}
say() { printf '\033[1mdev.sh:\033[0m %s\n' "$*" >&2; }

need_system_packages() {
  local want=("$@") missing=()
  for pkg in "${want[@]}"; do
    case "$pkg" in
      graphviz) command -v dot >/dev/null 2>&1 || missing+=(graphviz) ;;
      fonts-noto-cjk) fc-list :lang=ja 2>/dev/null | grep -qi "noto sans cjk" || missing+=(fonts-noto-cjk) ;;
      chromium) [ -x /usr/bin/chromium ] || missing+=(chromium) ;;
      chromium-driver) command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver) ;;
      nodejs) command -v node >/dev/null 2>&1 || missing+=(nodejs) ;;
      npm) command -v npm >/dev/null 2>&1 || missing+=(npm) ;;
      libreoffice-calc) command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-calc) ;;
    esac
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo"; fi
  fi
  if command -v apt-get >/dev/null 2>&1 && { [ "$(id -u)" -eq 0 ] || [ -n "$sudo" ]; }; then
    say "installing system packages: ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" fontconfig >/dev/null
    fc-cache -f >/dev/null 2>&1 || true
  else
    say "missing system packages: ${missing[*]}"
    say "install them with your package manager, for example:"
    say "  Debian/Ubuntu: sudo apt-get install ${missing[*]}"
    say "  macOS (Homebrew): brew install graphviz && brew install --cask font-noto-sans-cjk-jp chromium"
    exit 1
  fi
}

ensure_python() {
  local py=${PYTHON:-python3}
  if ! "$py" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    say "journeymap needs Python 3.11 or newer; set PYTHON=/path/to/python3.11"
    exit 1
  fi
  if [ ! -x "$VENV/bin/python" ]; then
    say "creating the virtual environment in $VENV"
    "$py" -m venv "$VENV"
  fi
  local stamp="$VENV/.journeymap-installed"
  local want
  want=$(cat pyproject.toml | sha256sum | cut -d' ' -f1)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    say "installing journeymap and its dependencies"
    if ! { "$VENV/bin/python" -m pip install --upgrade pip && "$VENV/bin/python" -m pip install -e '.[dev]'; } \
        >"$VENV/pip-install.log" 2>&1; then
      cat "$VENV/pip-install.log" >&2
      say "installing the Python packages failed (log above, also in $VENV/pip-install.log)"
      exit 1
    fi
    echo "$want" > "$stamp"
  fi
}

ensure_node_tools() {
  # npm packages the tests open exports with, pinned by tools/node/package-lock.json, installed into
  # tools/node/node_modules (git-ignored). Puppeteer drives the system Chromium: it downloads nothing.
  local stamp="tools/node/node_modules/.journeymap-installed"
  local want
  want=$(cat tools/node/package.json tools/node/package-lock.json | sha256sum | cut -d' ' -f1)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    say "installing the export-checking tools into tools/node (npm ci)"
    if ! PUPPETEER_SKIP_DOWNLOAD=1 npm ci --prefix tools/node --no-audit --no-fund --loglevel=error \
        >tools/node/npm-install.log 2>&1; then
      cat tools/node/npm-install.log >&2
      say "npm ci failed (log above, also in tools/node/npm-install.log)"
      exit 1
    fi
    echo "$want" > "$stamp"
  fi
}

cmd=${1:-}
shift || true
case "$cmd" in
  app)
    need_system_packages graphviz fonts-noto-cjk
    ensure_python
    # journeymap app [--workspace DIR] [--port N] [streamlit options]; the workspace defaults to
    # $JOURNEYMAP_WORKSPACE, else ./workspace, and is created and seeded on first start.
    exec "$VENV/bin/python" -m journeymap app "$@"
    ;;
  tools)
    need_system_packages chromium nodejs npm libreoffice-calc fonts-noto-cjk
    ensure_node_tools
    ;;
  test)
    need_system_packages graphviz fonts-noto-cjk chromium chromium-driver nodejs npm libreoffice-calc
    ensure_python
    ensure_node_tools
    say "lint (ruff), import contracts (import-linter), types (mypy)"
    "$VENV/bin/ruff" check .
    "$VENV/bin/lint-imports" --no-cache >/dev/null || "$VENV/bin/lint-imports" --no-cache
    "$VENV/bin/mypy"
    exec "$VENV/bin/python" -m pytest -n "${JOURNEYMAP_TEST_WORKERS:-auto}" "$@"
    ;;
  *)
    echo "usage: ./dev.sh app [--workspace DIR] [--port N] [streamlit options] | ./dev.sh test [pytest options] | ./dev.sh tools" >&2
    exit 2
    ;;
esac
