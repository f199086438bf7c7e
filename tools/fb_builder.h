/*
** fb_builder.h: a minimal flatbuffer builder (host only, allocates).
**
** The buffer is built back to front, like the reference flatbuffers
** library: children (strings, vectors, sub-tables) are written first and
** a parent refers to them by the offset the child's constructor returned.
** Such an offset ("fbb_ref") is the distance of the object's first byte
** from the END of the buffer, so it never changes while the buffer grows
** towards the front. Because every reference is written after (that is,
** in front of) the object it points to, every uoffset of the finished
** buffer points forward, as the format requires.
**
** Alignment is tracked relative to the end of the buffer; fbb_finish pads
** the front so that the total size is a multiple of the largest alignment
** ever requested. A finished buffer placed at an address aligned to that
** value (16 for TFLite buffer data) has every scalar, vector and table
** naturally aligned.
**
** Errors (out of memory, a table nested in a table, too many fields) are
** sticky: every later call does nothing and fbb_finish reports failure,
** so a writer can chain calls and check once at the end.
*/
#ifndef MOTE_FB_BUILDER_H
#define MOTE_FB_BUILDER_H

#include <stddef.h>
#include <stdint.h>

/* Offset of an object, counted in bytes from the end of the buffer. 0: none. */
typedef uint32_t fbb_ref;

/* Largest field id a table may use (vtable slots). */
#define FBB_MAX_FIELDS 64

typedef struct fbb {
  uint8_t *buf; /* storage; the data lives in buf[cap - used, cap) */
  size_t cap;
  size_t used;
  size_t minalign; /* largest alignment requested so far */
  int err;         /* sticky: non-zero once anything failed */
  int dedup_vtables;
  /* the table under construction */
  int in_table;
  size_t table_start;                /* `used` when fbb_table_start ran */
  uint32_t field_at[FBB_MAX_FIELDS]; /* `used` after each field, 0: unset */
  int max_field;
  /* finished vtables, for sharing identical ones */
  uint32_t *vtables;
  size_t n_vtables, cap_vtables;
} fbb;

/*
** fbb_init: prepare an empty builder. Identical vtables are shared (as
** flatc does) unless fbb_set_vtable_dedup(b, 0) is called. Never fails;
** memory is allocated on first use.
*/
void fbb_init(fbb *b);

/* fbb_set_vtable_dedup: 1 (default) shares identical vtables, 0 does not. */
void fbb_set_vtable_dedup(fbb *b, int on);

/* fbb_free: release the builder's memory (not a buffer taken by fbb_finish). */
void fbb_free(fbb *b);

/*
** fbb_pad_to: insert zero bytes so that after `extra` more bytes are
** pushed, the write position is a multiple of `align` (a power of two).
*/
void fbb_pad_to(fbb *b, size_t align, size_t extra);

/*
** fbb_create_string: write a string (uint32 length, bytes, NUL) and return
** its reference. The `len` bytes of `s` are copied as they are.
*/
fbb_ref fbb_create_string(fbb *b, const char *s, size_t len);

/* fbb_create_cstring: fbb_create_string of a NUL-terminated string. */
fbb_ref fbb_create_cstring(fbb *b, const char *s);

/*
** fbb_create_vector: write a vector of `n` scalars of `elem_size` bytes
** each, taken from `data` in host order and stored little-endian
** (elem_size 1, 2, 4 or 8). The element data is aligned to the largest of
** elem_size, 4 and `align` (0: no extra), so TFLite buffer data can ask
** for 16 (its force_align). `data` may be NULL only when n == 0.
*/
fbb_ref fbb_create_vector(fbb *b, const void *data, size_t n, size_t elem_size,
                          size_t align);

/*
** fbb_create_ref_vector: write a vector of `n` references (tables,
** strings or vectors created earlier in this builder).
*/
fbb_ref fbb_create_ref_vector(fbb *b, const fbb_ref *refs, size_t n);

/*
** fbb_table_start: begin a table. Tables cannot nest: create children
** first. Fields are added with fbb_add_* and the table closed by
** fbb_table_end, which returns its reference.
*/
void fbb_table_start(fbb *b);

/* Scalar fields. `id` is the field's id in the schema (0..FBB_MAX_FIELDS-1). */
void fbb_add_u8(fbb *b, int id, uint8_t v);
void fbb_add_i8(fbb *b, int id, int8_t v);
void fbb_add_u16(fbb *b, int id, uint16_t v);
void fbb_add_i16(fbb *b, int id, int16_t v);
void fbb_add_u32(fbb *b, int id, uint32_t v);
void fbb_add_i32(fbb *b, int id, int32_t v);
void fbb_add_u64(fbb *b, int id, uint64_t v);
void fbb_add_i64(fbb *b, int id, int64_t v);
void fbb_add_f32(fbb *b, int id, float v);
void fbb_add_f64(fbb *b, int id, double v);
/* A bool field (stored as one byte, 0 or 1). */
void fbb_add_bool(fbb *b, int id, int v);
/* A reference field (string, vector or table); ref 0 adds nothing. */
void fbb_add_ref(fbb *b, int id, fbb_ref ref);

/*
** fbb_table_end: write the table's vtable (or share an identical one) and
** return the table's reference (0 on a sticky error).
*/
fbb_ref fbb_table_end(fbb *b);

/*
** fbb_finish: write the root offset and the optional 4-byte file
** identifier (NULL: none) in front of everything, pad the total size to
** the largest alignment used, and hand the bytes over: *out receives a
** malloc'd copy (free with free()) and *len its size. The builder can be
** freed afterwards. Returns 0 on success, -1 on any earlier error.
*/
int fbb_finish(fbb *b, fbb_ref root, const char *identifier, uint8_t **out,
               size_t *len);

#endif
