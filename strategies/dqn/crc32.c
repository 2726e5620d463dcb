/* CRC-32 as in zlib and IEEE 802.3, four bits at a time from a 16-entry
 * table (entry i is i run through four rounds of the reflected
 * polynomial 0xEDB88320); model files are small, so compactness wins
 * over the byte-wide table. */
#include <stddef.h>
#include <stdint.h>

#include "model.h"

static const uint32_t crc_nibble[16] = {
	0x00000000, 0x1db71064, 0x3b6e20c8, 0x26d930ac,
	0x76dc4190, 0x6b6b51f4, 0x4db26158, 0x5005713c,
	0xedb88320, 0xf00f9344, 0xd6d6a3e8, 0xcb61b38c,
	0x9b64c2b0, 0x86d3d2d4, 0xa00ae278, 0xbdbdf21c,
};

uint32_t
dqn_crc32(uint32_t crc, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	size_t i;

	crc = ~crc;
	for (i = 0; i < len; i++) {
		crc ^= p[i];
		crc = crc_nibble[crc & 0xf] ^ (crc >> 4);
		crc = crc_nibble[crc & 0xf] ^ (crc >> 4);
	}
	return ~crc;
}
