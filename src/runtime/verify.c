/*
** verify.c: the flatbuffer verifier. Walks every table, vtable, vector and
** string of the TFLite schema parts a model can contain before anything
** else reads the bytes, and names the first corruption it finds.
*/
#include "verify.h"

#include "tflite_schema.h"

typedef struct vctx {
  fb_buf b;
  mote_error *err;
  int depth;
} vctx;

static mote_status(vfail)(vctx *v, mote_status st, uint32_t at,
                          const char *what) {
  if (v->err) {
    v->err->status = st;
    v->err->fb_offset = at;
    v->err->what = what;
  }
  return st;
}
#define vfail(v, st, at, what) vfail((v), (st), (at), MOTE_TEXT(what))

/* Verify the table at pos: alignment, vtable, every field offset. */
static mote_status v_table(vctx *v, uint32_t pos, fb_table *out) {
  if (v->depth > MOTE_FB_MAX_DEPTH)
    return vfail(v, MOTE_E_TOO_DEEP, pos, "table nesting depth");
  if (pos == 0 || (size_t)pos + 4u > v->b.len)
    return vfail(v, MOTE_E_BAD_OFFSET, pos, "table inside the buffer");
  if (pos % 4u != 0)
    return vfail(v, MOTE_E_BAD_ALIGNMENT, pos, "table 4-byte aligned");
  int64_t vt = (int64_t)pos - (int32_t)fb_rd_u32(&v->b, pos);
  if (vt < 0 || (uint64_t)vt + 4u > v->b.len)
    return vfail(v, MOTE_E_BAD_VTABLE, pos, "vtable inside the buffer");
  if (vt % 2 != 0)
    return vfail(v, MOTE_E_BAD_ALIGNMENT, (uint32_t)vt, "vtable 2-aligned");
  uint16_t vts = fb_rd_u16(&v->b, (size_t)vt);
  uint16_t ts = fb_rd_u16(&v->b, (size_t)vt + 2u);
  if (vts < 4 || vts % 2 != 0 || (uint64_t)vt + vts > v->b.len)
    return vfail(v, MOTE_E_BAD_VTABLE, (uint32_t)vt, "vtable size");
  if (ts < 4 || (size_t)pos + ts > v->b.len)
    return vfail(v, MOTE_E_BAD_VTABLE, pos, "table size inside the buffer");
  for (uint32_t f = 4; f < vts; f += 2) {
    uint16_t off = fb_rd_u16(&v->b, (size_t)vt + f);
    if (off != 0 && (off < 4 || off >= ts))
      return vfail(v, MOTE_E_BAD_VTABLE, (uint32_t)vt + f,
                   "field offset inside its table");
  }
  *out = fb_table_at(&v->b, pos);
  return MOTE_OK;
}

/* A scalar field of `size` bytes must fit its table and be aligned. */
static mote_status v_scalar(vctx *v, const fb_table *t, int id, uint32_t size) {
  uint32_t off = fb_field(&v->b, t, id);
  uint16_t raw = fb_rd_u16(&v->b, (size_t)t->vt + 4u + 2u * (uint32_t)id);
  if (4u + 2u * (uint32_t)id + 2u <= t->vt_size && raw != 0 && off == 0)
    return vfail(v, MOTE_E_BAD_VTABLE, t->pos, "field inside its table");
  if (off == 0) return MOTE_OK;
  if (off + size > t->t_size)
    return vfail(v, MOTE_E_BAD_VTABLE, t->pos + off, "field inside its table");
  if ((t->pos + off) % size != 0)
    return vfail(v, MOTE_E_BAD_ALIGNMENT, t->pos + off, "field alignment");
  return MOTE_OK;
}

