/* CPU feature detection and kernel ISA choice (see isa.h). */
#include "isa.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <cpuid.h>
#define MOTE_ISA_X86 1
#else
#define MOTE_ISA_X86 0
#endif

uint32_t mote_isa_cpu(void) {
  uint32_t isa = MOTE_ISA_REF;
#if MOTE_ISA_X86
  unsigned int a = 0, b = 0, c = 0, d = 0;
  if (!__get_cpuid(1, &a, &b, &c, &d)) return isa;
  const unsigned int fma = (c >> 12) & 1u, osxsave = (c >> 27) & 1u,
                     avx = (c >> 28) & 1u;
  if (!(fma && osxsave && avx)) return isa;
  unsigned int xlo = 0, xhi = 0;
  __asm__ volatile("xgetbv" : "=a"(xlo), "=d"(xhi) : "c"(0u));
  (void)xhi;
  if ((xlo & 6u) != 6u) return isa; /* OS saves XMM and YMM state */
  if ((unsigned int)__get_cpuid_max(0, 0) < 7u) return isa;
  __cpuid_count(7, 0, a, b, c, d);
  if ((b >> 5) & 1u) isa |= MOTE_ISA_AVX2;
  {
    /* AVX-512 F (b16), DQ (b17), BW (b30), VL (b31), VNNI (c11), and the
     * OS saving opmask and ZMM state (XCR0 bits 5..7). */
    const unsigned int need_b =
        (1u << 16) | (1u << 17) | (1u << 30) | (1u << 31);
    if ((isa & MOTE_ISA_AVX2) && (b & need_b) == need_b && ((c >> 11) & 1u) &&
        (xlo & 0xE0u) == 0xE0u)
      isa |= MOTE_ISA_AVX512;
  }
#elif defined(__aarch64__)
  /* Advanced SIMD is architectural on AArch64. */
  isa |= MOTE_ISA_NEON;
#if defined(__linux__)
  {
    /* ID_AA64ISAR0_EL1.DP (bits 47:44) >= 1: SDOT/UDOT. Linux (and
     * qemu-user) emulate EL0 reads of the ID registers. */
    uint64_t isar0 = 0;
    __asm__ volatile("mrs %0, ID_AA64ISAR0_EL1" : "=r"(isar0));
    if (((isar0 >> 44) & 0xFu) >= 1u) isa |= MOTE_ISA_NEON_DOT;
  }
#endif
#endif
  return isa;
}

/* What this build has compiled in. */
static uint32_t isa_built(void) {
  uint32_t isa = MOTE_ISA_REF;
#if defined(MOTE_HAVE_AVX2)
  isa |= MOTE_ISA_AVX2;
#endif
#if defined(MOTE_HAVE_AVX512)
  isa |= MOTE_ISA_AVX512;
#endif
#if defined(MOTE_HAVE_NEON)
  isa |= MOTE_ISA_NEON;
#endif
#if defined(MOTE_HAVE_NEON_DOT)
  isa |= MOTE_ISA_NEON_DOT;
#endif
  return isa;
}

uint32_t mote_isa_available(void) {
  return mote_isa_cpu() & isa_built();
}

uint32_t mote_isa_allowed(uint32_t mask) {
  return (mote_isa_available() & (mask ? mask : 0xFFFFFFFFu)) | MOTE_ISA_REF;
}

uint32_t mote_isa_select(uint32_t mask) {
  uint32_t ok = mote_isa_allowed(mask);
  if (ok & MOTE_ISA_AVX512) return MOTE_ISA_AVX512;
  if (ok & MOTE_ISA_AVX2) return MOTE_ISA_AVX2;
  if (ok & MOTE_ISA_NEON_DOT) return MOTE_ISA_NEON_DOT;
  if (ok & MOTE_ISA_NEON) return MOTE_ISA_NEON;
  return MOTE_ISA_REF;
}

const char *mote_isa_name(uint32_t isa) {
  switch (isa) {
    case MOTE_ISA_AVX2:
      return "avx2";
    case MOTE_ISA_AVX512:
      return "avx512";
    case MOTE_ISA_NEON:
      return "neon";
    case MOTE_ISA_NEON_DOT:
      return "neondot";
    case MOTE_KERN_DSP:
      return "dsp";
    case MOTE_KERN_MVE:
      return "mve";
    default:
      return NULL;
  }
}
