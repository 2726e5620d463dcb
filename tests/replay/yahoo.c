#include "replayd.h"
const struct provider_ops yahoo_ops = { .name = "yahoo" };
