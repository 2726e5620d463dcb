/* MessagePack for the alpaca-data provider, with msgpack-c: a JSON tree
 * packed as Alpaca sends it (times as timestamp extensions), and a client
 * message unpacked into a JSON tree with the connectors' own decoder
 * (plugins/mpjson.c, compiled in). */
#include "replayd.h"

#include <string.h>

#include <msgpack.h>

#include "mpjson.h"
#include "rfc3339.h"

#define NS_PER_SEC 1000000000LL

static void pack(msgpack_packer *, json_t *, int);

/* A time as the timestamp extension; the string as it is when it does
 * not read as RFC 3339. */
static void
pack_time(msgpack_packer *pk, const char *s)
{
	msgpack_timestamp ts;
	int64_t ns;
	size_t n = strlen(s);

	if (rfc3339_parse(s, &ns) == 0 && ns >= 0) {
		ts.tv_sec = ns / NS_PER_SEC;
		ts.tv_nsec = (uint32_t)(ns % NS_PER_SEC);
		msgpack_pack_timestamp(pk, &ts);
		return;
	}
	msgpack_pack_str(pk, n);
	msgpack_pack_str_body(pk, s, n);
}

static void
pack_string(msgpack_packer *pk, const char *s, size_t n)
{
	msgpack_pack_str(pk, n);
	msgpack_pack_str_body(pk, s, n);
}

/* The members of object J in order; the value under "t" is a time. */
static void
pack_object(msgpack_packer *pk, json_t *j)
{
	const char *k;
	json_t *v;

	msgpack_pack_map(pk, json_object_size(j));
	json_object_foreach(j, k, v) {
		pack_string(pk, k, strlen(k));
		pack(pk, v, strcmp(k, "t") == 0);
	}
}

static void
pack(msgpack_packer *pk, json_t *j, int is_time)
{
	size_t i;
	json_t *v;

	switch (json_typeof(j)) {
	case JSON_OBJECT:
		pack_object(pk, j);
		break;
	case JSON_ARRAY:
		msgpack_pack_array(pk, json_array_size(j));
		json_array_foreach(j, i, v)
			pack(pk, v, 0);
		break;
	case JSON_STRING:
		if (is_time)
			pack_time(pk, json_string_value(j));
		else
			pack_string(pk, json_string_value(j),
			    json_string_length(j));
		break;
	case JSON_INTEGER:
		msgpack_pack_int64(pk, json_integer_value(j));
		break;
	case JSON_REAL:
		msgpack_pack_double(pk, json_real_value(j));
		break;
	case JSON_TRUE:
		msgpack_pack_true(pk);
		break;
	case JSON_FALSE:
		msgpack_pack_false(pk);
		break;
	default:
		msgpack_pack_nil(pk);
		break;
	}
}

static int
buf_write(void *data, const char *p, size_t n)
{
	buf_add(data, p, n);
	return 0;
}

void
mpack_buf(struct buf *b, json_t *j)
{
	msgpack_packer pk;

	msgpack_packer_init(&pk, b, buf_write);
	pack(&pk, j, 0);
}

json_t *
mpack_load(const char *data, size_t len)
{
	return mpjson_parse(data, len);
}
