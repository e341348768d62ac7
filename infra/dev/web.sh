#!/usr/bin/env bash
# Set-up and build of the web front ends (web/): Debian's Chromium for the browser tests, `npm ci`,
# and the Vite build when its sources changed (a stamp file in web/dist records the last build).
#   web.sh build     npm ci when the lockfile changed, then build when sources changed (make serve)
#   web.sh check     build, then type-check and run the Vitest unit tests (make test)
#   web.sh browser   install Debian's chromium with apt-get when /usr/bin/chromium is missing (make test)
# The build needs no network after `npm ci`. Playwright never downloads a browser here.
set -euo pipefail
cd "$(dirname "$0")/../.."

need_node() {
  if ! command -v npm >/dev/null 2>&1; then
    echo "web: Node.js 20+ and npm are needed to build web/ (apt-get install nodejs npm)" >&2
    exit 1
  fi
}

deps() {
  need_node
  local stamp=web/node_modules/.ci-stamp
  if [ -f "$stamp" ] && [ "$stamp" -nt web/package-lock.json ] && [ "$stamp" -nt web/package.json ]; then
    return 0
  fi
  echo "web: npm ci (web/package-lock.json)"
  (cd web && npm ci --no-audit --no-fund --loglevel=error)
  touch "$stamp"
}

build() {
  deps
  local stamp=web/dist/.built
  if [ -f "$stamp" ] && [ -z "$(find web/src web/console web/portal web/public web/vite.config.ts \
      web/vite.widget.config.ts web/tsconfig.json web/package-lock.json -newer "$stamp" -print -quit)" ]; then
    return 0
  fi
  echo "web: building console, portal and widget (web/dist)"
  (cd web && npm run --silent build)
  touch "$stamp"
}

check() {
  build
  (cd web && npx tsc --noEmit -p tsconfig.json && npx vitest run --reporter=dot)
}

browser() {
  if [ -x /usr/bin/chromium ]; then
    return 0
  fi
  echo "web: installing Debian's chromium for the browser tests"
  local sudo=""
  if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo="sudo -n"; else
      echo "web: /usr/bin/chromium is missing; install it as root: apt-get install -y chromium" >&2
      exit 1
    fi
  fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
  /usr/bin/chromium --version
}

case "${1:-build}" in
  build) build ;;
  deps) deps ;;
  check) check ;;
  browser) browser ;;
  *) echo "usage: $0 build|deps|check|browser" >&2; exit 2 ;;
esac