/* Follow a uoffset field; *target = 0 if absent. */
static mote_status v_offset(vctx *v, const fb_table *t, int id,
                            uint32_t *target) {
  *target = 0;
  MOTE_VTRY(v_scalar(v, t, id, 4));
  uint32_t off = fb_field(&v->b, t, id);
  if (off == 0) return MOTE_OK;
  uint32_t p = t->pos + off;
  uint32_t o = fb_rd_u32(&v->b, p);
  if (o == 0 || o > INT32_MAX || (uint64_t)p + o >= v->b.len)
    return vfail(v, MOTE_E_BAD_OFFSET, p, "offset inside the buffer");
  *target = p + o;
  return MOTE_OK;
}

/* Vector field with elements of `elem` bytes aligned to `align`. */
static mote_status v_vector(vctx *v, const fb_table *t, int id, uint32_t elem,
                            uint32_t align, fb_vec *out) {
  uint32_t p;
  out->pos = 0;
  out->n = 0;
  MOTE_VTRY(v_offset(v, t, id, &p));
  if (p == 0) return MOTE_OK;
  if (p % 4u != 0)
    return vfail(v, MOTE_E_BAD_ALIGNMENT, p, "vector 4-byte aligned");
  if ((size_t)p + 4u > v->b.len)
    return vfail(v, MOTE_E_TRUNCATED, p, "vector length inside the buffer");
  uint32_t n = fb_rd_u32(&v->b, p);
  uint64_t bytes = (uint64_t)n * elem;
  if (bytes > v->b.len - p - 4u)
    return vfail(v, MOTE_E_BAD_VECTOR, p, "vector inside the buffer");
  if (align > 1 && (p + 4u) % align != 0)
    return vfail(v, MOTE_E_BAD_ALIGNMENT, p, "vector element alignment");
  out->pos = p + 4u;
  out->n = n;
  return MOTE_OK;
}

static mote_status v_string(vctx *v, const fb_table *t, int id) {
  fb_vec s;
  MOTE_VTRY(v_vector(v, t, id, 1, 1, &s));
  if (s.pos == 0) return MOTE_OK;
  if ((size_t)s.pos + s.n >= v->b.len || v->b.p[s.pos + s.n] != 0)
    return vfail(v, MOTE_E_BAD_STRING, s.pos, "string NUL-terminated");
  return MOTE_OK;
}

/* Sub-table field (verified generically: only its own layout). */
static mote_status v_subtable(vctx *v, const fb_table *t, int id,
                              fb_table *out) {
  uint32_t p;
  out->pos = 0;
  MOTE_VTRY(v_offset(v, t, id, &p));
  if (p == 0) return MOTE_OK;
  v->depth++;
  mote_status st = v_table(v, p, out);
  v->depth--;
  return st;
}

/* Vector of tables: verify each element with fn. */
typedef mote_status (*v_elem_fn)(vctx *v, const fb_table *t);
static mote_status v_table_vector(vctx *v, const fb_table *t, int id,
                                  v_elem_fn fn) {
  fb_vec vec;
  MOTE_VTRY(v_vector(v, t, id, 4, 4, &vec));
  v->depth++;
  for (uint32_t i = 0; i < vec.n; i++) {
    uint32_t p = vec.pos + 4u * i;
    uint32_t o = fb_rd_u32(&v->b, p);
    if (o == 0 || o > INT32_MAX || (uint64_t)p + o >= v->b.len)
      return vfail(v, MOTE_E_BAD_OFFSET, p, "table offset inside the buffer");
    fb_table e;
    MOTE_VTRY(v_table(v, p + o, &e));
    if (fn) MOTE_VTRY(fn(v, &e));
  }
  v->depth--;
  return MOTE_OK;
}

/* Generic table whose fields mote never reads (options of unknown ops,
 * sparsity, quantization details): layout only, no recursion. */
static mote_status v_opaque(vctx *v, const fb_table *t, int id) {
  fb_table sub;
  return v_subtable(v, t, id, &sub);
}

