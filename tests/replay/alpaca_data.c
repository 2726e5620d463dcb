#include "replayd.h"
const struct provider_ops alpaca_data_ops = { .name = "alpaca-data" };
