#!/usr/bin/env bash
# Make sure .venv exists and holds wfkit installed editable with the given extras, at the
# versions requirements/lock.txt pins.
#
#   scripts/ensure_venv.sh lab         # wfkit[lab] into .venv (make lab)
#   scripts/ensure_venv.sh test        # wfkit[test] into .venv (make test)
#   scripts/ensure_venv.sh bench       # wfkit[bench] into .venv (make bench)
#   scripts/ensure_venv.sh installer   # only the installer, uv (make lock)
#
# Versions: pyproject.toml says what wfkit needs, as lower bounds; requirements/lock.txt,
# written by `make lock`, pins one tested version of every package that any extra can
# install, for Python 3.10 to 3.13 on any platform. Every install passes the lock as
# constraints (-c): the extra decides which packages, the lock which versions. So a
# library's new release reaches the course only through `make lock` and `make test`,
# never by surprise on a learner's first `make lab`.
#
# Installer: pip installs the lock's uv (and setuptools, which builds wfkit itself), then
# uv installs the rest, downloading and unpacking in parallel (see the README for the
# times). When uv cannot be installed or fails (no uv wheel for this platform, say, or a
# package index set up for pip only), pip installs the same pins instead, and says so.
#
# The install is skipped when nothing it depends on has changed: a stamp file per
# extra in the venv records a hash of pyproject.toml, the lock, the extra, the
# repository path and the Python version, and a second run with the same hash does
# nothing; a refreshed lock installs again. An extra that holds another one (test
# holds "wfkit[lab]") stamps that one too, so `make lab` after `make test` skips the
# install; `make test` after `make lab` installs the test tools. The venv also keeps
# the hash of the lock it was installed from (.wfkit-lock), which the tests read.
#
# Environment: PYTHON (default python3) creates the venv, VENV (default .venv) is
# where it goes, WFKIT_FORCE_INSTALL=1 ignores the stamp, WFKIT_INSTALLER=pip installs
# with pip alone.
set -euo pipefail

extras="${1:?usage: scripts/ensure_venv.sh EXTRA (lab, test, bench, or installer for uv alone)}"
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"

python="${PYTHON:-python3}"
venv="${VENV:-.venv}"
venv_python="$venv/bin/python"
lock=requirements/lock.txt

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

stamp_for() { echo "$venv/.wfkit-installed-$1"; }

hash_for() {
    {
        sha256sum pyproject.toml "$lock"
        echo "extras=$1"
        echo "repo=$repo_root"
        "$venv_python" -c 'import sys; print(sys.version)'
    } | sha256sum | cut -d' ' -f1
}

# The extra asked for and every extra it holds through a "wfkit[...]" requirement,
# read from the metadata pip just installed (test -> "test lab").
extras_installed_by() {
    "$venv_python" -I - "$1" <<'PY'
import re
import sys
from importlib.metadata import requires

# e.g. 'wfkit[lab]; extra == "test"': installing test installs lab.
held = re.compile(r"""wfkit\[([^\]]+)\]\s*;\s*extra\s*==\s*["']([^"']+)["']""")
to_visit, found = [sys.argv[1]], []
while to_visit:
    extra = to_visit.pop()
    if extra in found:
        continue
    found.append(extra)
    for requirement in requires("wfkit") or []:
        match = held.match(requirement)
        if match and match.group(2) == extra:
            to_visit += [name.strip() for name in match.group(1).split(",")]
print(" ".join(found))
PY
}

[ -f "$lock" ] || die "$lock is missing: it pins the versions every install uses. Restore it with: git checkout -- $lock"

# pip installs the installer's own tools, at the lock's versions.
install_tools() {
    "$venv_python" -m pip install --quiet --progress-bar off -c "$lock" "$@"
}

if [ "$extras" = installer ]; then
    install_tools uv || die "could not install uv into $venv (pip's output above); make lock needs it."
    exit 0
fi

stamp="$(stamp_for "$extras")"
if [ "${WFKIT_FORCE_INSTALL:-0}" != 1 ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$(hash_for "$extras")" ]; then
    say "$venv is up to date for .[$extras] (pyproject.toml and $lock unchanged): skipping the install"
    exit 0
fi

# Both installers get the same request: wfkit editable with the extra, constrained by
# the lock. --no-build-isolation builds wfkit with the venv's pinned setuptools rather
# than whichever release is newest that day.
request=(--no-build-isolation -c "$lock" -e ".[$extras]")
started=$SECONDS
installer="${WFKIT_INSTALLER:-uv}"
case "$installer" in
    uv) ;;
    pip) say "WFKIT_INSTALLER=pip: installing with pip alone" ;;
    *) die "WFKIT_INSTALLER is '$installer'; it can be uv (the default) or pip." ;;
esac
if [ "$installer" = uv ] && ! install_tools uv setuptools; then
    installer=pip
    say "could not install uv (pip's output above): installing with pip, the same pinned versions, only slower"
fi
[ "$installer" = uv ] || install_tools setuptools

say "installing wfkit editable with extras [$extras] into $venv, versions from $lock, with $installer"
# --compile-bytecode: uv, unlike pip, does not compile the modules it installs unless told.
# Compiled now, in parallel, they spare JupyterLab's and every kernel's first start the work
# (and every start where Python may not write bytecode, PYTHONDONTWRITEBYTECODE=1).
if [ "$installer" = uv ] && ! "$venv/bin/uv" pip install --quiet --compile-bytecode --python "$venv_python" "${request[@]}"; then
    installer=pip
    say "uv could not install (its output above): installing with pip instead, same pinned versions"
fi
if [ "$installer" = pip ]; then
    "$venv_python" -m pip install --quiet --progress-bar off "${request[@]}"
fi

for extra in $(extras_installed_by "$extras"); do
    hash_for "$extra" > "$(stamp_for "$extra")"
done
sha256sum "$lock" | cut -d' ' -f1 > "$venv/.wfkit-lock"
say "installed .[$extras] in $((SECONDS - started)) s with $installer"
