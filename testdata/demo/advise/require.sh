#!/bin/sh
# Makes sure `make demo` can run: PostgreSQL server binaries for the
# sandbox and, for what-if planning, HypoPG. As root on Debian or Ubuntu
# it installs what is missing; otherwise it says what to install.
set -eu
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$bindir" ] && command -v pg_config >/dev/null; then bindir=$(pg_config --bindir); fi
root=no; [ "$(id -u)" = 0 ] && root=yes
apt=no; command -v apt-get >/dev/null && apt=yes
if [ -z "$bindir" ] || [ ! -x "$bindir/postgres" ]; then
	if [ $root = yes ] && [ $apt = yes ]; then
		echo "make demo: installing PostgreSQL (apt-get install postgresql)" >&2
		apt-get install -y -qq postgresql >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq postgresql >/dev/null; }
		bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
	else
		echo "make demo needs the PostgreSQL server: install it (Debian/Ubuntu: sudo apt-get install postgresql postgresql-NN-hypopg)" >&2
		exit 1
	fi
fi
version=$(basename "$(dirname "$bindir")")
share=$("$bindir/pg_config" --sharedir 2>/dev/null || echo "/usr/share/postgresql/$version")
if [ ! -f "$share/extension/hypopg.control" ]; then
	if [ $root = yes ] && [ $apt = yes ]; then
		echo "make demo: installing HypoPG (apt-get install postgresql-$version-hypopg)" >&2
		apt-get install -y -qq "postgresql-$version-hypopg" >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq "postgresql-$version-hypopg" >/dev/null; } ||
			echo "make demo: HypoPG could not be installed; the advisor evaluates with real indexes instead (slower)" >&2
	else
		echo "make demo: HypoPG is not installed (Debian/Ubuntu: sudo apt-get install postgresql-$version-hypopg); the advisor evaluates with real indexes instead (slower)" >&2
	fi
fi
