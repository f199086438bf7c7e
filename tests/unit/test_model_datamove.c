/*
** test_model_datamove.c: data-movement operators through whole models:
** CONCATENATION (4 inputs along axis 0, along the last axis, negative
** axis), STRIDED_SLICE (shrink_axis_mask with negative begin, negative
** stride, end_mask), RESHAPE (-1 in the shape tensor and in new_shape),
** TRANSPOSE (rank 5). Expected outputs are built from hand-derived index
** maps; every element must match exactly (floats too: nothing is
** computed, only moved).
*/
#include "model_harness.h"

static size_t elem_size(int32_t type) {
  return type == MOTE_INT8 ? 1 : type == MOTE_INT16 ? 2 : 4;
}

static void fill_random(void *p, size_t n, int32_t type) {
  for (size_t i = 0; i < n; i++) {
    if (type == MOTE_INT8)
      ((int8_t *)p)[i] = (int8_t)mh_randi(-128, 127);
    else if (type == MOTE_INT16)
      ((int16_t *)p)[i] = (int16_t)mh_randi(-32768, 32767);
    else
      ((float *)p)[i] = (float)mh_randf(-100, 100);
  }
}

/* Compare raw bytes element by element; report the first mismatches. */
static void expect_bytes(const char *what, const void *got, const void *want,
                         size_t n, size_t esz) {
  size_t bad = 0;
  for (size_t i = 0; i < n; i++)
    if (memcmp((const uint8_t *)got + i * esz, (const uint8_t *)want + i * esz,
               esz) != 0) {
      if (bad < 5) printf("  %s[%zu] differs\n", what, i);
      bad++;
    }
  MH_CHECK(bad == 0, "%s: %zu of %zu elements differ", what, bad, n);
}

static float quant_scale(int32_t type) {
  return type == MOTE_FLOAT32 ? 0 : type == MOTE_INT8 ? 0.05f : 0.001f;
}
static int32_t quant_zp(int32_t type) {
  return type == MOTE_INT8 ? -7 : 0;
}

/* ---- CONCATENATION ---- */

static void run_concat(int32_t type, int axis_opt, int axis, int rank,
                       const int32_t shapes[4][4], const char *name) {
  mh_case = name;
  size_t esz = elem_size(type);
  int32_t os[4];
  memcpy(os, shapes[0], sizeof os);
  os[axis] = 0;
  for (int k = 0; k < 4; k++) os[axis] += shapes[k][axis];
  void *in[4];
  size_t cnt[4];
  tflw *w = tflw_new();
  int32_t ti[4];
  for (int k = 0; k < 4; k++) {
    cnt[k] = 1;
    for (int d = 0; d < rank; d++) cnt[k] *= (size_t)shapes[k][d];
    in[k] = malloc(cnt[k] * esz);
    fill_random(in[k], cnt[k], type);
    ti[k] = mh_t(w, type, shapes[k], (uint32_t)rank, quant_scale(type),
                 quant_zp(type));
  }
  int to = mh_t(w, type, os, (uint32_t)rank, quant_scale(type), quant_zp(type));
  tflw_op(w, TFL_OP_CONCATENATION, 1, ti, 4, &to, 1, TFL_OPT_CONCATENATION,
          (tflw_opt[]){TFLW_I32(0, axis_opt), TFLW_I8(1, TFL_ACT_NONE)}, 2);
  tflw_io(w, ti, 4, &to, 1);
  /* expected: outer blocks, each the inputs' inner slabs in order */
  size_t outer = 1, inner = 1;
  for (int d = 0; d < axis; d++) outer *= (size_t)os[d];
  for (int d = axis + 1; d < rank; d++) inner *= (size_t)os[d];
  size_t total = outer * inner * (size_t)os[axis];
  uint8_t *want = malloc(total * esz), *p = want;
  for (size_t o = 0; o < outer; o++)
    for (int k = 0; k < 4; k++) {
      size_t slab = (size_t)shapes[k][axis] * inner * esz;
      memcpy(p, (uint8_t *)in[k] + o * slab, slab);
      p += slab;
    }
  const void *ins[] = {in[0], in[1], in[2], in[3]};
  mh_run r;
  if (mh_run_model(&r, w, ins)) {
    mote_tensor t = mh_out(&r, 0);
    MH_CHECK(t.count == total, "output count");
    expect_bytes("out", t.data, want, total, esz);
  }
  mh_free(&r);
  for (int k = 0; k < 4; k++) free(in[k]);
  free(want);
}

