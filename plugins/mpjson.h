/*
 * MessagePack for the connector plugins: one MessagePack message decoded
 * with msgpack-c into the jansson tree the JSON path already reads, so a
 * connector keeps one set of message handlers for both formats.  Compiled
 * into each plugin that speaks MessagePack (plugins link no host code);
 * nothing here keeps global state.
 */
#ifndef PLUGINS_MPJSON_H
#define PLUGINS_MPJSON_H

#include <stddef.h>

#include <jansson.h>

/*
 * Decodes exactly one MessagePack object of len bytes.  Maps become
 * objects (their keys must be strings), arrays arrays, strings (valid
 * UTF-8) strings, integers and floats numbers, nil null, booleans
 * booleans.  A timestamp (extension type -1, any of its three sizes)
 * becomes an RFC 3339 string in UTC with up to nine fraction digits
 * ("2021-02-22T19:15:00Z"), as the JSON format writes times.  Binary
 * strings and other extension types become null (no field a connector
 * reads has them).  Returns NULL for truncated or trailing bytes, a
 * non-string key, invalid UTF-8, a non-finite float, an integer beyond
 * int64, or a timestamp outside 1970..2262.  The caller owns the result
 * (json_decref).
 */
json_t *mpjson_parse(const char *data, size_t len);

#endif
