#!/bin/sh
# Sets up a Debian machine for tradehost and builds it in this directory:
# installs the missing build dependencies with apt-get (when run as root),
# generates and runs configure, and runs make.  Extra arguments are passed
# to configure on the first run (e.g. --enable-sanitizers).
set -eu
cd "$(dirname "$0")"

packages="build-essential autoconf automake libtool pkg-config check \
    libconfig-dev libwebsockets-dev libcurl4-openssl-dev libjansson-dev \
    libmsgpack-dev"

missing=""
for p in $packages; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
	    grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
if [ -n "$missing" ]; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "bootstrap.sh: missing packages:$missing" >&2
		echo "bootstrap.sh: run as root, or: sudo apt-get install$missing" >&2
		exit 1
	fi
	echo "bootstrap.sh: installing$missing"
	apt-get update -q
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
	    --no-install-recommends $missing
fi

[ -x configure ] || autoreconf -fi
[ -f Makefile ] || ./configure "$@"
make -j"$(nproc)"