static void test_concat(void) {
  const int32_t ax0[4][4] = {{1, 2, 3}, {2, 2, 3}, {3, 2, 3}, {1, 2, 3}};
  const int32_t ax2[4][4] = {
      {2, 1, 3, 1}, {2, 1, 3, 4}, {2, 1, 3, 2}, {2, 1, 3, 1}};
  run_concat(MOTE_INT8, 0, 0, 3, ax0, "concat i8 4 inputs axis 0");
  run_concat(MOTE_INT16, 0, 0, 3, ax0, "concat i16 4 inputs axis 0");
  run_concat(MOTE_FLOAT32, 0, 0, 3, ax0, "concat f32 4 inputs axis 0");
  run_concat(MOTE_INT8, -3, 0, 3, ax0, "concat i8 4 inputs axis -3");
  run_concat(MOTE_INT8, 3, 3, 4, ax2, "concat i8 4 inputs last axis");
  run_concat(MOTE_FLOAT32, -1, 3, 4, ax2, "concat f32 4 inputs axis -1");
}

/* ---- STRIDED_SLICE ---- */

typedef struct slice_case {
  const char *name;
  int32_t begin[3], end[3], strides[3];
  int begin_mask, end_mask, shrink_mask;
  /* hand-derived: indices taken on each input axis, and output shape */
  int nidx[3];
  int idx[3][6];
  int out_rank;
  int32_t out_shape[3];
} slice_case;

/* clang-format off */
static const slice_case k_slices[] = {
  /* axis 0: begin -2 -> index 1 (shrunk; end ignored); axis 1: 1..4;
     axis 2: -4 -> 1, to 5 by 2 -> 1, 3 */
  {"sslice shrink axis 0, negative begins", {-2, 1, -4}, {-1, 4, 5},
   {1, 1, 2}, 0, 0, 1, {1, 3, 2}, {{1}, {1, 2, 3}, {1, 3}}, 2, {3, 2}},
  /* axis 1: from -1 (=3) down to 0 exclusive by -1 -> 3, 2, 1;
     axis 2: shrink at -1 -> 4 */
  {"sslice shrink last axis, negative stride", {0, -1, -1}, {3, 0, 0},
   {1, -1, 1}, 0, 0, 4, {3, 3, 1}, {{0, 1, 2}, {3, 2, 1}, {4}}, 2, {3, 3}},
  /* axes 0 and 1 shrunk at -3 (=0) and 0; axis 2 end_mask: 0..5 */
  {"sslice shrink two axes + end_mask", {-3, 0, 0}, {0, 0, 0},
   {1, 1, 1}, 0, 4, 3, {1, 1, 5}, {{0}, {0}, {0, 1, 2, 3, 4}}, 1, {5}},
  /* begin_mask on axis 0, negative begin/end on axis 2, stride 3 */
  {"sslice begin_mask, negative end, stride 3", {2, 0, -5}, {3, -1, -1},
   {1, 2, 3}, 1, 0, 0, {3, 2, 2}, {{0, 1, 2}, {0, 2}, {0, 3}}, 3,
   {3, 2, 2}},
};
/* clang-format on */

