/*
** test_kernels_avx512_f32.c: the AVX-512 float32 CONV_2D, DEPTHWISE_CONV_2D
** and FULLY_CONNECTED kernels (src/kernels/x86_avx512/f32_avx512.h) against
** the reference kernels on seeded random shapes: strides, dilations,
** paddings with windows partly or wholly outside the image, channel counts
** with every tail length, batches, depth multipliers, activation ranges,
** and conv row slices as a worker pool calls them (out_h a slice, pad_h
** shifted: negative or beyond the filter, output pointer at the slice).
**
** The sums are not bit-exact (fused multiply-adds in another order): each
** output must lie within 1e-5 * sum |terms| of the reference, the magnitude
** being the reference kernel run on absolute values of input, weights and
** bias (the driver: f32_kernel_check.h, shared with the NEON test).
**
** This file has no AVX-512 flags: it checks CPUID first and fails (exit 1)
** on a CPU without AVX-512, where the kernels cannot run.
*/
#include "common/check.h"
#include "kernels/isa.h"
#include "kernels/x86_avx512/f32_avx512.h"

#define F32_CHECK_SEED 0x61767835u
#include "f32_kernel_check.h"

static const f32_kernels avx512 = {mote_conv2d_f32_avx512_supported,
                                   mote_dwconv2d_f32_avx512_supported,
                                   mote_f32_avx512_pack_bytes,
                                   mote_f32_avx512_pack,
                                   NULL,
                                   NULL,
                                   mote_conv2d_f32_avx512_scratch,
                                   1,
                                   mote_conv2d_f32_avx512,
                                   mote_dwconv2d_f32_avx512,
                                   mote_fc_f32_avx512};

int main(void) {
  if (!(mote_isa_cpu() & MOTE_ISA_AVX512)) {
    printf(
        "CPUID: this CPU has no AVX-512 F/BW/VL/DQ/VNNI (or the OS does not "
        "save ZMM): the AVX-512 kernels cannot be tested here\n");
    return 1;
  }
  CHECK(mote_isa_allowed(MOTE_ISA_AUTO) & MOTE_ISA_AVX512,
        "AVX-512 not allowed under MOTE_ISA_AUTO");
  f32_check_all(&avx512, 1500);
  return check_summary();
}
