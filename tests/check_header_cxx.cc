// The public header compiles as C++ (-pedantic -Werror) with C linkage.
#include <tradehost.h>

int
main()
{
	double v[] = { 1, 3 }, w[] = { 2, 2 };
	struct th_series a = { v, 2 }, b = { w, 2 };

	return th_cross(a, b) ? 0 : 1;
}