static void run_slice(const slice_case *c, int32_t type) {
  char name[96];
  snprintf(name, sizeof name, "%s (%s)", c->name, mote_dtype_name(type));
  mh_case = name;
  int32_t is[] = {3, 4, 5}, three = 3;
  size_t esz = elem_size(type), n_in = 60;
  void *x = malloc(n_in * esz);
  fill_random(x, n_in, type);
  tflw *w = tflw_new();
  int ti = mh_t(w, type, is, 3, quant_scale(type), quant_zp(type));
  int tb = mh_const(w, MOTE_INT32, &three, 1, 0, 0, c->begin, 12);
  int te = mh_const(w, MOTE_INT32, &three, 1, 0, 0, c->end, 12);
  int ts = mh_const(w, MOTE_INT32, &three, 1, 0, 0, c->strides, 12);
  int to = mh_t(w, type, c->out_shape, (uint32_t)c->out_rank, quant_scale(type),
                quant_zp(type));
  tflw_opt o[] = {TFLW_I32(0, c->begin_mask), TFLW_I32(1, c->end_mask),
                  TFLW_I32(2, 0), TFLW_I32(3, 0), TFLW_I32(4, c->shrink_mask)};
  tflw_op(w, TFL_OP_STRIDED_SLICE, 4, (int32_t[]){ti, tb, te, ts}, 4, &to, 1,
          TFL_OPT_STRIDED_SLICE, o, 5);
  tflw_io(w, &ti, 1, &to, 1);
  size_t n_out = (size_t)c->nidx[0] * c->nidx[1] * c->nidx[2];
  uint8_t *want = malloc(n_out * esz), *p = want;
  for (int a = 0; a < c->nidx[0]; a++)
    for (int b = 0; b < c->nidx[1]; b++)
      for (int d = 0; d < c->nidx[2]; d++) {
        size_t src =
            ((size_t)c->idx[0][a] * 4 + c->idx[1][b]) * 5 + c->idx[2][d];
        memcpy(p, (uint8_t *)x + src * esz, esz);
        p += esz;
      }
  const void *ins[] = {x};
  mh_run r;
  if (mh_run_model(&r, w, ins)) {
    mote_tensor t = mh_out(&r, 0);
    MH_CHECK(t.count == n_out, "output count %zu want %zu", t.count, n_out);
    expect_bytes("out", t.data, want, n_out, esz);
  }
  mh_free(&r);
  free(x);
  free(want);
}

static void test_slice(void) {
  for (size_t i = 0; i < sizeof k_slices / sizeof k_slices[0]; i++) {
    run_slice(&k_slices[i], MOTE_INT8);
    run_slice(&k_slices[i], MOTE_FLOAT32);
  }
  run_slice(&k_slices[1], MOTE_INT16);
  /* output shape that disagrees with the slice */
  mh_case = "sslice bad output shape";
  tflw *w = tflw_new();
  int32_t is[] = {3, 4, 5}, three = 3, os[] = {3, 3};
  int ti = mh_t(w, MOTE_INT8, is, 3, 0.1f, 0);
  int tb = mh_const(w, MOTE_INT32, &three, 1, 0, 0, k_slices[0].begin, 12);
  int te = mh_const(w, MOTE_INT32, &three, 1, 0, 0, k_slices[0].end, 12);
  int ts = mh_const(w, MOTE_INT32, &three, 1, 0, 0, k_slices[0].strides, 12);
  int to = mh_t(w, MOTE_INT8, os, 2, 0.1f, 0);
  tflw_op(w, TFL_OP_STRIDED_SLICE, 1, (int32_t[]){ti, tb, te, ts}, 4, &to, 1,
          TFL_OPT_STRIDED_SLICE, (tflw_opt[]){TFLW_I32(4, 1)}, 1);
  tflw_io(w, &ti, 1, &to, 1);
  mh_expect_load_fail(w, MOTE_E_BAD_SHAPE, NULL);
}

/* ---- RESHAPE ---- */

