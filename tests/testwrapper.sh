#!/bin/sh
# Runs one test, under valgrind when the build was configured with
# --enable-valgrind (VALGRIND set by the test environment).  Shell tests run
# as they are; they wrap tradehost themselves through $TH_RUN.
case "$1" in
*.sh) exec "$@" ;;
esac
if [ -n "$VALGRIND" ]; then
	exec "$VALGRIND" --quiet --error-exitcode=1 --leak-check=full \
		--errors-for-leak-kinds=definite,indirect "$@"
fi
exec "$@"
