#include "session.h"
#include "suites.h"

Suite *
session_suite(void)
{
	return suite_create("session");
}
