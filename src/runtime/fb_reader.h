/*
** fb_reader.h: bounds-checked access to flatbuffer bytes.
**
** Every accessor checks its bounds, so even bytes the verifier has not seen
** cannot make it read outside the buffer; out-of-range reads return the
** field's default. Positions are byte offsets into the buffer (uint32_t:
** flatbuffers are < 2 GiB). Scalars are little-endian and may be unaligned
** (the model can sit anywhere in flash), so they are read byte by byte.
*/
#ifndef MOTE_FB_READER_H
#define MOTE_FB_READER_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct fb_buf {
  const uint8_t *p;
  size_t len;
} fb_buf;

/* A table: its position and its vtable. pos == 0 means "absent". */
typedef struct fb_table {
  uint32_t pos;
  uint32_t vt;
  uint16_t vt_size;
  uint16_t t_size;
} fb_table;

/* A vector: position of element 0 and the element count. */
typedef struct fb_vec {
  uint32_t pos;
  uint32_t n;
} fb_vec;

static inline uint32_t fb_rd_u32(const fb_buf *b, size_t pos) {
  if (pos > b->len || b->len - pos < 4) return 0;
  return (uint32_t)b->p[pos] | ((uint32_t)b->p[pos + 1] << 8) |
         ((uint32_t)b->p[pos + 2] << 16) | ((uint32_t)b->p[pos + 3] << 24);
}
static inline uint16_t fb_rd_u16(const fb_buf *b, size_t pos) {
  if (pos > b->len || b->len - pos < 2) return 0;
  return (uint16_t)(b->p[pos] | (b->p[pos + 1] << 8));
}
static inline uint8_t fb_rd_u8(const fb_buf *b, size_t pos) {
  return pos < b->len ? b->p[pos] : 0;
}
static inline uint64_t fb_rd_u64(const fb_buf *b, size_t pos) {
  if (pos > b->len || b->len - pos < 8) return 0;
  return (uint64_t)fb_rd_u32(b, pos) | ((uint64_t)fb_rd_u32(b, pos + 4) << 32);
}
static inline float fb_rd_f32(const fb_buf *b, size_t pos) {
  uint32_t u = fb_rd_u32(b, pos);
  float f;
  memcpy(&f, &u, sizeof f);
  return f;
}

/* Read a table at absolute position `pos` (no verification; see verify). */
fb_table fb_table_at(const fb_buf *b, uint32_t pos);

/* Offset of field `id` inside table t, 0 if absent (or t absent). */
static inline uint32_t fb_field(const fb_buf *b, const fb_table *t, int id) {
  uint32_t vo = 4u + 2u * (uint32_t)id;
  if (t->pos == 0 || vo + 2u > t->vt_size) return 0;
  uint16_t off = fb_rd_u16(b, (size_t)t->vt + vo);
  if (off == 0 || off >= t->t_size) return 0;
  return off;
}

int32_t fb_i32(const fb_buf *b, const fb_table *t, int id, int32_t def);
uint32_t fb_u32(const fb_buf *b, const fb_table *t, int id, uint32_t def);
int64_t fb_i64(const fb_buf *b, const fb_table *t, int id, int64_t def);
uint64_t fb_u64(const fb_buf *b, const fb_table *t, int id, uint64_t def);
int8_t fb_i8(const fb_buf *b, const fb_table *t, int id, int8_t def);
uint8_t fb_u8(const fb_buf *b, const fb_table *t, int id, uint8_t def);
int16_t fb_i16(const fb_buf *b, const fb_table *t, int id, int16_t def);
float fb_f32(const fb_buf *b, const fb_table *t, int id, float def);
int fb_bool(const fb_buf *b, const fb_table *t, int id, int def);

/* Sub-table / vector / string referenced by field `id` (absent: pos 0). */
fb_table fb_subtable(const fb_buf *b, const fb_table *t, int id);
fb_vec fb_vector(const fb_buf *b, const fb_table *t, int id);
/* NUL-terminated string of field `id`, "" if absent. */
const char *fb_string(const fb_buf *b, const fb_table *t, int id);

/* Element i of a vector of tables / of int32 / of uint8 data. */
fb_table fb_vec_table(const fb_buf *b, fb_vec v, uint32_t i);
static inline int32_t fb_vec_i32(const fb_buf *b, fb_vec v, uint32_t i) {
  return i < v.n ? (int32_t)fb_rd_u32(b, (size_t)v.pos + 4u * i) : 0;
}
static inline float fb_vec_f32(const fb_buf *b, fb_vec v, uint32_t i) {
  return i < v.n ? fb_rd_f32(b, (size_t)v.pos + 4u * i) : 0.0f;
}
static inline int64_t fb_vec_i64(const fb_buf *b, fb_vec v, uint32_t i) {
  return i < v.n ? (int64_t)fb_rd_u64(b, (size_t)v.pos + 8u * i) : 0;
}

#endif
