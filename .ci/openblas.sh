#!/usr/bin/env bash
# CI: the optional OpenBLAS build (-tags openblas, cgo). Installs Debian's libopenblas-dev when the
# linkable library (libopenblas.so) is missing, then tests the packages whose graph and numeric
# paths run on the BLAS.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! ldconfig -p 2>/dev/null | grep -qE 'libopenblas\.so( |$)'; then
	SUDO=""
	if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
	$SUDO apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq libopenblas-dev >/dev/null
fi
go test -tags openblas ./layers/... ./distributions/... ./trainer/... ./internal/... ./benchmarks/
