/* fb_reader.c: bounds-checked flatbuffer field access. */
#include "fb_reader.h"

fb_table fb_table_at(const fb_buf *b, uint32_t pos) {
  fb_table t = {0, 0, 0, 0};
  if (pos == 0 || (size_t)pos + 4u > b->len) return t;
  int32_t soff = (int32_t)fb_rd_u32(b, pos);
  int64_t vt = (int64_t)pos - (int64_t)soff;
  if (vt < 0 || (uint64_t)vt + 4u > b->len) return t;
  uint16_t vts = fb_rd_u16(b, (size_t)vt);
  uint16_t ts = fb_rd_u16(b, (size_t)vt + 2u);
  if (vts < 4 || (uint64_t)vt + vts > b->len) return t;
  if (ts < 4 || (size_t)pos + ts > b->len) return t;
  t.pos = pos;
  t.vt = (uint32_t)vt;
  t.vt_size = vts;
  t.t_size = ts;
  return t;
}

/* Absolute position of a scalar field of `size` bytes, 0 if absent. */
static size_t scalar_pos(const fb_buf *b, const fb_table *t, int id,
                         uint32_t size) {
  uint32_t off = fb_field(b, t, id);
  if (off == 0 || off + size > t->t_size) return 0;
  return (size_t)t->pos + off;
}

int32_t fb_i32(const fb_buf *b, const fb_table *t, int id, int32_t def) {
  size_t p = scalar_pos(b, t, id, 4);
  return p ? (int32_t)fb_rd_u32(b, p) : def;
}
uint32_t fb_u32(const fb_buf *b, const fb_table *t, int id, uint32_t def) {
  size_t p = scalar_pos(b, t, id, 4);
  return p ? fb_rd_u32(b, p) : def;
}
int64_t fb_i64(const fb_buf *b, const fb_table *t, int id, int64_t def) {
  size_t p = scalar_pos(b, t, id, 8);
  return p ? (int64_t)fb_rd_u64(b, p) : def;
}
uint64_t fb_u64(const fb_buf *b, const fb_table *t, int id, uint64_t def) {
  size_t p = scalar_pos(b, t, id, 8);
  return p ? fb_rd_u64(b, p) : def;
}
int8_t fb_i8(const fb_buf *b, const fb_table *t, int id, int8_t def) {
  size_t p = scalar_pos(b, t, id, 1);
  return p ? (int8_t)fb_rd_u8(b, p) : def;
}
uint8_t fb_u8(const fb_buf *b, const fb_table *t, int id, uint8_t def) {
  size_t p = scalar_pos(b, t, id, 1);
  return p ? fb_rd_u8(b, p) : def;
}
int16_t fb_i16(const fb_buf *b, const fb_table *t, int id, int16_t def) {
  size_t p = scalar_pos(b, t, id, 2);
  return p ? (int16_t)fb_rd_u16(b, p) : def;
}
float fb_f32(const fb_buf *b, const fb_table *t, int id, float def) {
  size_t p = scalar_pos(b, t, id, 4);
  return p ? fb_rd_f32(b, p) : def;
}
int fb_bool(const fb_buf *b, const fb_table *t, int id, int def) {
  size_t p = scalar_pos(b, t, id, 1);
  return p ? fb_rd_u8(b, p) != 0 : def;
}

/* Target of the uoffset field `id`, 0 if absent or out of range. */
static uint32_t deref(const fb_buf *b, const fb_table *t, int id) {
  size_t p = scalar_pos(b, t, id, 4);
  if (!p) return 0;
  uint64_t target = (uint64_t)p + fb_rd_u32(b, p);
  return target < b->len ? (uint32_t)target : 0;
}

fb_table fb_subtable(const fb_buf *b, const fb_table *t, int id) {
  return fb_table_at(b, deref(b, t, id));
}

fb_vec fb_vector(const fb_buf *b, const fb_table *t, int id) {
  fb_vec v = {0, 0};
  uint32_t p = deref(b, t, id);
  if (!p || (size_t)p + 4u > b->len) return v;
  v.pos = p + 4u;
  v.n = fb_rd_u32(b, p);
  /* Clamp to the buffer: a length past the end reads as empty. */
  if (v.n > (b->len - v.pos)) v.n = 0;
  return v;
}

const char *fb_string(const fb_buf *b, const fb_table *t, int id) {
  fb_vec v = fb_vector(b, t, id);
  if (v.pos == 0 || (size_t)v.pos + v.n >= b->len || b->p[v.pos + v.n] != 0)
    return "";
  return (const char *)(b->p + v.pos);
}

fb_table fb_vec_table(const fb_buf *b, fb_vec v, uint32_t i) {
  fb_table none = {0, 0, 0, 0};
  if (i >= v.n) return none;
  size_t p = (size_t)v.pos + 4u * (size_t)i;
  uint64_t target = (uint64_t)p + fb_rd_u32(b, p);
  if (target >= b->len) return none;
  return fb_table_at(b, (uint32_t)target);
}
