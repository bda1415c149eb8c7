#!/bin/sh
# Build mlcareer's wheel from a source folder and install it, with its dependencies, into a
# fresh virtual environment at PREFIX, plus the container health check. The Dockerfile's build
# stage runs exactly this; so does a VM install (sudo sh deploy/build.sh . /opt/mlcareer), and
# tests/deploy/ runs it into a temporary folder, so what the image contains is tested even
# where no container engine exists.
#
# usage: deploy/build.sh SOURCE PREFIX
#
# Environment:
#   PYTHON      the Python (3.11+, with pip) to build with; PREFIX runs on it (default: python3)
#   WHEEL_DIR   keep the built wheel in this folder (default: a temporary folder, removed)
#   REUSE_SITE_PACKAGES
#               for tests: folders (':'-separated) that already hold the dependencies. PREFIX
#               sees them through a .pth file and the wheel is installed with --no-deps, offline.
#
# PREFIX gets no pip (pip runs from PYTHON, aimed at PREFIX), so an image built from it holds
# no build tools. Run it again on the same PREFIX to upgrade in place.
set -eu

if [ "$#" -ne 2 ]; then
    echo "usage: $0 SOURCE PREFIX" >&2
    exit 2
fi
source_dir=$1
prefix=$2
python=${PYTHON:-python3}
if [ ! -f "$source_dir/pyproject.toml" ]; then
    echo "$0: $source_dir has no pyproject.toml; pass the mlcareer source folder" >&2
    exit 2
fi
case $prefix in
    /*) ;;
    *) prefix=$(pwd)/$prefix ;;
esac

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
wheels=${WHEEL_DIR:-$work/wheels}
mkdir -p "$wheels"

# Build from a clean copy of exactly what the package is made of, so stale build/ output or
# stray files in the checkout never end up in the wheel.
mkdir "$work/src"
for part in pyproject.toml setup.py README.md bot knowledge; do
    cp -R "$source_dir/$part" "$work/src/"
done
find "$work/src" -name __pycache__ -prune -exec rm -rf {} +
"$python" -m pip wheel --quiet --no-deps --wheel-dir "$wheels" "$work/src"
wheel=$(ls "$wheels"/mlcareer-*.whl)

"$python" -m venv --without-pip "$prefix"
if "$python" -m pip --python "$prefix/bin/python" --version >/dev/null 2>&1; then
    pip_into_prefix() {
        "$python" -m pip --python "$prefix/bin/python" install --quiet \
            --disable-pip-version-check "$@"
    }
    temporary_pip=
else
    # pip older than 22.3 (Ubuntu 22.04's) cannot aim at another environment: give PREFIX a
    # pip of its own for the install, and take it out again afterwards.
    "$prefix/bin/python" -m ensurepip --default-pip >/dev/null
    pip_into_prefix() {
        "$prefix/bin/python" -m pip install --quiet --disable-pip-version-check "$@"
    }
    temporary_pip=yes
fi
if [ -n "${REUSE_SITE_PACKAGES:-}" ]; then
    site=$("$prefix/bin/python" -c 'import sysconfig; print(sysconfig.get_path("purelib"))')
    echo "$REUSE_SITE_PACKAGES" | tr ':' '\n' > "$site/_mlcareer_reused_dependencies.pth"
    pip_into_prefix --no-index --no-deps --force-reinstall "$wheel"
else
    pip_into_prefix "$wheel"                             # the dependencies, as pinned by pip
    pip_into_prefix --no-deps --force-reinstall "$wheel" # and this build, even at the same version
fi

if [ -n "$temporary_pip" ]; then
    "$prefix/bin/python" -m pip uninstall --quiet --yes pip setuptools >/dev/null 2>&1 || true
    rm -f "$prefix"/bin/pip "$prefix"/bin/pip3*
fi

# The container's HEALTHCHECK command (standard library only: the slim image has no curl).
{
    echo "#!$prefix/bin/python"
    cat "$source_dir/deploy/container/healthcheck.py"
} > "$prefix/bin/mlcareer-healthcheck"
chmod 755 "$prefix/bin/mlcareer-healthcheck"

"$prefix/bin/mlcareer" --version