static mote_status v_opcode(vctx *v, const fb_table *t) {
  MOTE_VTRY(v_scalar(v, t, TFL_OPCODE_DEPRECATED_BUILTIN, 1));
  MOTE_VTRY(v_string(v, t, TFL_OPCODE_CUSTOM_CODE));
  MOTE_VTRY(v_scalar(v, t, TFL_OPCODE_VERSION, 4));
  return v_scalar(v, t, TFL_OPCODE_BUILTIN, 4);
}

static mote_status v_quant(vctx *v, const fb_table *t) {
  fb_vec tmp;
  MOTE_VTRY(v_vector(v, t, TFL_QUANT_MIN, 4, 4, &tmp));
  MOTE_VTRY(v_vector(v, t, TFL_QUANT_MAX, 4, 4, &tmp));
  MOTE_VTRY(v_vector(v, t, TFL_QUANT_SCALE, 4, 4, &tmp));
  MOTE_VTRY(v_vector(v, t, TFL_QUANT_ZERO_POINT, 8, 8, &tmp));
  MOTE_VTRY(v_scalar(v, t, TFL_QUANT_DETAILS_TYPE, 1));
  MOTE_VTRY(v_opaque(v, t, TFL_QUANT_DETAILS));
  return v_scalar(v, t, TFL_QUANT_QUANTIZED_DIMENSION, 4);
}

static mote_status v_tensor(vctx *v, const fb_table *t) {
  fb_vec tmp;
  fb_table q;
  MOTE_VTRY(v_vector(v, t, TFL_TENSOR_SHAPE, 4, 4, &tmp));
  MOTE_VTRY(v_scalar(v, t, TFL_TENSOR_TYPE, 1));
  MOTE_VTRY(v_scalar(v, t, TFL_TENSOR_BUFFER, 4));
  MOTE_VTRY(v_string(v, t, TFL_TENSOR_NAME));
  MOTE_VTRY(v_subtable(v, t, TFL_TENSOR_QUANTIZATION, &q));
  if (q.pos) {
    v->depth++;
    mote_status st = v_quant(v, &q);
    v->depth--;
    MOTE_VTRY(st);
  }
  MOTE_VTRY(v_scalar(v, t, TFL_TENSOR_IS_VARIABLE, 1));
  MOTE_VTRY(v_opaque(v, t, TFL_TENSOR_SPARSITY));
  MOTE_VTRY(v_vector(v, t, TFL_TENSOR_SHAPE_SIGNATURE, 4, 4, &tmp));
  return v_scalar(v, t, TFL_TENSOR_HAS_RANK, 1);
}

static mote_status v_operator(vctx *v, const fb_table *t) {
  fb_vec tmp;
  MOTE_VTRY(v_scalar(v, t, TFL_OP_OPCODE_INDEX, 4));
  MOTE_VTRY(v_vector(v, t, TFL_OP_INPUTS, 4, 4, &tmp));
  MOTE_VTRY(v_vector(v, t, TFL_OP_OUTPUTS, 4, 4, &tmp));
  MOTE_VTRY(v_scalar(v, t, TFL_OP_BUILTIN_OPTIONS_TYPE, 1));
  MOTE_VTRY(v_opaque(v, t, TFL_OP_BUILTIN_OPTIONS));
  MOTE_VTRY(v_vector(v, t, TFL_OP_CUSTOM_OPTIONS, 1, 1, &tmp));
  MOTE_VTRY(v_scalar(v, t, TFL_OP_CUSTOM_OPTIONS_FORMAT, 1));
  MOTE_VTRY(v_vector(v, t, TFL_OP_MUTATING_VARIABLE_INPUTS, 1, 1, &tmp));
  return v_vector(v, t, TFL_OP_INTERMEDIATES, 4, 4, &tmp);
}