static void run_reshape(int with_tensor, const int32_t *ns, int nr,
                        const int32_t *os, int orank, int32_t type,
                        const char *name) {
  mh_case = name;
  int32_t is[] = {2, 3, 4};
  size_t esz = elem_size(type);
  void *x = malloc(24 * esz);
  fill_random(x, 24, type);
  tflw *w = tflw_new();
  int ti = mh_t(w, type, is, 3, quant_scale(type), quant_zp(type));
  int to =
      mh_t(w, type, os, (uint32_t)orank, quant_scale(type), quant_zp(type));
  if (with_tensor) {
    int32_t n = nr;
    int ts = mh_const(w, MOTE_INT32, &n, 1, 0, 0, ns, (size_t)nr * 4);
    tflw_op(w, TFL_OP_RESHAPE, 1, (int32_t[]){ti, ts}, 2, &to, 1, 0, NULL, 0);
  } else {
    tflw_op(w, TFL_OP_RESHAPE, 1, &ti, 1, &to, 1, TFL_OPT_RESHAPE,
            (tflw_opt[]){TFLW_VEC(0, ns, nr)}, 1);
  }
  tflw_io(w, &ti, 1, &to, 1);
  const void *ins[] = {x};
  mh_run r;
  if (mh_run_model(&r, w, ins)) {
    mote_tensor t = mh_out(&r, 0);
    MH_CHECK(t.count == 24 && t.ndim == (uint32_t)orank, "output shape");
    for (int d = 0; d < orank && d < (int)t.ndim; d++)
      MH_CHECK(t.dims[d] == os[d], "dim %d: %d want %d", d, t.dims[d], os[d]);
    expect_bytes("out", t.data, x, 24, esz);
  }
  mh_free(&r);
  free(x);
}

static void test_reshape(void) {
  int32_t s1[] = {4, -1}, o1[] = {4, 6};
  int32_t s2[] = {-1, 8}, o2[] = {3, 8};
  int32_t s3[] = {2, -1, 3, 1}, o3[] = {2, 4, 3, 1};
  int32_t s4[] = {-1}, o4[] = {24};
  run_reshape(1, s1, 2, o1, 2, MOTE_INT8, "reshape i8 shape tensor [4,-1]");
  run_reshape(1, s3, 4, o3, 4, MOTE_FLOAT32,
              "reshape f32 shape tensor [2,-1,3,1]");
  run_reshape(0, s2, 2, o2, 2, MOTE_INT16, "reshape i16 new_shape [-1,8]");
  run_reshape(0, s4, 1, o4, 1, MOTE_INT8, "reshape i8 new_shape [-1]");

  /* the model's output shape disagrees with the shape tensor */
  mh_case = "reshape output shape mismatch";
  tflw *w = tflw_new();
  int32_t is[] = {2, 3, 4}, two = 2, bad[] = {6, 4};
  int ti = mh_t(w, MOTE_INT8, is, 3, 0.1f, 0);
  int ts = mh_const(w, MOTE_INT32, &two, 1, 0, 0, s1, 8);
  int to = mh_t(w, MOTE_INT8, bad, 2, 0.1f, 0);
  tflw_op(w, TFL_OP_RESHAPE, 1, (int32_t[]){ti, ts}, 2, &to, 1, 0, NULL, 0);
  tflw_io(w, &ti, 1, &to, 1);
  mh_expect_load_fail(w, MOTE_E_BAD_SHAPE, NULL);

  /* -1 that cannot be resolved: 24 elements into [5, -1] */
  mh_case = "reshape -1 not divisible";
  w = tflw_new();
  int32_t s5[] = {5, -1}, o5[] = {5, 5};
  ti = mh_t(w, MOTE_INT8, is, 3, 0.1f, 0);
  ts = mh_const(w, MOTE_INT32, &two, 1, 0, 0, s5, 8);
  to = mh_t(w, MOTE_INT8, o5, 2, 0.1f, 0);
  tflw_op(w, TFL_OP_RESHAPE, 1, (int32_t[]){ti, ts}, 2, &to, 1, 0, NULL, 0);
  tflw_io(w, &ti, 1, &to, 1);
  mh_expect_load_fail(w, MOTE_E_BAD_SHAPE, NULL);
}

