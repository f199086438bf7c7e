/*
** test_kernels_neon_f32.c: the AArch64 NEON float32 CONV_2D,
** DEPTHWISE_CONV_2D and FULLY_CONNECTED kernels
** (src/kernels/arm_neon/f32_neon.h) against the reference kernels on
** seeded random shapes (strides, dilations, paddings with windows outside
** the image, every channel tail, batches, depth multipliers, activations,
** row slices with negative pad_h), each output within 1e-5 * sum |terms|
** of the reference: the driver f32_kernel_check.h, shared with the
** AVX-512 test. Runs under qemu-aarch64 when cross-built.
*/
#include "common/check.h"
#include "kernels/arm_neon/f32_neon.h"
#include "kernels/isa.h"

#define F32_CHECK_SEED 0x6e663332u /* "nf32" */
#include "f32_kernel_check.h"

static const f32_kernels neon = {mote_conv2d_f32_neon_supported,
                                 mote_dwconv2d_f32_neon_supported,
                                 mote_f32_neon_pack_bytes,
                                 mote_f32_neon_pack,
                                 mote_dwconv2d_f32_neon_pack_bytes,
                                 mote_dwconv2d_f32_neon_pack,
                                 mote_conv2d_f32_neon_scratch,
                                 4, /* float-aligned, not 8- or 16-byte */
                                 mote_conv2d_f32_neon,
                                 mote_dwconv2d_f32_neon,
                                 mote_fc_f32_neon};

int main(void) {
  CHECK(mote_isa_allowed(MOTE_ISA_AUTO) & MOTE_ISA_NEON,
        "NEON not allowed under MOTE_ISA_AUTO");
  f32_check_all(&neon, 2000);
  return check_summary();
}