static mote_status v_subgraph(vctx *v, const fb_table *t) {
  fb_vec tmp;
  MOTE_VTRY(v_table_vector(v, t, TFL_SUBGRAPH_TENSORS, v_tensor));
  MOTE_VTRY(v_vector(v, t, TFL_SUBGRAPH_INPUTS, 4, 4, &tmp));
  MOTE_VTRY(v_vector(v, t, TFL_SUBGRAPH_OUTPUTS, 4, 4, &tmp));
  MOTE_VTRY(v_table_vector(v, t, TFL_SUBGRAPH_OPERATORS, v_operator));
  return v_string(v, t, TFL_SUBGRAPH_NAME);
}

static mote_status v_buffer(vctx *v, const fb_table *t) {
  fb_vec tmp;
  MOTE_VTRY(v_vector(v, t, TFL_BUFFER_DATA, 1, 1, &tmp));
  MOTE_VTRY(v_scalar(v, t, TFL_BUFFER_OFFSET, 8));
  return v_scalar(v, t, TFL_BUFFER_SIZE, 8);
}

static mote_status v_metadata(vctx *v, const fb_table *t) {
  MOTE_VTRY(v_string(v, t, TFL_METADATA_NAME));
  return v_scalar(v, t, TFL_METADATA_BUFFER, 4);
}

static mote_status v_tensormap(vctx *v, const fb_table *t) {
  MOTE_VTRY(v_string(v, t, TFL_TENSORMAP_NAME));
  return v_scalar(v, t, TFL_TENSORMAP_TENSOR_INDEX, 4);
}

static mote_status v_sigdef(vctx *v, const fb_table *t) {
  MOTE_VTRY(v_table_vector(v, t, TFL_SIGDEF_INPUTS, v_tensormap));
  MOTE_VTRY(v_table_vector(v, t, TFL_SIGDEF_OUTPUTS, v_tensormap));
  MOTE_VTRY(v_string(v, t, TFL_SIGDEF_KEY));
  return v_scalar(v, t, TFL_SIGDEF_SUBGRAPH_INDEX, 4);
}

mote_status mote_fb_verify(const uint8_t *fb, size_t len, mote_error *err,
                           fb_table *root) {
  vctx v;
  v.b.p = fb;
  v.b.len = len;
  v.err = err;
  v.depth = 0;
  if (len < 8) return vfail(&v, MOTE_E_TRUNCATED, 0, "at least 8 bytes");
  if (len > INT32_MAX)
    return vfail(&v, MOTE_E_OVERFLOW, 0, "flatbuffer under 2 GiB");
  if (fb[4] != 'T' || fb[5] != 'F' || fb[6] != 'L' || fb[7] != '3')
    return vfail(&v, MOTE_E_BAD_IDENTIFIER, 4, "identifier TFL3");
  uint32_t rootpos = fb_rd_u32(&v.b, 0);
  if (rootpos >= len)
    return vfail(&v, MOTE_E_TRUNCATED, 0, "root table inside the buffer");
  fb_table t;
  MOTE_VTRY(v_table(&v, rootpos, &t));
  fb_vec tmp;
  MOTE_VTRY(v_scalar(&v, &t, TFL_MODEL_VERSION, 4));
  MOTE_VTRY(v_table_vector(&v, &t, TFL_MODEL_OPERATOR_CODES, v_opcode));
  MOTE_VTRY(v_table_vector(&v, &t, TFL_MODEL_SUBGRAPHS, v_subgraph));
  MOTE_VTRY(v_string(&v, &t, TFL_MODEL_DESCRIPTION));
  MOTE_VTRY(v_table_vector(&v, &t, TFL_MODEL_BUFFERS, v_buffer));
  MOTE_VTRY(v_vector(&v, &t, TFL_MODEL_METADATA_BUFFER, 4, 4, &tmp));
  MOTE_VTRY(v_table_vector(&v, &t, TFL_MODEL_METADATA, v_metadata));
  MOTE_VTRY(v_table_vector(&v, &t, TFL_MODEL_SIGNATURE_DEFS, v_sigdef));
  *root = t;
  return MOTE_OK;
}
