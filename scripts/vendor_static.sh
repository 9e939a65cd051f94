#!/usr/bin/env bash
# Re-vendor the front-end assets in static/vendor/ from the npm registry.
#
# Versions are pinned exactly so the result is reproducible. To upgrade,
# change a version below, re-run this script, review the diff and update
# static/vendor/README.md.
#
# Requires: npm, tar. Nothing is installed into the repository (no
# node_modules, no package.json); packages are fetched with `npm pack`
# into a temporary directory.
set -euo pipefail

BOOTSTRAP_VERSION="5.3.9"
BOOTSTRAP_ICONS_VERSION="1.13.2"
CHARTJS_VERSION="4.6.1"
HTMX_VERSION="2.0.11"

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
vendor_dir="${repo_root}/static/vendor"

tmp="$(mktemp -d)"
trap 'rm -rf "${tmp}"' EXIT

# fetch <name> <version>: download the tarball and unpack it into $tmp/<name>/
fetch() {
    local name="$1" version="$2" tarball
    mkdir -p "${tmp}/${name}"
    tarball="$(cd "${tmp}" && npm pack --silent "${name}@${version}" | tail -n 1)"
    tar -xzf "${tmp}/${tarball}" -C "${tmp}/${name}"
    echo "fetched ${name}@${version}" >&2
}

fetch bootstrap "${BOOTSTRAP_VERSION}"
fetch bootstrap-icons "${BOOTSTRAP_ICONS_VERSION}"
fetch chart.js "${CHARTJS_VERSION}"
fetch htmx.org "${HTMX_VERSION}"

# Start from a clean slate for each package, but keep README.md.
rm -rf "${vendor_dir}/bootstrap" "${vendor_dir}/bootstrap-icons" \
       "${vendor_dir}/chartjs" "${vendor_dir}/htmx"

# Bootstrap: minified CSS and JS bundle (includes Popper) with source maps.
src="${tmp}/bootstrap/package"
dst="${vendor_dir}/bootstrap"
install -d "${dst}/css" "${dst}/js"
install -m 0644 "${src}/dist/css/bootstrap.min.css" \
                "${src}/dist/css/bootstrap.min.css.map" "${dst}/css/"
install -m 0644 "${src}/dist/js/bootstrap.bundle.min.js" \
                "${src}/dist/js/bootstrap.bundle.min.js.map" "${dst}/js/"
install -m 0644 "${src}/LICENSE" "${dst}/LICENSE"

# Bootstrap Icons: minified CSS plus the fonts/ folder it references
# via url("fonts/bootstrap-icons.woff2?...").
src="${tmp}/bootstrap-icons/package"
dst="${vendor_dir}/bootstrap-icons"
install -d "${dst}/fonts"
install -m 0644 "${src}/font/bootstrap-icons.min.css" "${dst}/"
install -m 0644 "${src}/font/fonts/bootstrap-icons.woff2" \
                "${src}/font/fonts/bootstrap-icons.woff" "${dst}/fonts/"
install -m 0644 "${src}/LICENSE" "${dst}/LICENSE"

# Chart.js: UMD build. The source map is kept because the minified file
# references it (ManifestStaticFilesStorage fails on a missing map).
src="${tmp}/chart.js/package"
dst="${vendor_dir}/chartjs"
install -d "${dst}"
install -m 0644 "${src}/dist/chart.umd.min.js" \
                "${src}/dist/chart.umd.min.js.map" "${dst}/"
install -m 0644 "${src}/LICENSE.md" "${dst}/LICENSE"

# htmx
src="${tmp}/htmx.org/package"
dst="${vendor_dir}/htmx"
install -d "${dst}"
install -m 0644 "${src}/dist/htmx.min.js" "${dst}/"
install -m 0644 "${src}/LICENSE" "${dst}/LICENSE"

echo "Vendored files written to ${vendor_dir}" >&2
