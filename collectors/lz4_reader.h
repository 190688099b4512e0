/* lz4_reader.h - lz4 frames decoded as a stream, in memory bounded by the
 * 64 KiB an lz4 match reaches back, whatever block size the frames declare. */
#ifndef HYGIE_LZ4_READER_H
#define HYGIE_LZ4_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct lz4_reader;

/* A reader at the start of a stream of frames; free it with
 * lz4_reader_free. 0 or -ENOMEM. */
int lz4_reader_new(struct lz4_reader **out);
/* Decodes from in (*in_len bytes; set to the count consumed) to out, up to
 * out_len bytes: the count written, or -EBADMSG when the data is corrupt.
 * Matches reach back before out: the 64 KiB of output written last (or all
 * of it, when less) must lie just before out, as in one buffer. Output may
 * come without input, when the last call ran out of room in a match. */
ssize_t lz4_reader_decode(struct lz4_reader *r, const void *in, size_t *in_len, void *out,
                          size_t out_len);
/* Whether the stream may end here: between frames. */
bool lz4_reader_at_end(const struct lz4_reader *r);
void lz4_reader_free(struct lz4_reader *r);

#endif
