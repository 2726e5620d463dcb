/* tradehost: runs strategy plugins; everything lives in cli.c and below.
 * Process-wide libraries start here, once, before any thread or plugin:
 * libcurl's global state (libcurl-thread(3)). */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "http.h"

int
main(int argc, char **argv)
{
	char *cause = NULL;
	int rc;

	if (http_global_init(&cause) < 0) {
		fprintf(stderr, "tradehost: %s\n", cause);
		free(cause);
		return CLI_EXIT_FAILURE;
	}
	rc = cli_main(argc, argv);
	http_global_cleanup();
	return rc;
}
