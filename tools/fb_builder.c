/*
** fb_builder.c: back-to-front flatbuffer builder. See fb_builder.h.
*/
#include "fb_builder.h"

#include <stdlib.h>
#include <string.h>

void fbb_init(fbb *b) {
  memset(b, 0, sizeof *b);
  b->minalign = 1;
  b->dedup_vtables = 1;
}

void fbb_set_vtable_dedup(fbb *b, int on) {
  b->dedup_vtables = on;
}

void fbb_free(fbb *b) {
  free(b->buf);
  free(b->vtables);
  memset(b, 0, sizeof *b);
}

/* Make room for `n` more bytes in front of the data. */
static int reserve(fbb *b, size_t n) {
  if (b->err) return 0;
  if (b->cap - b->used >= n) return 1;
  if (n > (size_t)0x7fffffff || b->used > (size_t)0x7fffffff - n) {
    b->err = 1; /* flatbuffers are < 2 GiB */
    return 0;
  }
  size_t cap = b->cap ? b->cap : 256;
  while (cap - b->used < n) cap *= 2;
  uint8_t *nb = malloc(cap);
  if (!nb) {
    b->err = 1;
    return 0;
  }
  if (b->used) memcpy(nb + cap - b->used, b->buf + b->cap - b->used, b->used);
  free(b->buf);
  b->buf = nb;
  b->cap = cap;
  return 1;
}

/* Pointer to the byte at `ref` (distance from the end). */
static uint8_t *at(fbb *b, size_t ref) {
  return b->buf + b->cap - ref;
}

static void push_bytes(fbb *b, const void *p, size_t n) {
  if (!reserve(b, n)) return;
  b->used += n;
  if (n) memcpy(at(b, b->used), p, n);
}

static void push_zeros(fbb *b, size_t n) {
  if (!reserve(b, n)) return;
  b->used += n;
  if (n) memset(at(b, b->used), 0, n);
}

static void put_le(uint8_t *p, uint64_t v, size_t size) {
  for (size_t i = 0; i < size; i++) p[i] = (uint8_t)(v >> (8 * i));
}

/* Push a little-endian scalar of `size` bytes (no alignment). */
static void push_le(fbb *b, uint64_t v, size_t size) {
  if (!reserve(b, size)) return;
  b->used += size;
  put_le(at(b, b->used), v, size);
}

void fbb_pad_to(fbb *b, size_t align, size_t extra) {
  if (b->err) return;
  if (align > b->minalign) b->minalign = align;
  size_t pad = (size_t)(0u - (b->used + extra)) & (align - 1);
  push_zeros(b, pad);
}

/* Push an aligned scalar. */
static void push_scalar(fbb *b, uint64_t v, size_t size) {
  fbb_pad_to(b, size, 0);
  push_le(b, v, size);
}

/* Push a uoffset referring to `ref`, relative to the offset's own place. */
static void push_uoffset(fbb *b, fbb_ref ref) {
  fbb_pad_to(b, 4, 0);
  if (b->err) return;
  if (ref == 0 || ref > b->used) {
    b->err = 1; /* references must point to something already written */
    return;
  }
  push_le(b, (uint64_t)(b->used + 4 - ref), 4);
}

fbb_ref fbb_create_string(fbb *b, const char *s, size_t len) {
  if (b->in_table) b->err = 1;
  fbb_pad_to(b, 4, len + 1);
  push_zeros(b, 1);
  push_bytes(b, s, len);
  push_le(b, (uint64_t)len, 4);
  return b->err ? 0 : (fbb_ref)b->used;
}

fbb_ref fbb_create_cstring(fbb *b, const char *s) {
  return fbb_create_string(b, s ? s : "", s ? strlen(s) : 0);
}

fbb_ref fbb_create_vector(fbb *b, const void *data, size_t n, size_t elem_size,
                          size_t align) {
  if (b->in_table || (n && !data)) b->err = 1;
  if (elem_size != 1 && elem_size != 2 && elem_size != 4 && elem_size != 8)
    b->err = 1;
  if (b->err) return 0;
  if (n > ((size_t)0x7fffffff) / elem_size) {
    b->err = 1;
    return 0;
  }
  size_t bytes = n * elem_size;
  size_t a = elem_size > 4 ? elem_size : 4;
  if (align > a) a = align;
  /* data aligned to `a`, and the length word in front of it to 4 */
  fbb_pad_to(b, a, bytes);
  if (!reserve(b, bytes)) return 0;
  const uint8_t *src = data;
  for (size_t i = n; i-- > 0;) {
    uint64_t v = 0;
    switch (elem_size) {
      case 1:
        v = src[i];
        break;
      case 2: {
        uint16_t x;
        memcpy(&x, src + 2 * i, 2);
        v = x;
        break;
      }
      case 4: {
        uint32_t x;
        memcpy(&x, src + 4 * i, 4);
        v = x;
        break;
      }
      default:
        memcpy(&v, src + 8 * i, 8);
        break;
    }
    push_le(b, v, elem_size);
  }
  push_le(b, (uint64_t)n, 4);
  return b->err ? 0 : (fbb_ref)b->used;
}

fbb_ref fbb_create_ref_vector(fbb *b, const fbb_ref *refs, size_t n) {
  if (b->in_table || (n && !refs)) b->err = 1;
  fbb_pad_to(b, 4, 4 * n);
  for (size_t i = n; i-- > 0;) push_uoffset(b, refs[i]);
  push_le(b, (uint64_t)n, 4);
  return b->err ? 0 : (fbb_ref)b->used;
}

void fbb_table_start(fbb *b) {
  if (b->in_table) b->err = 1;
  b->in_table = 1;
  b->table_start = b->used;
  memset(b->field_at, 0, sizeof b->field_at);
  b->max_field = -1;
}