/* ---- TRANSPOSE ---- */

static void run_transpose5(int32_t type) {
  char name[64];
  snprintf(name, sizeof name, "transpose rank 5 (%s)", mote_dtype_name(type));
  mh_case = name;
  int32_t is[5] = {2, 3, 1, 4, 2}, perm[5] = {4, 2, 0, 3, 1}, os[5], five = 5;
  for (int d = 0; d < 5; d++) os[d] = is[perm[d]];
  size_t n = 48, esz = elem_size(type);
  void *x = malloc(n * esz);
  fill_random(x, n, type);
  tflw *w = tflw_new();
  int ti = mh_t(w, type, is, 5, quant_scale(type), quant_zp(type));
  int tp = mh_const(w, MOTE_INT32, &five, 1, 0, 0, perm, sizeof perm);
  int to = mh_t(w, type, os, 5, quant_scale(type), quant_zp(type));
  tflw_op(w, TFL_OP_TRANSPOSE, 1, (int32_t[]){ti, tp}, 2, &to, 1,
          TFL_OPT_TRANSPOSE, NULL, 0);
  tflw_io(w, &ti, 1, &to, 1);
  uint8_t *want = malloc(n * esz);
  int32_t oc[5];
  for (size_t o = 0; o < n; o++) {
    size_t rem = o;
    for (int d = 4; d >= 0; d--) {
      oc[d] = (int32_t)(rem % (size_t)os[d]);
      rem /= (size_t)os[d];
    }
    int32_t ic[5];
    for (int d = 0; d < 5; d++) ic[perm[d]] = oc[d];
    size_t src = 0;
    for (int d = 0; d < 5; d++) src = src * (size_t)is[d] + (size_t)ic[d];
    memcpy(want + o * esz, (uint8_t *)x + src * esz, esz);
  }
  const void *ins[] = {x};
  mh_run r;
  if (mh_run_model(&r, w, ins)) {
    mote_tensor t = mh_out(&r, 0);
    MH_CHECK(t.count == n, "output count");
    expect_bytes("out", t.data, want, n, esz);
  }
  mh_free(&r);
  free(x);
  free(want);
}

static void test_transpose(void) {
  run_transpose5(MOTE_INT8);
  run_transpose5(MOTE_INT16);
  run_transpose5(MOTE_FLOAT32);
  /* a permutation that repeats an axis */
  mh_case = "transpose bad perm";
  tflw *w = tflw_new();
  int32_t is[] = {2, 3, 4}, perm[] = {0, 0, 2}, three = 3;
  int ti = mh_t(w, MOTE_INT8, is, 3, 0.1f, 0);
  int tp = mh_const(w, MOTE_INT32, &three, 1, 0, 0, perm, sizeof perm);
  int to = mh_t(w, MOTE_INT8, (int32_t[]){2, 2, 4}, 3, 0.1f, 0);
  tflw_op(w, TFL_OP_TRANSPOSE, 1, (int32_t[]){ti, tp}, 2, &to, 1,
          TFL_OPT_TRANSPOSE, NULL, 0);
  tflw_io(w, &ti, 1, &to, 1);
  size_t len;
  uint8_t *fb = mh_finish(w, &len);
  mh_run r;
  mote_status st = mh_load(&r, fb, len);
  MH_CHECK(st == MOTE_E_BAD_OPTIONS || st == MOTE_E_BAD_SHAPE,
           "expected BAD_OPTIONS/BAD_SHAPE, got %s", mote_status_name(st));
  mh_free(&r);
}

int main(void) {
  test_concat();
  test_slice();
  test_reshape();
  test_transpose();
  return mh_report();
}
