#!/usr/bin/env bash
# Make sure .venv exists and holds wfkit installed editable with the given extras.
#
#   scripts/ensure_venv.sh test        # pip install -e '.[test]' into .venv
#   scripts/ensure_venv.sh bench       # pip install -e '.[bench]' into .venv
#
# The install is skipped when nothing it depends on has changed: a stamp file in the
# venv records a hash of pyproject.toml, the extras, the repository path and the
# Python version, and a second run with the same hash does nothing.
#
# Environment: PYTHON (default python3) creates the venv, VENV (default .venv) is
# where it goes, WFKIT_FORCE_INSTALL=1 ignores the stamp.
set -euo pipefail

extras="${1:?usage: scripts/ensure_venv.sh EXTRAS (e.g. test, bench)}"
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"

python="${PYTHON:-python3}"
venv="${VENV:-.venv}"
venv_python="$venv/bin/python"
stamp="$venv/.wfkit-installed-$extras"

say() { echo "==> $*"; }
die() { echo "error: $*" >&2; exit 1; }

is_root_with_apt() { [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; }

check_python() {
    command -v "$python" >/dev/null 2>&1 \
        || die "'$python' was not found. Install Python 3.10 or newer (Debian/Ubuntu: apt-get install python3 python3-venv), or pass another interpreter: make test PYTHON=python3.12"
    "$python" - <<'PY' || die "wfkit needs Python 3.10 or newer; '$python' is $("$python" --version 2>&1). Pass a newer one: make test PYTHON=python3.12"
import sys
sys.exit(0 if sys.version_info >= (3, 10) else 1)
PY
}

# Debian and Ubuntu ship venv's pip bootstrap (ensurepip) in a separate package.
ensure_venv_module() {
    if "$python" -c 'import venv, ensurepip' >/dev/null 2>&1; then
        return
    fi
    local interpreter
    interpreter="$("$python" -c 'import sys; print(sys.executable)')"
    if is_root_with_apt && [[ "$interpreter" == /usr/bin/* ]]; then
        say "$interpreter cannot create virtual environments: installing Debian's python3-venv"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=300 python3-venv
    else
        die "'$python' cannot create a virtual environment (the ensurepip module is missing). On Debian/Ubuntu run: sudo apt-get install python3-venv"
    fi
}

create_venv() {
    check_python
    ensure_venv_module
    say "creating $venv with $("$python" --version 2>&1) ($(command -v "$python"))"
    rm -rf "$venv"
    "$python" -m venv "$venv"
}

# A venv whose python or pip no longer runs (half-created, or its interpreter was
# removed) is rebuilt rather than patched.
if ! "$venv_python" -m pip --version >/dev/null 2>&1; then
    create_venv
fi

wanted="$(
    {
        sha256sum pyproject.toml
        echo "extras=$extras"
        echo "repo=$repo_root"
        "$venv_python" -c 'import sys; print(sys.version)'
    } | sha256sum | cut -d' ' -f1
)"

if [ "${WFKIT_FORCE_INSTALL:-0}" != 1 ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ]; then
    say "$venv is up to date for .[$extras] (pyproject.toml unchanged): skipping pip"
    exit 0
fi

say "installing wfkit editable with extras [$extras] into $venv"
started=$SECONDS
"$venv_python" -m pip install --quiet --progress-bar off -e ".[$extras]"
echo "$wanted" > "$stamp"
say "installed .[$extras] in $((SECONDS - started)) s"
