#include "mpjson.h"

#include <stdint.h>
#include <string.h>

#include <msgpack.h>

#include "rfc3339.h"

#define NS_PER_SEC INT64_C(1000000000)
#define SEC_MAX INT64_C(9223372035)	/* the last whole second in int64 ns */
#define KEY_MAX 256			/* longest map key kept + 1 */

static json_t *convert(const msgpack_object *o);

/* A timestamp extension as an RFC 3339 string; NULL when it is not one or
 * does not fit int64 nanoseconds after 1970. */
static json_t *
timestamp(const msgpack_object *o)
{
	msgpack_timestamp ts;
	char text[40];

	if (!msgpack_object_to_timestamp(o, &ts))
		return NULL;
	if (ts.tv_sec < 0 || ts.tv_sec > SEC_MAX || ts.tv_nsec >= NS_PER_SEC)
		return NULL;
	rfc3339_format(ts.tv_sec * NS_PER_SEC + ts.tv_nsec, text,
	    sizeof text);
	return json_string(text);
}

static json_t *
array(const msgpack_object_array *a)
{
	json_t *out = json_array(), *v;
	uint32_t i;

	for (i = 0; out != NULL && i < a->size; i++) {
		if ((v = convert(&a->ptr[i])) == NULL ||
		    json_array_append_new(out, v) != 0) {
			json_decref(out);
			out = NULL;
		}
	}
	return out;
}

/* A key with a NUL byte or longer than KEY_MAX - 1 is refused: no field a
 * connector reads is like that. */
static json_t *
map(const msgpack_object_map *m)
{
	json_t *out = json_object(), *v;
	const msgpack_object_kv *kv;
	char key[KEY_MAX];
	uint32_t i;

	for (i = 0; out != NULL && i < m->size; i++) {
		kv = &m->ptr[i];
		v = NULL;
		if (kv->key.type == MSGPACK_OBJECT_STR &&
		    kv->key.via.str.size < KEY_MAX &&
		    memchr(kv->key.via.str.ptr, '\0',
		    kv->key.via.str.size) == NULL) {
			memcpy(key, kv->key.via.str.ptr, kv->key.via.str.size);
			key[kv->key.via.str.size] = '\0';
			v = convert(&kv->val);
		}
		if (v == NULL || json_object_set_new(out, key, v) != 0) {
			json_decref(out);
			out = NULL;
		}
	}
	return out;
}

/* The JSON form of o, or NULL (see mpjson_parse()).  Recursion is bounded
 * by msgpack-c's unpacker, which refuses nesting deeper than its stack. */
static json_t *
convert(const msgpack_object *o)
{
	switch (o->type) {
	case MSGPACK_OBJECT_NIL:
		return json_null();
	case MSGPACK_OBJECT_BOOLEAN:
		return json_boolean(o->via.boolean);
	case MSGPACK_OBJECT_POSITIVE_INTEGER:
		return o->via.u64 > (uint64_t)INT64_MAX ? NULL :
		    json_integer((json_int_t)o->via.u64);
	case MSGPACK_OBJECT_NEGATIVE_INTEGER:
		return json_integer((json_int_t)o->via.i64);
	case MSGPACK_OBJECT_FLOAT32:
	case MSGPACK_OBJECT_FLOAT64:
		return json_real(o->via.f64);	/* NULL for NaN, inf */
	case MSGPACK_OBJECT_STR:
		return json_stringn(o->via.str.ptr, o->via.str.size);
	case MSGPACK_OBJECT_ARRAY:
		return array(&o->via.array);
	case MSGPACK_OBJECT_MAP:
		return map(&o->via.map);
	case MSGPACK_OBJECT_EXT:
		if (o->via.ext.type == -1)
			return timestamp(o);
		return json_null();
	default:	/* MSGPACK_OBJECT_BIN */
		return json_null();
	}
}

json_t *
mpjson_parse(const char *data, size_t len)
{
	msgpack_unpacked u;
	size_t off = 0;
	json_t *root = NULL;

	if (data == NULL)
		return NULL;
	msgpack_unpacked_init(&u);
	if (msgpack_unpack_next(&u, data, len, &off) ==
	    MSGPACK_UNPACK_SUCCESS && off == len)
		root = convert(&u.data);
	msgpack_unpacked_destroy(&u);
	return root;
}
