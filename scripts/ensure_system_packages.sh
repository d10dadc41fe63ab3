#!/usr/bin/env bash
# Make sure the system programs wfkit's tests and lessons use are present.
#
#   scripts/ensure_system_packages.sh graphviz chromium
#
# Known packages and the program that shows each is installed:
#   graphviz  -> dot               (drawing workflow graphs)
#   chromium  -> /usr/bin/chromium (the Playwright test of JupyterLab; never
#                                   `playwright install`, Debian's build is used)
#
# Missing ones are installed with apt-get when we are root and apt-get exists.
# Otherwise the script says what to install and carries on: the tests that need a
# missing program skip with a reason. With CI=true (or WFKIT_STRICT_SYSTEM_PACKAGES=1)
# a failed apt-get install is an error, so CI cannot quietly skip those tests.
set -euo pipefail

say() { echo "==> $*"; }
warn() { echo "warning: $*" >&2; }

program_for() {
    case "$1" in
        graphviz) echo dot ;;
        chromium) echo /usr/bin/chromium ;;
        *) echo "error: scripts/ensure_system_packages.sh does not know the package '$1'" >&2; exit 2 ;;
    esac
}

is_present() {
    local program="$1"
    if [[ "$program" == /* ]]; then
        [ -x "$program" ]
    else
        command -v "$program" >/dev/null 2>&1
    fi
}

strict=0
if [ "${CI:-}" = true ] || [ "${WFKIT_STRICT_SYSTEM_PACKAGES:-0}" = 1 ]; then
    strict=1
fi

missing=()
for package in "$@"; do
    program="$(program_for "$package")"
    if is_present "$program"; then
        say "$package: found $program"
    else
        missing+=("$package")
    fi
done

if [ "${#missing[@]}" -eq 0 ]; then
    exit 0
fi

if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    warn "missing system packages: ${missing[*]}."
    if command -v apt-get >/dev/null 2>&1; then
        warn "install them with: sudo apt-get update && sudo apt-get install ${missing[*]}"
    else
        warn "install them with your system's package manager (graphviz provides 'dot'; chromium must be at /usr/bin/chromium)."
    fi
    warn "carrying on: the tests that need them will be skipped."
    exit 0
fi

say "installing system packages with apt-get: ${missing[*]}"
started=$SECONDS
export DEBIAN_FRONTEND=noninteractive
apt_options=(-y -q -o DPkg::Lock::Timeout=300 --no-install-recommends)
apt-get update -q || warn "apt-get update failed; trying to install from the package lists already here"

# One package at a time, so that one that cannot be had (Ubuntu ships Chromium as a
# snap, not as the deb 'chromium') does not keep the others from installing.
failed=()
for package in "${missing[@]}"; do
    if apt-get install "${apt_options[@]}" "$package" && is_present "$(program_for "$package")"; then
        say "installed $package"
    else
        failed+=("$package")
    fi
done
say "apt-get finished in $((SECONDS - started)) s"

if [ "${#failed[@]}" -eq 0 ]; then
    exit 0
fi
if [ "$strict" = 1 ]; then
    echo "error: could not install: ${failed[*]} (see apt-get's output above). CI needs them, so that no test is skipped for want of them." >&2
    exit 1
fi
warn "could not install: ${failed[*]}. Carrying on: the tests that need them will be skipped."