/* Record that field `id` was just pushed. */
static void mark_field(fbb *b, int id) {
  if (!b->in_table || id < 0 || id >= FBB_MAX_FIELDS || b->field_at[id]) {
    b->err = 1;
    return;
  }
  b->field_at[id] = (uint32_t)b->used;
  if (id > b->max_field) b->max_field = id;
}

/*
** Align for a field of `size` bytes. Padding in front of the first field
** is not part of the table, so equal tables get equal vtables.
*/
static void field_align(fbb *b, size_t size) {
  fbb_pad_to(b, size, 0);
  if (b->in_table && b->max_field < 0) b->table_start = b->used;
}

static void add_scalar(fbb *b, int id, uint64_t v, size_t size) {
  if (b->err) return;
  field_align(b, size);
  push_le(b, v, size);
  mark_field(b, id);
}

void fbb_add_u8(fbb *b, int id, uint8_t v) {
  add_scalar(b, id, v, 1);
}
void fbb_add_i8(fbb *b, int id, int8_t v) {
  add_scalar(b, id, (uint8_t)v, 1);
}
void fbb_add_u16(fbb *b, int id, uint16_t v) {
  add_scalar(b, id, v, 2);
}
void fbb_add_i16(fbb *b, int id, int16_t v) {
  add_scalar(b, id, (uint16_t)v, 2);
}
void fbb_add_u32(fbb *b, int id, uint32_t v) {
  add_scalar(b, id, v, 4);
}
void fbb_add_i32(fbb *b, int id, int32_t v) {
  add_scalar(b, id, (uint32_t)v, 4);
}
void fbb_add_u64(fbb *b, int id, uint64_t v) {
  add_scalar(b, id, v, 8);
}
void fbb_add_i64(fbb *b, int id, int64_t v) {
  add_scalar(b, id, (uint64_t)v, 8);
}
void fbb_add_f32(fbb *b, int id, float v) {
  uint32_t u;
  memcpy(&u, &v, 4);
  add_scalar(b, id, u, 4);
}
void fbb_add_f64(fbb *b, int id, double v) {
  uint64_t u;
  memcpy(&u, &v, 8);
  add_scalar(b, id, u, 8);
}
void fbb_add_bool(fbb *b, int id, int v) {
  add_scalar(b, id, v ? 1u : 0u, 1);
}

void fbb_add_ref(fbb *b, int id, fbb_ref ref) {
  if (b->err || ref == 0) return;
  field_align(b, 4);
  push_uoffset(b, ref);
  mark_field(b, id);
}

/* Find an identical earlier vtable; returns its ref or 0. */
static uint32_t find_vtable(fbb *b, const uint8_t *vt, size_t vt_size) {
  for (size_t i = 0; i < b->n_vtables; i++) {
    const uint8_t *old = at(b, b->vtables[i]);
    size_t old_size = (size_t)old[0] | ((size_t)old[1] << 8);
    if (old_size == vt_size && memcmp(old, vt, vt_size) == 0)
      return b->vtables[i];
  }
  return 0;
}

fbb_ref fbb_table_end(fbb *b) {
  if (!b->in_table) b->err = 1;
  b->in_table = 0;
  if (b->err) return 0;
  /* the soffset to the vtable, patched below */
  push_scalar(b, 0, 4);
  if (b->err) return 0;
  uint32_t table = (uint32_t)b->used;
  size_t nfields = (size_t)(b->max_field + 1);
  size_t vt_size = 4 + 2 * nfields;
  size_t t_size = table - b->table_start;
  if (t_size > 0xffff) {
    b->err = 1; /* vtable entries are 16 bits */
    return 0;
  }
  uint8_t vt[4 + 2 * FBB_MAX_FIELDS];
  put_le(vt, vt_size, 2);
  put_le(vt + 2, t_size, 2);
  for (size_t i = 0; i < nfields; i++) {
    uint32_t f = b->field_at[i];
    put_le(vt + 4 + 2 * i, f ? table - f : 0, 2);
  }
  uint32_t vref = b->dedup_vtables ? find_vtable(b, vt, vt_size) : 0;
  if (!vref) {
    /* the table start is 4-aligned and vt_size even: the vtable is too */
    push_bytes(b, vt, vt_size);
    if (b->err) return 0;
    vref = (uint32_t)b->used;
    if (b->n_vtables == b->cap_vtables) {
      size_t nc = b->cap_vtables ? 2 * b->cap_vtables : 16;
      uint32_t *nv = realloc(b->vtables, nc * sizeof *nv);
      if (!nv) {
        b->err = 1;
        return 0;
      }
      b->vtables = nv;
      b->cap_vtables = nc;
    }
    b->vtables[b->n_vtables++] = vref;
  }
  /* soffset = table position - vtable position (absolute positions) */
  int64_t soff = (int64_t)vref - (int64_t)table;
  put_le(at(b, table), (uint64_t)(uint32_t)(int32_t)soff, 4);
  return table;
}

int fbb_finish(fbb *b, fbb_ref root, const char *identifier, uint8_t **out,
               size_t *len) {
  if (b->in_table || root == 0) b->err = 1;
  size_t idlen = identifier ? 4 : 0;
  if (b->minalign < 4) b->minalign = 4;
  fbb_pad_to(b, b->minalign, 4 + idlen);
  if (identifier) {
    char id[4] = {0, 0, 0, 0};
    memcpy(id, identifier, strnlen(identifier, 4));
    push_bytes(b, id, 4);
  }
  push_uoffset(b, root);
  if (b->err) return -1;
  uint8_t *copy = malloc(b->used);
  if (!copy) return -1;
  memcpy(copy, at(b, b->used), b->used);
  *out = copy;
  *len = b->used;
  return 0;
}
