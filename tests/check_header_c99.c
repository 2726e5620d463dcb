/* The public header compiles as strict C99 (-pedantic -Werror) and its
 * inline helpers are usable. */
#include <tradehost.h>

int
main(void)
{
	double v[] = { 1, 3 }, w[] = { 2, 2 };
	struct th_series a = { v, 2 }, b = { w, 2 };

	return th_crossover(a, b) && !th_crossover(b, a) ? 0 : 1;
}
